/** Changes since the baseline, findings (by severity and by control), and the audit sample. */
import { isRuleId, rules } from '../../../../shared/domain/findings-rules.ts';
import { fmtInt, fmtTime, fmtTimeShort, fmtValue } from '../write/format.ts';
import type { Finding } from '../../../../shared/domain/findings.ts';
import { findingName, ownerOfItem, severityIndex, type PackModel } from '../model.ts';
import { COLORS, SEVERITY_COLORS, type Cell, type PdfWriter } from './layout.ts';

const TABLE_CAP = 300;
/** Findings listed per severity; the workbook lists them all. */
const SEVERITY_CAP = 200;

/**
 * The first `n` of one rule's findings by the subject's name (lower-cased),
 * ties in the order read: what a stable sort of them all would put first,
 * holding only `n`.
 */
function firstByName(findings: Iterable<Finding>, n: number, m: PackModel): Finding[] {
  const best: Array<{ f: Finding; name: string }> = [];
  for (const f of findings) {
    const name = findingName(f, m.nameOf).toLowerCase();
    if (best.length >= n && !(name < best[best.length - 1]!.name)) continue;
    // After every equal name: an earlier finding stays first.
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (best[mid]!.name <= name) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, { f, name });
    if (best.length > n) best.pop();
  }
  return best.map((b) => b.f);
}

function* capped<T>(items: readonly T[], cap: number, map: (t: T) => Cell[]): Generator<Cell[]> {
  for (let i = 0; i < Math.min(items.length, cap); i++) yield map(items[i]!);
}

function moreNote(w: PdfWriter, total: number, cap: number, sheet: string): void {
  if (total > cap) w.note(`${fmtInt(total - cap)} more not shown here; the workbook’s “${sheet}” sheet lists all ${fmtInt(total)}.`);
}

const reasonText: Record<string, string> = {
  softDeleted: 'soft-deleted (data retained until permanent deletion)',
  gone: 'gone from the vault',
  notCollected: 'not collected this time (vault failed) — not claimed as removed',
};

export function changes(w: PdfWriter, m: PackModel): void {
  w.section('Changes since the baseline', { newPage: true });
  const d = m.analysis.diff;
  if (!m.baseline || !d) {
    w.paragraph(m.baseline ? 'The comparison was not computed for this pack.' : 'No baseline snapshot was given (--compare), so there is nothing to compare.');
    return;
  }
  w.keyValues([
    ['Baseline', `${m.baseline.summary.id} — as of ${fmtTime(m.baseline.summary.asOf)}`],
    ['This snapshot', `${m.current.summary.id} — as of ${fmtTime(m.current.summary.asOf)}`],
    ['Added', fmtInt(d.added.length)],
    ['Removed', fmtInt(d.removed.length)],
    ['Changed', fmtInt(d.changed.length)],
    ['Unchanged', fmtInt(d.unchanged)],
  ]);
  if (d.notCompared.length > 0) w.note(`Not compared: ${d.notCompared.map((n) => `${n.field} (${n.reason})`).join('; ')}.`);

  const itemCells = (key: string, side: 'current' | 'baseline'): Cell[] => {
    const it = side === 'current' ? m.currentItem(key) : m.baselineItem(key);
    return [{ text: m.nameOf(key), weight: 'bold' }, it?.vaultName ?? '', it?.workloadType ?? ''];
  };
  w.subheading(`Added (${fmtInt(d.added.length)})`);
  w.table(
    [
      { header: 'Item', width: 4 },
      { header: 'Vault', width: 2.5 },
      { header: 'Workload', width: 2 },
    ],
    capped(d.added, TABLE_CAP, (k) => itemCells(k, 'current')),
    { empty: 'No item was added.' },
  );
  moreNote(w, d.added.length, TABLE_CAP, 'Changes');

  w.subheading(`Removed (${fmtInt(d.removed.length)})`);
  w.table(
    [
      { header: 'Item', width: 3.5 },
      { header: 'Vault', width: 2 },
      { header: 'Workload', width: 1.5 },
      { header: 'Reason', width: 3, maxLines: 2 },
    ],
    capped(d.removed, TABLE_CAP, (r) => [...itemCells(r.key, 'baseline'), { text: reasonText[r.reason] ?? r.reason, color: r.reason === 'notCollected' ? COLORS.warn : COLORS.ink }]),
    { empty: 'No item was removed.' },
  );
  moreNote(w, d.removed.length, TABLE_CAP, 'Changes');

  w.subheading(`Changed (${fmtInt(d.changed.length)})`);
  const changedRows: Cell[][] = [];
  let total = 0;
  for (const c of d.changed) {
    for (const [field, ch] of Object.entries(c.fields)) {
      total++;
      if (changedRows.length < TABLE_CAP) changedRows.push([{ text: m.nameOf(c.key), weight: 'bold' }, field, `${fmtValue(ch?.before)} → ${fmtValue(ch?.after)}`]);
    }
  }
  w.table(
    [
      { header: 'Item', width: 3.5 },
      { header: 'Field', width: 1.8 },
      { header: 'Before → after', width: 4.5, maxLines: 2 },
    ],
    changedRows,
    { empty: 'No item changed.' },
  );
  moreNote(w, total, TABLE_CAP, 'Changes');
}

