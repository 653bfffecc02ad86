/** Exceptions and restore tests registers, cost, completeness, methodology and the item appendix. */
import { completenessOf, completenessWords } from '../../../../shared/domain/coverage.ts';
import { fmtInt, fmtNumber, fmtSignedMoney, fmtTime, fmtTimeShort } from '../write/format.ts';
import { ownerOfItem, type PackModel } from '../model.ts';
import { COLORS, type Cell, type PdfWriter } from './layout.ts';

export function exceptionsRegister(w: PdfWriter, m: PackModel): void {
  w.section('Exceptions register');
  w.paragraph(`Exceptions recorded in the annotation log. “Active” is judged at the snapshot’s as-of time (${fmtTime(m.current.summary.asOf)}); an exception holds through the end of its expiry day (UTC).`);
  w.table(
    [
      { header: 'Item / resource', width: 2.4, maxLines: 2 },
      { header: 'Rule', width: 1.9, maxLines: 2 },
      { header: 'Justification', width: 3.8, maxLines: 6 },
      { header: 'Approver / ticket', width: 2, maxLines: 3 },
      { header: 'Expires', width: 1, minPt: 60 },
      { header: 'Status', width: 1, minPt: 40 },
    ],
    m.exceptions.map((e) => [
      { text: e.name, weight: 'bold' },
      e.entry.rule,
      e.entry.justification,
      `${e.entry.approver}${e.entry.ticket ? `\n${e.entry.ticket}` : ''}`,
      e.entry.expires,
      e.activeAtAsOf ? { text: 'active', color: COLORS.ok } : { text: 'expired', color: COLORS.bad },
    ]),
    { empty: 'No exception has been recorded.' },
  );
}

export function restoreTestsRegister(w: PdfWriter, m: PackModel): void {
  w.section('Restore tests register');
  w.paragraph('Evidence of restore drills recorded in the annotation log, newest first.');
  w.table(
    [
      { header: 'Item', width: 2.4, maxLines: 2 },
      { header: 'Date', width: 1, minPt: 60 },
      { header: 'Recovery point', width: 2, maxLines: 2 },
      { header: 'Restore target', width: 2, maxLines: 2 },
      { header: 'Minutes', width: 0.9, align: 'right', minPt: 44 },
      { header: 'Outcome', width: 1, minPt: 50 },
      { header: 'Tester / ticket', width: 2, maxLines: 3 },
    ],
    m.restoreTests.map((r) => [
      { text: r.name, weight: 'bold' },
      r.test.date,
      r.test.recoveryPoint,
      r.test.target ?? '',
      r.test.durationMin === null ? '' : String(r.test.durationMin),
      r.test.outcome === 'passed' ? { text: 'passed', color: COLORS.ok } : { text: 'failed', color: COLORS.bad },
      [r.test.tester, r.test.ticket].filter(Boolean).join('\n'),
    ]),
    { empty: 'No restore test has been recorded.' },
  );
}

