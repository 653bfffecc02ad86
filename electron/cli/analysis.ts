/**
 * Analysis commands: diff, findings, cost, sample, sizes import/list, reconcile.
 * `--json` prints exactly one JSON value whose leading keys are the shapes
 * the issue defines; extra keys (roll-ups, hashes, provenance of the inputs)
 * follow them.
 *
 * `findings --fail-on SEVERITY` exits 3 when findings at or above SEVERITY
 * exist that are not excepted (an exception is accepted risk, so it never
 * fails the gate); the report is printed either way.
 */
import type { CostRun, DiffReport, FindingsRun } from '../../shared/contract/methods/analysis.ts';
import { stratifyValues } from '../../shared/contract/methods/analysis.ts';
import { severities } from '../../shared/domain/profile.ts';
import { UserError } from '../core/errors.ts';
import { call, isOneOf, listArg, printJson, requirePositionals, strArg, table, withCore } from './run.ts';
import type { CliCommand, CliIo, ParsedArgs } from './types.ts';

function money(v: number | string): string {
  return typeof v === 'number' ? v.toFixed(2) : v;
}

function numArg(args: ParsedArgs, name: string, opts: { integer?: boolean } = {}): number | undefined {
  const v = strArg(args, name);
  if (v === undefined) return undefined;
  const n = Number(v.trim());
  if (v.trim() === '' || !Number.isFinite(n) || (opts.integer && !Number.isInteger(n))) {
    throw new UserError('BAD_INPUT', `--${name} ${JSON.stringify(v)}: expected ${opts.integer ? 'a whole number' : 'a number'}`);
  }
  return n;
}

export function diffJson(d: DiffReport): unknown {
  return {
    added: d.added,
    removed: d.removed,
    changed: d.changed,
    unchanged: d.unchanged,
    notCompared: d.notCompared,
    rollups: d.rollups,
    baseline: d.baseline,
    current: d.current,
  };
}

export function findingsJson(r: FindingsRun): unknown {
  return {
    asOf: r.asOf,
    profileHash: r.profileHash,
    findings: r.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      key: f.key,
      title: f.title,
      controls: f.controls,
      evidence: f.evidence,
      excepted: f.excepted,
      target: f.target,
      exception: f.exception,
    })),
    notEvaluated: r.notEvaluated,
    assumptions: r.assumptions,
    counts: r.counts,
    profile: { ...r.profile, source: r.profileSource },
    snapshot: r.snapshot,
    ...(r.gate ? { gate: r.gate } : {}),
  };
}

export function costJson(c: CostRun): unknown {
  return {
    currency: c.currency,
    total: c.total,
    unknownSize: c.unknownSize,
    items: c.items.map((i) => ({
      key: i.key,
      frontEndGb: i.frontEndGb,
      storageGb: i.storageGb,
      instanceFee: i.instanceFee,
      storageCost: i.storageCost,
      total: i.total,
      status: i.status,
      frontEndSource: i.frontEndSource,
      storageSource: i.storageSource,
      vaultKey: i.vaultKey,
      owner: i.owner,
      redundancy: i.redundancy,
      region: i.region,
      note: i.note,
    })),
    byVault: c.byVault,
    delta: c.delta,
    complete: c.complete,
    unpriced: c.unpriced,
    unknownSizeItems: c.unknownSizeItems,
    unpricedItems: c.unpricedItems,
    bySubscription: c.bySubscription,
    byOwner: c.byOwner,
    rounding: c.rounding,
    ratecard: { ...c.ratecard, source: c.ratecardSource },
    sizes: c.sizesMatch,
    snapshot: c.snapshot,
  };
}