function findingRow(f: Finding, m: PackModel): Cell[] {
  const owner = m.ownerOf(f.key, f.target);
  return [
    { text: f.severity, color: SEVERITY_COLORS[f.severity.toLowerCase()] ?? COLORS.ink, weight: 'bold' },
    f.rule,
    { text: findingName(f, m.nameOf), weight: 'bold' },
    owner ?? { text: 'no owner', color: COLORS.bad },
    f.excepted ? { text: `excepted${f.exception ? ` until ${f.exception.expires}` : ''}`, color: COLORS.muted } : { text: 'open', color: COLORS.bad },
  ];
}

export function findings(w: PdfWriter, m: PackModel): void {
  w.section('Findings', { newPage: true });
  const fr = m.analysis.findings;
  if (!fr) {
    w.paragraph('Findings were not computed for this pack.');
    return;
  }
  w.paragraph(`Every rule is judged at the snapshot’s as-of time (${fmtTime(fr.asOf)}), never at the time this pack was made. Excepted findings stay listed with their exception.`);
  // Per severity, the table shows the first 200 findings by rule, then by the item's name (a reader finds an item
  // where they expect it), ties in the analysis's order; only those 200 are held, the rest stream past from the spool.
  const bySeverity = new Map<string, Array<{ rule: string; count: number }>>();
  for (const r of fr.rules) {
    const s = r.severity.toLowerCase();
    let l = bySeverity.get(s);
    if (!l) bySeverity.set(s, (l = []));
    l.push(r);
  }
  const sevs = [...bySeverity.keys()].sort((a, b) => severityIndex(a) - severityIndex(b));
  w.subheading('By severity');
  if (sevs.length === 0) w.paragraph('No findings.');
  for (const s of sevs) {
    const ruleList = [...bySeverity.get(s)!].sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
    const total = ruleList.reduce((n, r) => n + r.count, 0);
    const shown: Finding[] = [];
    for (const r of ruleList) {
      if (shown.length >= SEVERITY_CAP) break;
      shown.push(...firstByName(fr.ofRule(r.rule), SEVERITY_CAP - shown.length, m));
    }
    w.ensure(80);
    w.ts.line(`${s} — ${fmtInt(total)}`, w.left, w.y, { weight: 'bold', size: 10, color: SEVERITY_COLORS[s] ?? COLORS.ink });
    w.y += 16;
    w.table(
      [
        { header: 'Severity', width: 1.1, minPt: 44 },
        { header: 'Rule', width: 2.4, maxLines: 2 },
        { header: 'Item', width: 3.2, maxLines: 2 },
        { header: 'Owner', width: 1.8, maxLines: 2 },
        { header: 'Status', width: 1.8, maxLines: 2 },
      ],
      capped(shown, SEVERITY_CAP, (f) => findingRow(f, m)),
    );
    moreNote(w, total, SEVERITY_CAP, 'Findings');
  }

  w.subheading('By control');
  const byControl = new Map<string, { rules: Set<string>; open: number; excepted: number }>();
  for (const r of fr.rules) {
    // A finding's controls are its rule's, from the catalogue.
    for (const c of isRuleId(r.rule) ? rules[r.rule].controls : []) {
      let e = byControl.get(c);
      if (!e) byControl.set(c, (e = { rules: new Set(), open: 0, excepted: 0 }));
      e.rules.add(r.rule);
      e.excepted += r.excepted;
      e.open += r.count - r.excepted;
    }
  }
  w.table(
    [
      { header: 'Control', width: 2.6 },
      { header: 'Rules with findings', width: 5, maxLines: 4 },
      { header: 'Open', width: 0.9, align: 'right' },
      { header: 'Excepted', width: 1.1, align: 'right' },
    ],
    [...byControl.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([c, e]) => [{ text: c, weight: 'bold' }, [...e.rules].sort().join(', '), fmtInt(e.open), fmtInt(e.excepted)]),
    { empty: 'No findings, so no control is affected.' },
  );

  if (fr.notEvaluated.length > 0) {
    w.subheading('Rules not evaluated');
    w.table(
      [
        { header: 'Rule', width: 2, maxLines: 2 },
        { header: 'Why not', width: 6, maxLines: 3 },
      ],
      fr.notEvaluated.map((n) => [n.rule, n.reason]),
    );
  }

  w.subheading('Rules');
  const ruleIdsSeen = new Set([...fr.rules.map((r) => r.rule), ...fr.notEvaluated.map((n) => n.rule)]);
  w.table(
    [
      { header: 'Rule', width: 2, maxLines: 2 },
      { header: 'What it checks and why it matters', width: 5, maxLines: 5 },
      { header: 'Controls', width: 2.6, maxLines: 5 },
    ],
    Object.values(rules)
      .filter((r) => ruleIdsSeen.has(r.id) || fr.total === 0)
      .map((r) => [{ text: r.id, weight: 'bold' }, `${r.title}. ${r.why}`, r.controls.join('; ')]),
  );
}

