/**
 * What workbook.xlsx holds: its sheets, their columns (widths, number
 * formats) and rows, produced lazily from the pack model so the writer can
 * stream them. Text a person or a source supplied goes through literal().
 */
import { completenessOf, completenessWords } from '../../../../shared/domain/coverage.ts';
import { rules, isRuleId } from '../../../../shared/domain/findings-rules.ts';
import { fmtPct, fmtTime } from './format.ts';
import { amount, findingName, ownerOfItem, portalLink, severityOrder, type PackModel } from '../model.ts';
import { shownInReport } from '../../terminal-text.ts';

export type Value = string | number | boolean | Date | null | { text: string; hyperlink: string } | { richText: Array<{ text: string }> };

export type ColumnSpec = { header: string; width: number; numFmt?: string; link?: boolean };

export type SheetSpec = {
  name: string;
  columns: ColumnSpec[];
  rows: Iterable<Value[]>;
  /** 0-based column holding a severity, for conditional formatting. */
  severityColumn?: number;
  /**
   * A figure sheet (Summary): no autofilter, printed on one page. Every other
   * sheet is a list: autofilter, landscape, fitted to the page width, header row repeated.
   */
  figures?: boolean;
};

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell value for user-supplied text: never a formula. */
export function literal(value: string | null | undefined): Value {
  if (value === null || value === undefined || value === '') return null;
  const s = shownInReport(value);
  return FORMULA_START.test(s) ? { richText: [{ text: s }] } : s;
}

function when(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t);
}

export const DATE_FMT = 'yyyy-mm-dd hh:mm';
const DAY_FMT = 'yyyy-mm-dd';

function moneyFmt(currency: string): string {
  return `#,##0.00 "${currency}"`;
}

function* summaryRows(m: PackModel): Generator<Value[]> {
  const s = m.stats;
  yield ['Pack id', m.packId];
  yield ['Created', when(m.createdAt)];
  yield ['Created by', literal(m.createdBy)];
  yield ['Snapshot', m.current.summary.id];
  yield ['Snapshot label', literal(m.current.summary.label)];
  yield ['Data as of', when(m.current.summary.asOf)];
  yield ['Collection', completenessWords[completenessOf(m.current.summary)].sentence];
  if (m.baseline) {
    yield ['Baseline snapshot', m.baseline.summary.id];
    yield ['Baseline as of', when(m.baseline.summary.asOf)];
  }
  yield ['Backup items', s.items];
  yield ['Protected items', s.protectedItems];
  yield ['Share protected', fmtPct(s.protectedItems, s.items)];
  yield ['Last backup failed', s.lastBackupFailed];
  yield ['Never backed up', s.neverBackedUp];
  yield ['Soft-deleted items', s.softDeleted];
  yield ['Vaults', s.vaults.length];
  yield ['Subscriptions', s.subscriptions.join(', ')];
  yield ['Tenants', s.tenants.join(', ')];
  const f = m.analysis.findings;
  if (f) {
    const counts = new Map(severityOrder.map((sev) => [sev, { open: 0, excepted: 0 }]));
    for (const r of f.rules) {
      const c = counts.get(r.severity.toLowerCase());
      if (c) {
        c.open += r.count - r.excepted;
        c.excepted += r.excepted;
      }
    }
    for (const [sev, c] of counts) yield [`Findings: ${sev} (open / excepted)`, `${c.open} / ${c.excepted}`];
    yield ['Rules not evaluated', f.notEvaluated.map((n) => n.rule).join(', ')];
  } else yield ['Findings', 'not computed'];
  const c = m.analysis.cost;
  if (c) {
    // A number only when known; otherwise the words ("unknown (0 of 21 priced)", "≥ $X (N of M priced)").
    yield [`Monthly cost after (${c.currency})`, c.after.total ?? c.after.text];
    if (c.before) {
      yield [`Monthly cost before (${c.currency})`, c.before.total ?? c.before.text];
      yield [`Delta (${c.currency})`, c.change ?? 'not stated: a total is incomplete'];
    }
    yield ['Items priced', `${c.after.pricedItems} of ${c.after.billableItems}`];
    yield ['Items of unknown size', c.unknownSize];
  } else yield ['Cost', 'not computed'];
  if (m.analysis.diff) {
    const d = m.analysis.diff;
    yield ['Added since baseline', d.added.length];
    yield ['Removed since baseline', d.removed.length];
    yield ['Changed since baseline', d.changed.length];
    yield ['Unchanged', d.unchanged];
  }
}

