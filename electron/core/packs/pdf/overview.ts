/** Cover page, executive summary and charts. */
import { completenessOf, completenessWords, type Completeness } from '../../../../shared/domain/coverage.ts';
import { fmtInt, fmtMoney, fmtPct, fmtSignedMoney, fmtTime } from '../write/format.ts';
import { protectionGroups, severityOrder, type PackModel, type SnapshotInfo } from '../model.ts';
import { bars, figures, pairedBars, stackedBars } from './charts.ts';
import { COLORS, GROUP_COLORS, SEVERITY_COLORS, type PdfWriter } from './layout.ts';

function snapshotLine(s: SnapshotInfo): string {
  const sum = s.summary;
  return `${sum.id}${sum.label ? ` (“${sum.label}”)` : ''} — data as of ${fmtTime(sum.asOf)}, ${sum.source}, ${fmtInt(sum.itemCount)} items, ${({ verified: 'complete (verified)', asStated: 'coverage as stated by the files', incomplete: 'INCOMPLETE' } as const)[completenessOf(sum)]}`;
}

export function cover(w: PdfWriter, m: PackModel): void {
  const cur = m.current.summary;
  w.y = 120;
  w.ts.line('Azure Backup evidence pack', w.left, w.y, { weight: 'bold', size: 26, color: COLORS.heading });
  w.y += 40;
  const plural = (n: number, one: string, many: string): string => `${fmtInt(n)} ${n === 1 ? one : many}`;
  const scope = `${plural(m.stats.items, 'backup item', 'backup items')} in ${plural(m.stats.vaults.length, 'vault', 'vaults')}, ${plural(m.stats.subscriptions.length, 'subscription', 'subscriptions')}`;
  w.paragraph(scope, { size: 13, color: COLORS.muted });
  w.y += 10;
  // The weakest of the snapshots shown: incomplete, else as stated by files, else verified.
  const order: Completeness[] = ['incomplete', 'asStated', 'verified'];
  const kinds = [completenessOf(m.current.summary), ...(m.baseline ? [completenessOf(m.baseline.summary)] : [])];
  const completeness = order.find((k) => kinds.includes(k))!;
  const words = completenessWords[completeness];
  const bw = w.ts.width(words.badge, 'bold', 11) + 24;
  w.doc.roundedRect(w.left, w.y, bw, 24, 4).fill(completeness === 'verified' ? COLORS.ok : completeness === 'asStated' ? COLORS.muted : COLORS.bad);
  w.ts.line(words.badge, w.left + 12, w.y + 6, { weight: 'bold', size: 11, color: '#FFFFFF' });
  w.y += 40;
  w.paragraph(`${words.sentence} See “Collection completeness”.`, { color: completeness === 'incomplete' ? COLORS.bad : COLORS.ink });
  const rows: Array<[string, string]> = [
    ['Pack id', m.packId],
    ['Created', `${fmtTime(m.createdAt)} by ${m.createdBy}`],
    ['Snapshot', snapshotLine(m.current)],
    ['Snapshot content hash', cur.contentHash],
  ];
  if (m.baseline) {
    rows.push(['Compared with', snapshotLine(m.baseline)]);
    rows.push(['Baseline content hash', m.baseline.summary.contentHash]);
  }
  rows.push(['Tenants', m.stats.tenants.length ? m.stats.tenants.join(', ') : 'not stated by the source']);
  rows.push(['Subscriptions', m.stats.subscriptions.length ? m.stats.subscriptions.join(', ') : 'not stated by the source']);
  if (m.analysis.profile) rows.push(['Audit profile', `${m.analysis.profile.name}${m.analysis.profile.version ? ` v${m.analysis.profile.version}` : ''} (SHA-256 ${m.analysis.profile.sha256})`]);
  if (m.analysis.ratecard) rows.push(['Rate card', `${m.analysis.ratecard.name} (SHA-256 ${m.analysis.ratecard.sha256})`]);
  rows.push(['Signed by', m.signing.signer]);
  rows.push([
    'Signing time',
    m.signing.timeSource === 'rfc3161' ? `RFC 3161 timestamp from ${m.signing.tsaUrl ?? 'a timestamp authority'}` : 'the signer’s own clock (no timestamp authority was used)',
  ]);
  w.keyValues(rows, { labelWidth: 140, size: 9 });
  w.y += 6;
  w.note(
    'This report is one file of a signed evidence pack (report.pdf, workbook.xlsx, data/*.json, manifest.json, manifest.p7s, signer.pem). ' +
      'The manifest lists the SHA-256 of every file and is signed; this PDF also carries its own embedded signature. Check the whole pack with `vaultproof verify`.',
  );
}

function severityCounts(m: PackModel): Map<string, { open: number; excepted: number }> {
  const out = new Map<string, { open: number; excepted: number }>(severityOrder.map((s) => [s, { open: 0, excepted: 0 }]));
  for (const r of m.analysis.findings?.rules ?? []) {
    const s = r.severity.toLowerCase();
    const e = out.get(s) ?? { open: 0, excepted: 0 };
    e.excepted += r.excepted;
    e.open += r.count - r.excepted;
    out.set(s, e);
  }
  return out;
}