export function costSection(w: PdfWriter, m: PackModel): void {
  w.section('Cost');
  const c = m.analysis.cost;
  if (!c) {
    w.paragraph('Cost was not computed for this pack.');
    return;
  }
  const rc = m.analysis.ratecard;
  const rows: Array<[string, string]> = [
    ['Rate card', rc ? `${rc.name} — ${rc.currency}, effective ${rc.effectiveDate}` : 'not stated'],
    ['Source of prices', rc?.source ?? 'not stated'],
    ['Monthly total (after)', c.after.text],
  ];
  if (c.before) {
    rows.push(['Monthly total (before)', c.before.text]);
    rows.push(['Delta', c.change === null ? 'not stated: a total is incomplete (two lower bounds make no saving)' : fmtSignedMoney(c.change, c.currency)]);
  }
  if (c.delta) {
    rows.push(['… from removed items', fmtSignedMoney(c.delta.removed, c.currency)]);
    rows.push(['… from added items', fmtSignedMoney(c.delta.added, c.currency)]);
    rows.push(['… from changes on kept items', fmtSignedMoney(c.delta.changed, c.currency)]);
  }
  rows.push(['Items of unknown size', `${fmtInt(c.unknownSize)} (cost unknown, not counted as zero)`]);
  rows.push(['Unpriced items', `${fmtInt(c.unpriced)} (no fee for their workload in the rate card; cost unknown)`]);
  if (c.unconfirmedFees.length > 0) rows.push(['Unconfirmed rate-card figures used', c.unconfirmedFees.join(', ')]);
  rows.push(['Rounding', c.rounding]);
  w.keyValues(rows);
  w.subheading('By vault');
  w.table(
    [
      { header: 'Vault', width: 3.5 },
      { header: 'Items', width: 1, align: 'right' },
      { header: 'Before', width: 1.6, align: 'right' },
      { header: 'After', width: 1.6, align: 'right' },
      { header: 'Delta', width: 1.6, align: 'right' },
    ],
    c.byVault.map((v) => {
      const delta = v.before !== null && v.after !== null ? Math.round((v.after - v.before) * 100) / 100 : null;
      return [
        { text: v.group, weight: 'bold' },
        fmtInt(v.items),
        v.beforeText ?? '—',
        v.afterText,
        delta === null ? '—' : { text: fmtSignedMoney(delta, c.currency), color: delta > 0 ? COLORS.bad : delta < 0 ? COLORS.ok : COLORS.ink },
      ];
    }),
  );
  w.note('A vault total is an amount only when every item of the vault is priced; otherwise it says how many items are priced (“≥” a lower bound) or “unknown”, and no delta is shown. Per-item cost (front-end size, storage consumed, instance fee and its rate-card entry, storage cost) is in the workbook’s “Cost” sheet.');
}

export function completeness(w: PdfWriter, m: PackModel): void {
  w.section('Collection completeness');
  for (const s of [m.current, ...(m.baseline ? [m.baseline] : [])]) {
    const sum = s.summary;
    const kind = completenessOf(sum);
    w.subheading(`${s === m.current ? 'This snapshot' : 'Baseline'}: ${({ verified: 'complete (verified)', asStated: 'coverage as stated by the files, not verified', incomplete: 'INCOMPLETE' } as const)[kind]}`);
    w.paragraph(completenessWords[kind].sentence);
    const p = s.provenance;
    w.keyValues([
      ['Snapshot', sum.id],
      ['Data as of', `${fmtTime(sum.asOf)} (taken from: ${p.asOfSource})`],
      ['Source', `${p.source}, by ${p.user}, ${fmtTime(p.createdAt)}, Vaultproof ${p.toolVersion}`],
      ['Records', Object.entries(s.recordCounts).map(([k, v]) => `${k}: ${fmtInt(v)}`).join(', ')],
    ]);
    const failed = s.coverage.filter((c) => c.status === 'failed');
    w.table(
      [
        { header: 'Scope', width: 5, maxLines: 3 },
        { header: 'Status', width: 1.2, minPt: 44 },
        { header: 'Items', width: 0.9, align: 'right', minPt: 32 },
        { header: 'Error', width: 3.5, maxLines: 4 },
      ],
      [...failed, ...s.coverage.filter((c) => c.status !== 'failed')].map((c): Cell[] => [
        c.scope,
        // An import cannot know it holds a whole scope: it is "stated", not "collected".
        c.status === 'failed' ? { text: 'failed', color: COLORS.bad, weight: 'bold' } : kind === 'asStated' ? { text: 'stated', color: COLORS.ink } : { text: 'collected', color: COLORS.ok },
        c.itemCount === undefined ? '' : fmtInt(c.itemCount),
        c.error ? `${c.error.code}: ${c.error.message}` : '',
      ]),
      { empty: 'The source did not state its coverage.' },
    );
    if (p.files && p.files.length > 0) {
      w.table(
        [
          { header: 'Input file', width: 3.5, maxLines: 2 },
          { header: 'Format', width: 2 },
          { header: 'Records', width: 1, align: 'right', minPt: 38 },
          { header: 'SHA-256', width: 4, maxLines: 2 },
        ],
        p.files.map((f) => [f.name, f.format, fmtInt(f.records), f.sha256]),
      );
    }
  }
}