function* itemRows(m: PackModel): Generator<Value[]> {
  // Open findings per item come from the spooled findings' per-item counts, by the item's place in key order.
  const fx = m.analysis.findings;
  const costOf = m.analysis.cost?.totals() ?? null;
  let ordinal = 0;
  try {
    for (const it of m.items()) {
      const ann = ownerOfItem(m.annotations, it);
      const f = fx ? fx.ofItem(ordinal++, it.key) : null;
      yield [
        literal(it.name),
        literal(it.vaultName),
        literal(it.subscriptionId),
        literal(it.resourceGroup),
        literal(it.workloadType),
        literal(it.backupManagementType),
        literal(it.protectionState),
        literal(it.healthStatus ?? it.protectedItemHealthStatus),
        literal(it.lastBackupStatus),
        it.neverBackedUp ? 'never' : when(it.lastBackupTime),
        literal(it.policyName),
        it.softDeleted ? 'yes' : 'no',
        it.sizeGb,
        literal(ann?.owner),
        literal(ann?.team),
        ann?.criticality ?? null,
        f?.open ?? 0,
        f?.worst ?? null,
        costOf ? amount(costOf.of(it.key)) : null,
        { text: 'Open in Azure portal', hyperlink: portalLink(m.portalBase, it, m.portalTenant) },
        literal(it.key),
      ];
    }
  } finally {
    costOf?.close();
  }
}

function* changeRows(m: PackModel): Generator<Value[]> {
  const d = m.analysis.diff;
  if (!d) return;
  for (const k of d.added) yield ['added', literal(m.nameOf(k)), null, null, null, null, literal(k)];
  for (const r of d.removed) yield ['removed', literal(m.nameOf(r.key)), null, null, null, r.reason, literal(r.key)];
  for (const c of d.changed) {
    for (const [field, ch] of Object.entries(c.fields)) {
      const show = (v: unknown): Value => (v === null || v === undefined ? null : typeof v === 'number' ? v : literal(String(v)));
      yield ['changed', literal(m.nameOf(c.key)), field, show(ch?.before), show(ch?.after), null, literal(c.key)];
    }
  }
}

