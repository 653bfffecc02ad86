/**
 * "Restore readiness": per item, the newest point in each tier, the
 * secondary region where cross-region restore is on, the restore options and
 * the last drill. Capped like the item appendix; the workbook's "Restore
 * readiness" sheet has every item and the commands.
 */
import { describeSpan } from '../../../../shared/domain/restore/catalog.ts';
import type { RestoreEntry } from '../../../../shared/domain/restore/catalog.ts';
import { fmtInt, fmtTimeShort } from '../write/format.ts';
import type { PackModel } from '../model.ts';
import { COLORS, type Cell, type PdfWriter } from './layout.ts';

function latestCell(e: RestoreEntry): string {
  if (!e.points) return e.itemSays.latest ? `${fmtTimeShort(e.itemSays.latest)} (item record; points not listed)` : 'not listed';
  return e.points.primary.count === 0 ? 'none listed' : fmtTimeShort(e.points.primary.latest);
}

function tiersCell(e: RestoreEntry): string {
  const p = e.points;
  if (!p) return '';
  return [`snapshot ${describeSpan(p.byTier.snapshot)}`, `vault ${describeSpan(p.byTier.vaultStandard)}`, `archive ${describeSpan(p.byTier.archive)}`].join('\n');
}

function secondaryCell(e: RestoreEntry): Cell {
  if (e.crossRegionRestore !== true) return e.crossRegionRestore === false ? 'off' : '';
  if (!e.points?.secondaryCollected) return 'on; not listed';
  return e.points.secondary && e.points.secondary.count > 0 ? `on; ${fmtTimeShort(e.points.secondary.latest)}` : { text: 'on; no point', color: COLORS.bad };
}

function drillCell(e: RestoreEntry): Cell {
  if (!e.lastDrill) return 'none recorded';
  return { text: `${e.lastDrill.date}\n${e.lastDrill.outcome}`, color: e.lastDrill.outcome === 'passed' ? COLORS.ok : COLORS.bad };
}

export function restoreReadiness(w: PdfWriter, m: PackModel): void {
  const r = m.restore;
  if (!r) return;
  w.section('Restore readiness', { layout: 'landscape' });
  const cap = m.appendixCap;
  w.paragraph(
    r.count > cap
      ? `The first ${fmtInt(cap)} of ${fmtInt(r.count)} items, by key. The workbook’s “Restore readiness” sheet lists every item with the commands that list its recovery points and restore it.`
      : `All ${fmtInt(r.count)} items, by key. The workbook’s “Restore readiness” sheet adds the commands that list each item’s recovery points and restore it.`,
  );
  w.note(
    r.listedVaults === 0
      ? 'The snapshot lists no recovery points: the latest point shown is what each item record says, and tiers are not known.'
      : 'Times are UTC. Tiers: snapshot (instant restore / operational store), vault-standard, archive; each shows oldest to newest point and their count.',
  );
  const rows = function* (): Generator<Cell[]> {
    let i = 0;
    for (const e of r.rows()) {
      if (i++ >= cap) return;
      yield [
        { text: e.name, weight: 'bold' },
        e.vault ?? '',
        e.workload ?? '',
        latestCell(e),
        tiersCell(e),
        secondaryCell(e),
        e.options.map((o) => o.label).join('; '),
        drillCell(e),
      ];
    }
  };
  w.table(
    [
      { header: 'Item', width: 2.2, maxLines: 2 },
      { header: 'Vault', width: 1.4, maxLines: 2 },
      { header: 'Workload', width: 1.3, minPt: 64 },
      { header: 'Latest (UTC)', width: 1.5, minPt: 70, maxLines: 3 },
      { header: 'By tier (oldest to newest)', width: 4.2, maxLines: 5 },
      { header: 'Secondary', width: 1.4, minPt: 62, maxLines: 2 },
      { header: 'Restore options', width: 2.8, maxLines: 6 },
      { header: 'Last drill', width: 1.3, minPt: 84, maxLines: 2 },
    ],
    rows(),
    { size: 7, empty: 'The snapshot holds no backup items.' },
  );
}