export function methodology(w: PdfWriter, m: PackModel): void {
  w.section('Methodology and provenance');
  const a = m.analysis;
  const rows: Array<[string, string]> = [
    ['Tool', `Vaultproof ${m.toolVersion}`],
    ['Canonical form', `version ${m.current.summary.canonicalVersion}: SHA-256 over the RFC 8785 canonical JSON of every normalised record, sorted by type then key, each with the SHA-256 of its raw JSON`],
    ['Audit profile', a.profile ? `${a.profile.name}${a.profile.version ? ` v${a.profile.version}` : ''}, SHA-256 ${a.profile.sha256} (data/profile.json)` : 'none used'],
    ['Rate card', a.ratecard ? `${a.ratecard.name}${a.ratecard.version ? ` v${a.ratecard.version}` : ''}, SHA-256 ${a.ratecard.sha256} (data/ratecard.json)` : 'none used'],
  ];
  if (a.sizes) rows.push(['Sizes dataset', `${a.sizes.id}${a.sizes.sha256 ? `, SHA-256 ${a.sizes.sha256}` : ''}`]);
  rows.push([
    'Annotation log',
    m.annotationLogHead ? `${fmtInt(m.annotationLogHead.count)} entries, head ${m.annotationLogHead.hash} (recorded in the manifest; \`vaultproof log verify\` checks the log still holds it)` : 'not available',
  ]);
  rows.push([
    'Signing time',
    m.signing.timeSource === 'rfc3161'
      ? `the manifest signature carries an RFC 3161 timestamp from ${m.signing.tsaUrl ?? 'a timestamp authority'}`
      : 'the signer’s own clock; no timestamp authority vouches for it',
  ]);
  rows.push(['Signer', m.signing.signer]);
  w.keyValues(rows);
  if (a.notes.length > 0) {
    w.subheading('Notes');
    for (const n of a.notes) w.paragraph(`• ${n}`);
  }
  w.subheading('How to check this pack');
  w.paragraph('1. With Vaultproof: `vaultproof verify PACK --trust CA.pem` checks the manifest signature(s), every file’s SHA-256, this PDF’s embedded signature, any timestamp, and recomputes the snapshot content hashes from data/.');
  w.paragraph('2. Without Vaultproof: `openssl cms -verify -binary -inform DER -in manifest.p7s -content manifest.json -noverify` checks the manifest signature; `sha256sum` each file and compare with manifest.json; `pdfsig report.pdf` checks this PDF’s signature.');
  w.paragraph('3. The workbook is a convenience copy of the same data; data/*.json is the reference.');
}

export function appendix(w: PdfWriter, m: PackModel): void {
  // Landscape: eight columns of names and states need the width.
  w.section('Item appendix', { layout: 'landscape' });
  const cap = m.appendixCap;
  const total = m.stats.items;
  w.paragraph(
    total > cap
      ? `The first ${fmtInt(cap)} of ${fmtInt(total)} items, by key. The workbook’s “Items” sheet and data/ list every item.`
      : `All ${fmtInt(total)} items, by key.`,
  );
  w.note('Times are UTC. A size shown as — was not given by the source (it is never taken as zero).');
  const rows = function* (): Generator<Cell[]> {
    let i = 0;
    for (const it of m.items()) {
      if (i++ >= cap) return;
      const ann = ownerOfItem(m.annotations, it);
      yield [
        { text: it.name, weight: 'bold' },
        it.vaultName ?? '',
        it.workloadType ?? '',
        it.softDeleted ? 'soft-deleted' : (it.protectionState ?? ''),
        it.neverBackedUp ? 'never' : fmtTimeShort(it.lastBackupTime),
        it.lastBackupStatus ?? '',
        ann?.owner ?? '',
        it.sizeGb === null ? '—' : fmtNumber(it.sizeGb),
      ];
    }
  };
  w.table(
    [
      { header: 'Item', width: 3.6 },
      { header: 'Vault', width: 1.9 },
      { header: 'Workload', width: 1.5, minPt: 62 },
      { header: 'State', width: 1.9, minPt: 72 },
      { header: 'Last backup (UTC)', width: 1.8, minPt: 80 },
      { header: 'Status', width: 1.2, minPt: 50 },
      { header: 'Owner', width: 1.8 },
      { header: 'Size (GB)', width: 1, align: 'right', minPt: 46 },
    ],
    rows(),
    { size: 7 },
  );
}