function printDiff(io: CliIo, d: DiffReport): void {
  io.stdout(`diff ${d.baseline.id} (as of ${d.baseline.asOf}) → ${d.current.id} (as of ${d.current.asOf})\n`);
  io.stdout(`  added ${d.added.length}, removed ${d.removed.filter((r) => r.reason !== 'notCollected').length}, not collected ${d.removed.filter((r) => r.reason === 'notCollected').length}, changed ${d.changed.length}, unchanged ${d.unchanged}\n`);
  for (const n of d.notCompared) io.stdout(`  not compared: ${n.field} (${n.reason})\n`);
  for (const k of d.added) io.stdout(`+ ${k}\n`);
  for (const r of d.removed) io.stdout(`- ${r.key} [${r.reason}]\n`);
  for (const c of d.changed) {
    io.stdout(`~ ${c.key}\n`);
    for (const [f, v] of Object.entries(c.fields)) io.stdout(`    ${f}: ${JSON.stringify(v.before)} → ${JSON.stringify(v.after)}\n`);
  }
}

export const analysisCommands: CliCommand[] = [
  {
    name: 'diff',
    summary: 'Compare two snapshots: added, removed (with reason), changed fields, unchanged; roll-ups',
    usage: 'diff BASELINE CURRENT [--store PATH] [--json]',
    options: {},
    async run(args, io) {
      const [baseline, current] = requirePositionals(args, 2, this.usage);
      const d = await withCore(args, (core) => call(core, 'diff.run', { baseline, current }));
      if (args.values.json) printJson(io, diffJson(d));
      else printDiff(io, d);
      return 0;
    },
  },
  {
    name: 'findings',
    summary: 'Judge a snapshot against the audit profile (at its asOf); --fail-on exits 3 when findings at or above a severity are not excepted',
    usage: `findings SNAPSHOT [--profile FILE] [--fail-on ${severities.join('|')}] [--store PATH] [--json]`,
    options: { profile: { type: 'string' }, 'fail-on': { type: 'string' } },
    async run(args, io) {
      const [snapshot] = requirePositionals(args, 1, this.usage);
      const failOn = strArg(args, 'fail-on');
      if (failOn !== undefined && !isOneOf(severities, failOn)) {
        throw new UserError('BAD_INPUT', `--fail-on ${JSON.stringify(failOn)}: expected one of ${severities.join(', ')}`);
      }
      const profilePath = strArg(args, 'profile');
      const r = await withCore(args, (core) => call(core, 'findings.run', { snapshot, ...(profilePath ? { profilePath } : {}), ...(failOn ? { failOn } : {}) }));
      if (args.values.json) printJson(io, findingsJson(r));
      else {
        io.stdout(`findings for ${r.snapshot.id}, judged at ${r.asOf} with ${r.profile.name} ${r.profile.version} (sha256 ${r.profileHash.slice(0, 16)}…)\n`);
        io.stdout(`  ${r.counts.total} findings (${r.counts.excepted} excepted): ${severities.map((s) => `${s} ${r.counts.bySeverity[s]}`).join(', ')}\n`);
        if (r.findings.length > 0) {
          io.stdout(table(r.findings.map((f) => ({ severity: f.severity, rule: f.rule, excepted: f.excepted ? `until ${f.exception?.expires}` : '', key: f.key })), ['severity', 'rule', 'excepted', 'key']));
        }
        for (const n of r.notEvaluated) io.stdout(`  not evaluated: ${n.rule} — ${n.reason}\n`);
        for (const a of r.assumptions) io.stdout(`  note: ${a.rule} — ${a.note}\n`);
        if (r.gate) io.stdout(`  --fail-on ${r.gate.failOn}: ${r.gate.failed ? `FAILED (${r.gate.count} finding(s) not excepted)` : 'passed'}\n`);
      }
      return r.gate?.failed ? 3 : 0;
    },
  },
  {
    name: 'cost',
    summary: 'Monthly cost per item from the rate card (instance fee + storage); totals per vault, subscription, owner; --compare for before/after',
    usage: 'cost SNAPSHOT [--compare BASELINE] [--ratecard FILE] [--sizes ID] [--store PATH] [--json]',
    options: { compare: { type: 'string' }, ratecard: { type: 'string' }, sizes: { type: 'string' } },
    async run(args, io) {
      const [snapshot] = requirePositionals(args, 1, this.usage);
      const compare = strArg(args, 'compare');
      const ratecardPath = strArg(args, 'ratecard');
      const sizes = strArg(args, 'sizes');
      const c = await withCore(args, (core) =>
        call(core, 'cost.run', { snapshot, ...(compare ? { compare } : {}), ...(ratecardPath ? { ratecardPath } : {}), ...(sizes ? { sizes } : {}) }),
      );
      if (args.values.json) printJson(io, costJson(c));
      else {
        io.stdout(`cost of ${c.snapshot.id} per month, ${c.ratecard.name} ${c.ratecard.version} (effective ${c.ratecard.effectiveDate})\n`);
        io.stdout(`  total ${c.currency} ${money(c.total)}${c.complete ? '' : ` — incomplete: ${c.unknownSize} item(s) of unknown size, ${c.unpriced} unpriced (not in the total)`}\n`);
        io.stdout(`  rounding: ${c.rounding}\n`);
        io.stdout(table(c.byVault.map((v) => ({ vault: v.label ?? v.group, items: v.items, total: money(v.total), unknownSize: v.unknownSize, unpriced: v.unpriced })), ['vault', 'items', 'total', 'unknownSize', 'unpriced']));
        if (c.delta) {
          const d = c.delta;
          io.stdout(`  compared with ${d.baseline.id}: ${money(d.before)} → ${money(d.after)} (${d.change >= 0 ? '+' : ''}${money(d.change)})\n`);
          io.stdout(`    retired ${d.retired.count} item(s): saves ${money(d.retired.savings)}; added ${d.added.count}: costs ${money(d.added.cost)}; changed ${d.changed.count}: ${money(d.changed.change)}\n`);
        }
      }
      return 0;
    },
  },
  {
    name: 'sample',
    summary: 'Draw a reproducible audit sample (the seed and method are recorded)',
    usage: `sample SNAPSHOT --size N --seed S [--stratify ${stratifyValues.filter((s) => s !== 'none').join('|')}] [--profile FILE] [--store PATH] [--json]`,
    options: { size: { type: 'string' }, seed: { type: 'string' }, stratify: { type: 'string' }, profile: { type: 'string' } },
    async run(args, io) {
      const [snapshot] = requirePositionals(args, 1, this.usage);
      const size = numArg(args, 'size', { integer: true });
      const seed = strArg(args, 'seed');
      if (size === undefined || seed === undefined) throw new UserError('BAD_INPUT', `sample needs --size N and --seed S; usage: vaultproof ${this.usage}`);
      const stratify = strArg(args, 'stratify') ?? 'none';
      if (!isOneOf(stratifyValues, stratify)) throw new UserError('BAD_INPUT', `--stratify ${JSON.stringify(stratify)}: expected workload, vault or severity`);
      const profilePath = strArg(args, 'profile');
      const s = await withCore(args, (core) => call(core, 'sample.draw', { snapshot, size, seed, stratify, ...(profilePath ? { profilePath } : {}) }));
      if (args.values.json) printJson(io, s);
      else {
        io.stdout(`sample of ${s.size} from ${s.population} items of ${s.snapshot.id}, seed ${JSON.stringify(s.seed)}, stratified by ${s.stratify}\nmethod: ${s.method}\n`);
        for (const st of s.strata) io.stdout(`  ${st.stratum}: ${st.drawn} of ${st.population}\n`);
        for (const it of s.items) io.stdout(`${it.key}\t${it.stratum}\n`);
      }
      return 0;
    },
  },
  {
    name: 'sizes import',
    summary: 'Import a Backup Reports "Backup Items" export (CSV or Excel) as a separate, hashed sizes dataset',
    usage: 'sizes import FILE [--label TEXT] [--store PATH] [--json]',
    options: { label: { type: 'string' } },
    async run(args, io) {
      const [file] = requirePositionals(args, 1, this.usage);
      const label = strArg(args, 'label');
      const r = await withCore(args, (core) => call(core, 'sizes.import', { path: file, ...(label ? { label } : {}) }));
      if (args.values.json) printJson(io, r);
      else {
        io.stdout(`${r.id}\n`);
        io.stderr(`sizes dataset ${r.id}: ${r.rowCount} rows from ${r.fileName} (${r.format}), content hash ${r.contentHash}\n`);
        for (const [k, v] of Object.entries(r.columns)) io.stderr(`  ${k}: ${v}\n`);
        for (const w of r.warnings) io.stderr(`warning: ${w}\n`);
      }
      return 0;
    },
  },
  {
    name: 'sizes list',
    summary: 'List the imported sizes datasets',
    usage: 'sizes list [--store PATH] [--json]',
    options: {},
    async run(args, io) {
      const list = await withCore(args, (core) => call(core, 'sizes.list', {}));
      if (args.values.json) printJson(io, list);
      else io.stdout(table(list.map((d) => ({ id: d.id, createdAt: d.createdAt, file: d.fileName, rows: d.rowCount, contentHash: d.contentHash.slice(0, 16) })), ['id', 'createdAt', 'file', 'rows', 'contentHash']));
      return 0;
    },
  },
  {
    name: 'reconcile',
    summary: 'Compare estimated with billed cost per vault and month (Azure Cost Management CSV export)',
    usage: 'reconcile FILE|BILLING-ID --snapshot SNAPSHOT [--snapshot SNAPSHOT ...] [--ratecard FILE] [--sizes ID] [--tolerance PCT] [--store PATH] [--json]',
    options: { snapshot: { type: 'string', multiple: true }, ratecard: { type: 'string' }, sizes: { type: 'string' }, tolerance: { type: 'string' } },
    async run(args, io) {
      const [billing] = requirePositionals(args, 1, this.usage);
      const snapshots = listArg(args, 'snapshot');
      if (snapshots.length === 0) throw new UserError('BAD_INPUT', `reconcile needs at least one --snapshot; usage: vaultproof ${this.usage}`);
      const ratecardPath = strArg(args, 'ratecard');
      const sizes = strArg(args, 'sizes');
      const tolerancePct = numArg(args, 'tolerance');
      const r = await withCore(args, (core) =>
        call(core, 'cost.reconcile', {
          billing,
          snapshots,
          ...(ratecardPath ? { ratecardPath } : {}),
          ...(sizes ? { sizes } : {}),
          ...(tolerancePct !== undefined ? { tolerancePct } : {}),
        }),
      );
      if (args.values.json) printJson(io, r);
      else {
        io.stdout(`billing dataset ${r.billing.id} (${r.billing.fileName}, ${r.billing.rowCount} Backup rows, ${r.billing.currency ?? 'currency not stated'})\n`);
        io.stdout(`  estimated ${r.currency} ${money(r.totals.estimated)}, billed ${money(r.totals.billed)}, difference ${money(r.totals.difference)}; tolerance ${r.tolerancePct}%\n`);
        io.stdout(table(r.rows.map((x) => ({ month: x.month, vault: x.vaultName ?? x.vaultKey, estimated: x.estimated === null ? '' : `${money(x.estimated)}${x.estimateComplete === false ? '*' : ''}`, billed: x.billed === null ? '' : money(x.billed), difference: x.difference === null ? '' : money(x.difference), pct: x.differencePct ?? '', status: x.status })), ['month', 'vault', 'estimated', 'billed', 'difference', 'pct', 'status']));
        if (r.rows.some((x) => x.estimateComplete === false)) io.stdout('  * the estimate leaves out items of unknown size or unpriced items (see `vaultproof cost`)\n');
        for (const n of r.notes) io.stdout(`  note: ${n}\n`);
      }
      return 0;
    },
  },
];