export function sample(w: PdfWriter, m: PackModel): void {
  w.section('Audit sample');
  const s = m.analysis.sample;
  if (!s) {
    w.paragraph('No sample was drawn for this pack (use --sample SEED:N).');
    return;
  }
  w.keyValues([
    ['Seed', s.seed],
    ['Method', s.method],
    ['Size', `${fmtInt(s.keys.length)} of ${fmtInt(m.stats.items)} items${s.keys.length < s.size ? ` (asked for ${fmtInt(s.size)})` : ''}`],
  ]);
  w.note('Anyone can redraw the same sample from the data in this pack with the seed and method above (`vaultproof sample SNAPSHOT --size N --seed S`).');
  // Open findings of the sampled items only, counted as the findings stream past.
  const findingsByKey = new Map<string, number>(s.keys.map((k) => [k, 0]));
  for (const f of m.analysis.findings?.all() ?? []) if (!f.excepted && findingsByKey.has(f.key)) findingsByKey.set(f.key, findingsByKey.get(f.key)! + 1);
  w.table(
    [
      { header: '#', width: 0.5, align: 'right', minPt: 18 },
      { header: 'Item', width: 3.4, maxLines: 2 },
      { header: 'Vault', width: 2 },
      { header: 'State', width: 1.7 },
      { header: 'Last backup (UTC)', width: 1.9, minPt: 90 },
      { header: 'Owner', width: 1.6 },
      { header: 'Findings', width: 1.1, align: 'right', minPt: 38 },
    ],
    s.keys.map((k, i) => {
      const it = m.currentItem(k);
      const owner = it ? ownerOfItem(m.annotations, it)?.owner : null;
      return [String(i + 1), { text: m.nameOf(k), weight: 'bold' }, it?.vaultName ?? '', it?.protectionState ?? '', it ? (it.neverBackedUp ? 'never' : fmtTimeShort(it.lastBackupTime)) : '', owner ?? '', fmtInt(findingsByKey.get(k) ?? 0)];
    }),
  );
}