function* findingRows(m: PackModel): Generator<Value[]> {
  const rank = new Map(severityOrder.map((sev, i) => [sev, i]));
  const r = (sev: string): number => rank.get(sev) ?? severityOrder.length;
  // By severity, then rule; within a rule the analysis's order (by key), each rule's findings streamed from the spool.
  const fr = m.analysis.findings;
  if (!fr) return;
  const order = [...fr.rules].sort((a, b) => r(a.severity) - r(b.severity) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  const controls = new Map<string, string>();
  for (const f of (function* () {
    for (const x of order) yield* fr.ofRule(x.rule);
  })()) {
    let c = controls.get(f.rule);
    if (c === undefined) controls.set(f.rule, (c = f.controls.join('; ')));
    yield [
      f.severity,
      f.rule,
      literal(f.title),
      literal(findingName(f, m.nameOf)),
      literal(m.ownerOf(f.key, f.target)),
      c,
      f.excepted ? 'yes' : 'no',
      literal(f.exception?.id),
      literal(JSON.stringify(f.evidence)),
      isRuleId(f.rule) ? rules[f.rule].why : null,
      literal(f.key),
    ];
  }
}

export function workbookSheets(m: PackModel): SheetSpec[] {
  const currency = m.analysis.cost?.currency ?? 'USD';
  const money = moneyFmt(currency);
  return [
    { name: 'Summary', figures: true, columns: [{ header: 'Figure', width: 36 }, { header: 'Value', width: 70, numFmt: 'General' }], rows: summaryRows(m) },
    {
      name: 'Items',
      columns: [
        { header: 'Item', width: 34 },
        { header: 'Vault', width: 22 },
        { header: 'Subscription', width: 38 },
        { header: 'Resource group', width: 20 },
        { header: 'Workload', width: 16 },
        { header: 'Management type', width: 16 },
        { header: 'Protection state', width: 18 },
        { header: 'Health', width: 14 },
        { header: 'Last backup status', width: 16 },
        { header: 'Last backup (UTC)', width: 18, numFmt: DATE_FMT },
        { header: 'Policy', width: 20 },
        { header: 'Soft-deleted', width: 11 },
        { header: 'Size (GB)', width: 11, numFmt: '#,##0.00' },
        { header: 'Owner', width: 20 },
        { header: 'Team', width: 16 },
        { header: 'Criticality', width: 11 },
        { header: 'Open findings', width: 12, numFmt: '0' },
        { header: 'Worst severity', width: 13 },
        { header: `Monthly cost (${currency})`, width: 16, numFmt: money },
        { header: 'Portal', width: 20, link: true },
        { header: 'Item key', width: 60 },
      ],
      rows: itemRows(m),
      severityColumn: 17,
    },
    {
      name: 'Changes',
      columns: [
        { header: 'Change', width: 10 },
        { header: 'Item', width: 34 },
        { header: 'Field', width: 18 },
        { header: 'Before', width: 24 },
        { header: 'After', width: 24 },
        { header: 'Reason', width: 14 },
        { header: 'Item key', width: 60 },
      ],
      rows: changeRows(m),
    },
    {
      name: 'Findings',
      columns: [
        { header: 'Severity', width: 10 },
        { header: 'Rule', width: 26 },
        { header: 'Title', width: 50 },
        { header: 'Item', width: 34 },
        { header: 'Owner', width: 20 },
        { header: 'Controls', width: 50 },
        { header: 'Excepted', width: 9 },
        { header: 'Exception', width: 14 },
        { header: 'Evidence', width: 60 },
        { header: 'Why it matters', width: 60 },
        { header: 'Item key', width: 60 },
      ],
      rows: findingRows(m),
      severityColumn: 0,
    },
    {
      name: 'Exceptions',
      columns: [
        { header: 'Item / resource', width: 34 },
        { header: 'Rule', width: 22 },
        { header: 'Justification', width: 50 },
        { header: 'Approver', width: 20 },
        { header: 'Ticket', width: 14 },
        { header: 'Expires', width: 12, numFmt: DAY_FMT },
        { header: `Status at as-of`, width: 14 },
        { header: 'Exception id', width: 14 },
        { header: 'Created (UTC)', width: 18, numFmt: DATE_FMT },
        { header: 'Created by', width: 16 },
        { header: 'Target', width: 60 },
      ],
      rows: m.exceptions.map((e) => [
        literal(e.name),
        e.entry.rule,
        literal(e.entry.justification),
        literal(e.entry.approver),
        literal(e.entry.ticket),
        when(`${e.entry.expires}T00:00:00Z`),
        e.activeAtAsOf ? 'active' : 'expired',
        literal(e.entry.id),
        when(e.entry.createdAt),
        literal(e.entry.createdBy),
        literal(e.target),
      ]),
    },
    {
      name: 'Restore tests',
      columns: [
        { header: 'Item', width: 34 },
        { header: 'Date', width: 12, numFmt: DAY_FMT },
        { header: 'Recovery point', width: 24 },
        { header: 'Restore target', width: 24 },
        { header: 'Minutes', width: 9, numFmt: '0' },
        { header: 'Outcome', width: 10 },
        { header: 'Tester', width: 18 },
        { header: 'Ticket', width: 14 },
        { header: 'Target', width: 60 },
      ],
      rows: m.restoreTests.map((r) => [
        literal(r.name),
        when(`${r.test.date}T00:00:00Z`),
        literal(r.test.recoveryPoint),
        literal(r.test.target),
        r.test.durationMin,
        r.test.outcome,
        literal(r.test.tester),
        literal(r.test.ticket),
        literal(r.target),
      ]),
    },
    ...(m.restore
      ? [
          {
            name: 'Restore readiness',
            columns: [
              { header: 'Item', width: 30 },
              { header: 'Vault', width: 20 },
              { header: 'Vault kind', width: 15 },
              { header: 'Container', width: 34 },
              { header: 'Item / instance name', width: 34 },
              { header: 'Workload', width: 16 },
              { header: 'Protection state', width: 14 },
              { header: 'Points listed', width: 8, numFmt: '0' },
              { header: 'Latest point (UTC)', width: 16, numFmt: DATE_FMT },
              { header: 'Oldest point (UTC)', width: 16, numFmt: DATE_FMT },
              { header: 'Snapshot latest', width: 16, numFmt: DATE_FMT },
              { header: 'Snapshot oldest', width: 16, numFmt: DATE_FMT },
              { header: 'Vault-standard latest', width: 16, numFmt: DATE_FMT },
              { header: 'Vault-standard oldest', width: 16, numFmt: DATE_FMT },
              { header: 'Archive latest', width: 16, numFmt: DATE_FMT },
              { header: 'Archive oldest', width: 16, numFmt: DATE_FMT },
              { header: 'Cross-region restore', width: 10 },
              { header: 'Secondary latest', width: 16, numFmt: DATE_FMT },
              { header: 'Secondary oldest', width: 16, numFmt: DATE_FMT },
              { header: 'Restore options', width: 50 },
              { header: 'Last drill', width: 12, numFmt: DAY_FMT },
              { header: 'Drill outcome', width: 10 },
              { header: 'List points (az)', width: 80 },
              { header: 'Show latest point (az)', width: 80 },
              { header: 'Restore (az)', width: 80 },
              { header: 'List points (PowerShell)', width: 80 },
              { header: 'Restore (PowerShell)', width: 80 },
              { header: 'Notes', width: 60 },
            ],
            rows: restoreRows(m),
          },
        ]
      : []),
    ...(m.alerts
      ? [
          {
            name: 'Alert routing',
            columns: [
              { header: 'Vault', width: 22 },
              { header: 'Job-failure alerts', width: 12 },
              { header: 'Failures reach', width: 12 },
              { header: 'Why', width: 60 },
              { header: 'Receiver kind', width: 12 },
              { header: 'Receiver', width: 30 },
              { header: 'Address / target', width: 40 },
              { header: 'Action group', width: 26 },
              { header: 'Alert processing rule', width: 26 },
            ],
            rows: alertRows(m),
          },
        ]
      : []),
    ...(m.policy && m.policy.states > 0
      ? [
          {
            name: 'Azure Policy',
            columns: [
              { header: 'Resource', width: 60 },
              { header: 'Definition', width: 50 },
              { header: 'Assignment', width: 24 },
              { header: 'Compliance state', width: 14 },
              { header: 'Evaluated (UTC)', width: 16, numFmt: DATE_FMT },
              { header: 'Against the items', width: 14 },
              { header: 'Backup items', width: 40 },
            ],
            rows: policyRows(m),
          },
        ]
      : []),
    ...(m.access === undefined
      ? []
      : [
          {
            name: 'Access',
            columns: [
              { header: 'Vault', width: 22 },
              { header: 'Vault kind', width: 16 },
              { header: 'Principal (name or UPN)', width: 36 },
              { header: 'Object id', width: 38 },
              { header: 'Principal type', width: 15 },
              { header: 'Guest', width: 7 },
              { header: 'Role', width: 26 },
              { header: 'Custom role', width: 8 },
              { header: 'Scope', width: 60 },
              { header: 'Inherited from', width: 36 },
              { header: 'Delete backup data', width: 10 },
              { header: 'Stop protection', width: 10 },
              { header: 'Change soft delete / immutability', width: 12 },
              { header: 'Restore', width: 9 },
              { header: 'Grant access', width: 9 },
              { header: 'Resource Guard (MUA)', width: 12 },
              { header: 'Immutability', width: 12 },
              { header: 'Soft delete', width: 12 },
            ],
            rows: accessRows(m),
          },
        ]),
    {
      name: 'Owners',
      columns: [
        { header: 'Item / resource', width: 34 },
        { header: 'Owner', width: 22 },
        { header: 'Email', width: 26 },
        { header: 'Team', width: 18 },
        { header: 'Cost centre', width: 14 },
        { header: 'Criticality', width: 11 },
        { header: 'Retention decision', width: 40 },
        { header: 'Target', width: 60 },
      ],
      rows: m.owners.map((o) => [literal(o.name), literal(o.owner), literal(o.ownerEmail), literal(o.team), literal(o.costCentre), o.criticality, literal(o.decision), literal(o.target)]),
    },
    {
      name: 'Cost',
      columns: [
        { header: 'Item', width: 34 },
        { header: 'Vault', width: 22 },
        { header: 'Front-end (GB)', width: 14, numFmt: '#,##0.00' },
        { header: 'Storage (GB)', width: 14, numFmt: '#,##0.00' },
        { header: 'Instance fee', width: 14, numFmt: money },
        { header: 'Storage cost', width: 14, numFmt: money },
        { header: 'Monthly total', width: 14, numFmt: money },
        { header: 'Item key', width: 60 },
      ],
      rows: (function* () {
        const c = m.analysis.cost;
        if (!c) return;
        for (const ci of c.items()) {
          yield [
            literal(ci.name),
            literal(ci.vaultKey ? (c.vaultNames.get(ci.vaultKey) ?? null) : null),
            amount(ci.frontEndGb),
            amount(ci.storageGb),
            amount(ci.instanceFee),
            amount(ci.storageCost),
            amount(ci.total),
            literal(ci.key),
          ];
        }
      })(),
    },
    {
      name: 'Coverage',
      columns: [
        { header: 'Snapshot', width: 10 },
        { header: 'Scope', width: 70 },
        { header: 'Status', width: 11 },
        { header: 'Items', width: 9, numFmt: '0' },
        { header: 'Error code', width: 20 },
        { header: 'Error', width: 60 },
      ],
      rows: [m.current, ...(m.baseline ? [m.baseline] : [])].flatMap((s) =>
        s.coverage.map((c): Value[] => [s === m.current ? 'current' : 'baseline', literal(c.scope), c.status, c.itemCount ?? null, literal(c.error?.code), literal(c.error?.message)]),
      ),
    },
    {
      name: 'Provenance',
      columns: [
        { header: 'Field', width: 30 },
        { header: 'Value', width: 90 },
      ],
      rows: provenanceRows(m),
    },
  ];
}

/** One row per principal grant per vault; a vault nobody holds rights on still gets a row, so every vault is listed. */
function* accessRows(m: PackModel): Generator<Value[]> {
  const yesNo = (v: boolean | null): Value => (v === null ? 'not collected' : v ? 'yes' : 'no');
  for (const v of m.access?.vaults ?? []) {
    const vaultCols: Value[] = [yesNo(v.resourceGuard), literal(v.immutabilityState), literal(v.softDeleteState)];
    const kind = v.kind === 'BackupVault' ? 'Backup vault' : 'Recovery Services';
    if (v.grants.length === 0) yield [literal(v.vaultName), kind, null, null, null, null, null, null, null, null, null, null, null, null, null, ...vaultCols];
    for (const g of v.grants) {
      const has = (c: (typeof g.capabilities)[number]): Value => (g.capabilities.includes(c) ? 'yes' : 'no');
      yield [
        literal(v.vaultName),
        kind,
        literal(g.principalName),
        literal(g.principalId),
        literal(g.principalType),
        g.guest ? 'yes' : 'no',
        literal(g.role),
        g.custom ? 'yes' : 'no',
        literal(g.scope),
        literal(g.inheritedFrom ?? 'this vault'),
        has('deleteBackupData'),
        has('stopProtection'),
        has('changeSecuritySettings'),
        has('restore'),
        has('grantAccess'),
        ...vaultCols,
      ];
    }
  }
}

function* provenanceRows(m: PackModel): Generator<Value[]> {
  yield ['Tool', `Vaultproof ${m.toolVersion}`];
  for (const s of [m.current, ...(m.baseline ? [m.baseline] : [])]) {
    const role = s === m.current ? 'Snapshot' : 'Baseline';
    const p = s.provenance;
    yield [`${role} id`, s.summary.id];
    yield [`${role} content hash`, s.summary.contentHash];
    yield [`${role} canonical version`, s.summary.canonicalVersion];
    yield [`${role} as of`, `${fmtTime(s.summary.asOf)} (from ${p.asOfSource})`];
    yield [`${role} source`, `${p.source} by ${p.user} at ${fmtTime(p.createdAt)}, Vaultproof ${p.toolVersion}`];
    for (const f of p.files ?? []) yield [`${role} input file`, literal(`${f.name} — ${f.format}, ${f.records} records, SHA-256 ${f.sha256}`)];
  }
  const a = m.analysis;
  yield ['Audit profile', a.profile ? `${a.profile.name}${a.profile.version ? ` v${a.profile.version}` : ''}, SHA-256 ${a.profile.sha256}` : 'none'];
  yield ['Rate card', a.ratecard ? `${a.ratecard.name}, ${a.ratecard.currency}, effective ${a.ratecard.effectiveDate}, SHA-256 ${a.ratecard.sha256}` : 'none'];
  if (a.ratecard) yield ['Rate card source', literal(a.ratecard.source)];
  if (a.cost) yield ['Rounding', a.cost.rounding];
  if (a.sizes) yield ['Sizes dataset', `${a.sizes.id}${a.sizes.sha256 ? `, SHA-256 ${a.sizes.sha256}` : ''}`];
  if (a.sample) yield ['Sample', `seed ${a.sample.seed}, ${a.sample.method}, ${a.sample.keys.length} items`];
  yield ['Annotation log head', m.annotationLogHead ? `${m.annotationLogHead.count} entries, ${m.annotationLogHead.hash}` : 'not available'];
  yield ['Signing time', m.signing.timeSource === 'rfc3161' ? `RFC 3161 timestamp (${m.signing.tsaUrl ?? ''})` : 'signer clock (no timestamp authority)'];
  yield ['Signer', literal(m.signing.signer)];
  for (const n of a.notes) yield ['Note', literal(n)];
}

/** The restore catalog, one row per item; a blank point column means none in that tier, and "not listed" says the vault's points were not collected. */
function* restoreRows(m: PackModel): Generator<Value[]> {
  if (!m.restore) return;
  for (const e of m.restore.rows()) {
    const p = e.points;
    const span = (s: { latest: string | null; oldest: string | null } | null | undefined): [Date | null, Date | null] => [when(s?.latest), when(s?.oldest)];
    const [latest, oldest] = p ? span(p.primary) : [when(e.itemSays.latest), when(e.itemSays.oldest)];
    const secondary: [Value, Value] = !p ? [null, null] : p.secondaryCollected ? span(p.secondary) : ['not listed', null];
    const notes = [...(p ? [] : ['recovery points not listed for this vault: the latest and oldest point are what the item record says']), ...e.commands.notes];
    yield [
      literal(e.name),
      literal(e.vault),
      e.vaultKind,
      literal(e.container),
      literal(e.itemName),
      literal(e.workload),
      literal(e.softDeleted ? 'soft-deleted' : e.protectionState),
      p ? p.primary.count : e.itemSays.count,
      latest,
      oldest,
      ...span(p?.byTier.snapshot),
      ...span(p?.byTier.vaultStandard),
      ...span(p?.byTier.archive),
      e.crossRegionRestore === null ? null : e.crossRegionRestore ? 'on' : 'off',
      ...secondary,
      e.options.map((o) => o.label).join('; ') || null,
      e.lastDrill ? when(`${e.lastDrill.date}T00:00:00Z`) : null,
      e.lastDrill?.outcome ?? 'none recorded',
      literal(e.commands.list.az),
      literal(e.commands.show.az),
      literal(e.commands.restore.az.join('\n')),
      literal(e.commands.list.powershell),
      literal(e.commands.restore.powershell.join('\n')),
      literal(notes.join('; ')),
    ];
  }
}

/** One row per vault and receiver; a vault nobody hears has one row with no receiver. */
function* alertRows(m: PackModel): Generator<Value[]> {
  for (const v of m.alerts?.vaults ?? []) {
    const head: Value[] = [literal(v.vaultName), v.jobFailureAlerts ?? 'not stated', v.verdict === 'reaches' ? 'a receiver' : v.verdict === 'noOne' ? 'no one' : 'unknown', literal(v.why)];
    if (v.receivers.length === 0) yield [...head, null, null, null, null, null];
    for (const r of v.receivers) yield [...head, r.kind, literal(r.name), literal(r.target), literal(r.actionGroup), literal(r.rule)];
  }
}

/** Every backup-definition state with what the snapshot's items say: agrees, disagrees or not checked. */
function* policyRows(m: PackModel): Generator<Value[]> {
  for (const r of m.policy?.rows ?? []) {
    yield [
      literal(r.resourceId),
      literal(r.definition),
      literal(r.assignment),
      literal(r.complianceState),
      when(r.timestamp),
      r.verdict === 'agrees' ? 'agrees' : r.verdict === 'disagrees' ? 'disagrees' : 'not checked',
      literal(r.protectors.map((p) => `${p.name} (${p.vault ?? '?'})`).join('; ')),
    ];
  }
}