export function executiveSummary(w: PdfWriter, m: PackModel): void {
  w.section('Executive summary', { newPage: true });
  const s = m.stats;
  const cost = m.analysis.cost;
  const fig: Array<{ label: string; value: string; sub?: string; color?: string }> = [
    { label: 'Backup items', value: fmtInt(s.items), sub: m.baselineStats ? `baseline: ${fmtInt(m.baselineStats.items)}` : `${fmtInt(s.vaults.length)} vaults` },
    { label: 'Share protected', value: fmtPct(s.protectedItems, s.items), sub: `${fmtInt(s.protectedItems)} of ${fmtInt(s.items)} items`, color: COLORS.ok },
    { label: 'Last backup failed', value: fmtInt(s.lastBackupFailed), sub: `${fmtInt(s.neverBackedUp)} never backed up`, color: s.lastBackupFailed > 0 ? COLORS.bad : COLORS.heading },
    { label: 'Soft-deleted items', value: fmtInt(s.softDeleted), sub: 'data retained until purge' },
  ];
  if (m.analysis.findings) {
    const exc = m.analysis.findings.rules.reduce((n, r) => n + r.excepted, 0);
    const open = m.analysis.findings.total - exc;
    fig.push({ label: 'Open findings', value: fmtInt(open), sub: `${fmtInt(exc)} excepted`, color: open > 0 ? COLORS.warn : COLORS.ok });
  }
  if (cost) {
    // An amount that is not known is never a number: "unknown (0 of 21 priced)" or "≥ $X (N of M priced)".
    const tile = (t: NonNullable<typeof cost.before>): { value: string; sub: string } =>
      t.total !== null
        ? { value: t.text, sub: t.billableItems === 0 ? 'no billable item' : 'every billable item priced' }
        : { value: t.pricedItems === 0 ? 'unknown' : `≥ ${fmtMoney(t.pricedTotal, cost.currency)}`, sub: `${fmtInt(t.pricedItems)} of ${fmtInt(t.billableItems)} items priced` };
    fig.push({ label: 'Monthly cost (after)', ...tile(cost.after) });
    if (cost.before) {
      fig.push({ label: 'Monthly cost (before)', ...tile(cost.before) });
      fig.push(
        cost.change === null
          ? { label: 'Delta per month', value: 'not stated', sub: 'a total is incomplete', color: COLORS.heading }
          : { label: 'Delta per month', value: fmtSignedMoney(cost.change, cost.currency), color: cost.change < 0 ? COLORS.ok : cost.change > 0 ? COLORS.bad : COLORS.heading },
      );
    }
  }
  figures(w, fig);

  w.subheading('Findings by severity');
  if (m.analysis.findings) {
    const counts = severityCounts(m);
    w.table(
      [
        { header: 'Severity', width: 2 },
        { header: 'Open', width: 1, align: 'right' },
        { header: 'Excepted', width: 1, align: 'right' },
      ],
      [...counts.entries()].map(([sev, c]) => [{ text: sev, color: SEVERITY_COLORS[sev] ?? COLORS.ink, weight: 'bold' }, fmtInt(c.open), fmtInt(c.excepted)]),
    );
    const ne = m.analysis.findings.notEvaluated.length;
    if (ne > 0) w.note(`${ne} rule(s) were not evaluated because the snapshot lacks their inputs; see “Findings”. They are not counted as zero findings.`);
  } else {
    w.note('Findings were not computed for this pack.');
  }

  w.subheading('Protection state');
  w.table(
    [
      { header: 'State', width: 3 },
      { header: 'Items', width: 1, align: 'right' },
      { header: 'Share', width: 1, align: 'right' },
    ],
    s.byGroup.filter((g) => g.count > 0).map((g) => [g.label, fmtInt(g.count), fmtPct(g.count, s.items)]),
  );
  if (m.analysis.diff) {
    const d = m.analysis.diff;
    const gone = d.removed.filter((r) => r.reason !== 'notCollected').length;
    w.paragraph(
      `Since the baseline: ${fmtInt(d.added.length)} added, ${fmtInt(gone)} removed, ${fmtInt(d.changed.length)} changed, ${fmtInt(d.unchanged)} unchanged` +
        (d.removed.length > gone ? `; ${fmtInt(d.removed.length - gone)} not collected this time (not claimed as removed).` : '.'),
    );
  }
}

export function charts(w: PdfWriter, m: PackModel): void {
  w.section('Charts');
  stackedBars(
    w,
    'Protection state by workload',
    m.stats.byWorkload.slice(0, 14).map((wl) => ({ label: wl.workload, segments: protectionGroups.map((g) => ({ key: g, value: wl.groups[g] ?? 0 })) })),
    GROUP_COLORS,
  );
  if (m.stats.byWorkload.length > 14) w.note(`${m.stats.byWorkload.length - 14} smaller workload types are not drawn; the workbook has all of them.`);
  if (m.analysis.findings) {
    const counts = severityCounts(m);
    bars(
      w,
      'Findings by severity (open + excepted)',
      [...counts.entries()].map(([sev, c]) => ({ label: sev, value: c.open + c.excepted, color: SEVERITY_COLORS[sev] ?? COLORS.faint })),
    );
  }
  const cost = m.analysis.cost;
  if (cost && cost.byVault.length > 0) {
    const rows = [...cost.byVault].sort((a, b) => Math.max(b.before ?? 0, b.after ?? 0) - Math.max(a.before ?? 0, a.after ?? 0)).slice(0, 15);
    pairedBars(w, `Monthly cost by vault (${cost.currency})`, rows.map((r) => ({ label: r.group, before: r.before, after: r.after })), {
      beforeLabel: m.baseline ? 'before (baseline)' : 'before (not compared)',
      afterLabel: 'after (this snapshot)',
      valueText: (v) => fmtMoney(v, cost.currency),
    });
    if (cost.byVault.length > 15) w.note(`${cost.byVault.length - 15} vaults with smaller cost are not drawn; see “Cost”.`);
    if (rows.some((r) => r.after === null || (m.baseline && r.before === null))) w.note('n/a: not every item of the vault is priced, so its cost is not drawn as an amount; “Cost” says how many are priced.');
  }
}
