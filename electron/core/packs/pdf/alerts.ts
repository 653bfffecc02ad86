/** "Alert routing": per vault, whether a failed backup reaches a named receiver, and why (shared/domain/alerts). */
import type { PackModel } from '../model.ts';
import { COLORS, type Cell, type PdfWriter } from './layout.ts';

export function alertRoutingSection(w: PdfWriter, m: PackModel): void {
  const a = m.alerts;
  if (!a) return;
  w.section('Alert routing');
  w.paragraph(
    a.actionGroups + a.alertProcessingRules === 0
      ? 'The snapshot holds no action groups or alert processing rules, so only a vault with job-failure alerts switched off can be judged; the others are shown as unknown.'
      : `From ${a.actionGroups} action group(s) and ${a.alertProcessingRules} alert processing rule(s). A failed backup raises a built-in Azure Monitor alert when job-failure alerts are on; it reaches someone only through an alert processing rule covering the vault that adds an action group with an enabled receiver.`,
  );
  w.table(
    [
      { header: 'Vault', width: 1.8, maxLines: 2 },
      { header: 'Job-failure alerts', width: 1.1, minPt: 60 },
      { header: 'Failures reach', width: 1.2, minPt: 60 },
      { header: 'Why', width: 3, maxLines: 4 },
      { header: 'Receivers', width: 3, maxLines: 6 },
    ],
    a.vaults.map((v): Cell[] => [
      { text: v.vaultName, weight: 'bold' },
      v.jobFailureAlerts ?? 'not stated',
      v.verdict === 'reaches' ? { text: 'a receiver', color: COLORS.ok } : v.verdict === 'noOne' ? { text: 'no one', color: COLORS.bad } : 'unknown',
      v.why,
      v.receivers.map((r) => `${r.kind} ${r.name ?? ''}${r.target ? ` <${r.target}>` : ''} (${r.actionGroup})`).join('\n'),
    ]),
    { empty: 'The snapshot holds no vault records.' },
  );
}
