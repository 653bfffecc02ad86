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
      { header: 'Vault', width: 1.6, maxLines: 2 },
      { header: 'Job alerts', width: 0.9, minPt: 52 },
      { header: 'Reaches', width: 0.9, minPt: 52 },
      { header: 'Why', width: 2.8, maxLines: 5 },
      { header: 'Receivers (action group)', width: 3.4, maxLines: 12 },
    ],
    a.vaults.map((v): Cell[] => [
      { text: v.vaultName, weight: 'bold' },
      v.jobFailureAlerts ?? 'not stated',
      v.verdict === 'reaches' ? { text: 'a receiver', color: COLORS.ok } : v.verdict === 'noOne' ? { text: 'no one', color: COLORS.bad } : 'unknown',
      v.why,
      v.receivers.map((r) => `${r.kind}: ${r.target ?? r.name ?? '?'} (${r.actionGroup})`).join('\n'),
    ]),
    { empty: 'The snapshot holds no vault records.' },
  );
  if (a.changes) {
    w.subheading('Changes in alert routing since the baseline');
    if (!a.changes.compared) w.note('Not compared: one of the two snapshots holds no action groups or alert processing rules.');
    else if (a.changes.changes.length === 0) w.paragraph('No vault gained or lost a receiver, and none changed between reaching someone and reaching no one.');
    for (const c of a.changes.changes) w.paragraph(c.sentence);
  }
}
