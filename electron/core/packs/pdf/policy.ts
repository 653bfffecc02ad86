/** "Azure Policy evidence": backup compliance states against the snapshot's items; disagreements first (shared/domain/policy). */
import { fmtInt, fmtTimeShort } from '../write/format.ts';
import type { PackModel } from '../model.ts';
import { COLORS, type Cell, type PdfWriter } from './layout.ts';

const CAP = 200;

export function policySection(w: PdfWriter, m: PackModel): void {
  const p = m.policy;
  if (!p) return;
  w.section('Azure Policy evidence');
  if (p.states === 0) {
    w.paragraph('The snapshot holds no Azure Policy compliance states, so what Azure Policy says about backup coverage is not part of this pack (az policy state list, see vaultproof kit).');
    return;
  }
  w.paragraph(
    `${fmtInt(p.states)} policy state(s), ${fmtInt(p.backupStates)} of them for the built-in backup definitions Vaultproof knows. Against the snapshot's own backup items: ${fmtInt(p.agree)} agree, ${fmtInt(p.disagree)} disagree, ${fmtInt(p.notChecked)} could not be checked (not Compliant or NonCompliant, or Compliant in a subscription the snapshot holds no items of). Each disagreement is a finding (policy-disagrees-with-coverage).`,
  );
  const rows = [...p.disagreements].slice(0, CAP).map((d): Cell[] => [
    { text: d.resourceId.split('/').filter(Boolean).pop() ?? d.resourceId, weight: 'bold' },
    d.states.map((s) => `${s.complianceState ?? '?'}: ${s.definition}`).join('\n'),
    d.states.map((s) => `${s.assignment ?? '?'}, ${fmtTimeShort(s.timestamp)}`).join('\n'),
    d.protectors.length > 0 ? d.protectors.map((x) => `${x.name} (${x.vault ?? '?'})`).join('\n') : { text: 'no backup item', color: COLORS.bad },
  ]);
  w.table(
    [
      { header: 'Resource', width: 1.8, maxLines: 2 },
      { header: 'Azure Policy says', width: 3.2, maxLines: 4 },
      { header: 'Assignment (UTC)', width: 2, maxLines: 4 },
      { header: 'Backup items', width: 2, maxLines: 4 },
    ],
    rows,
    { empty: 'Azure Policy and the backup items agree on every state checked.' },
  );
  if (p.disagreements.length > CAP) w.note(`The first ${CAP} of ${fmtInt(p.disagreements.length)} disagreements; the workbook's "Azure Policy" sheet lists every state.`);
}
