import type { AnnotationChange, AnnotationLogEntry } from '../../shared/contract/methods/annotations.ts';
import { ownerFields } from '../../shared/contract/methods/annotations.ts';
import { UserError } from '../core/errors.ts';
import { call, fromArgv, listArg, printJson, requirePositionals, strArg, table, withCore } from './run.ts';
import type { CliCommand, CliIo, ParsedArgs } from './types.ts';

function numArg(args: ParsedArgs, name: string): number | undefined {
  const v = strArg(args, name);
  if (v === undefined) return undefined;
  const n = Number(v.trim());
  if (v.trim() === '' || !Number.isFinite(n)) throw new UserError('BAD_INPUT', `--${name} ${JSON.stringify(v)}: expected a number`);
  return n;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '∅';
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(v);
}

function printEntries(io: CliIo, entries: AnnotationLogEntry[]): void {
  for (const e of entries) {
    const who = e.displayName ? `${e.displayName} (${e.user})` : e.user;
    const flags = [e.mergedFrom ? `merged from ${e.mergedFrom.storeId.slice(0, 8)}#${e.mergedFrom.seq}` : '', e.applied ? '' : 'not applied', e.kind !== 'set' ? e.kind : '']
      .filter(Boolean)
      .join(', ');
    io.stdout(`#${e.seq} ${e.at} ${who} ${e.target} ${e.field}: ${show(e.oldValue)} → ${show(e.newValue)}${e.reason ? ` — ${e.reason}` : ''}${flags ? ` [${flags}]` : ''}\n`);
  }
}

function printChange(io: CliIo, res: AnnotationChange): void {
  if (res.entries.length === 0) io.stdout(`${res.target}: nothing changed (the values were already set)\n`);
  else printEntries(io, res.entries);
}

export const annotationCommands: CliCommand[] = [
  {
    name: 'annotate',
    summary: 'Set owner, team, cost centre, criticality, an exception, a retention decision, sizes, a note or tags on an item or resource',
    usage:
      'annotate TARGET [--owner X] [--email E] [--team T] [--cost-centre C] [--criticality high|medium|low] ' +
      '[--exception RULE --justification TEXT --approver NAME --expires YYYY-MM-DD [--ticket REF]] ' +
      '[--decision keep|retire|delete --reason TEXT [--after DATE]] [--front-end-gb N] [--storage-gb N] [--note TEXT] [--tag NAME=VALUE ...] ' +
      '[--reason TEXT] [--force] [--store PATH] [--json]   (TARGET: an item key as `items --json` prints it, item:<key> or resource:<armId>)',
    options: {
      owner: { type: 'string' },
      email: { type: 'string' },
      team: { type: 'string' },
      'cost-centre': { type: 'string' },
      criticality: { type: 'string' },
      exception: { type: 'string' },
      justification: { type: 'string' },
      approver: { type: 'string' },
      expires: { type: 'string' },
      ticket: { type: 'string' },
      decision: { type: 'string' },
      reason: { type: 'string' },
      after: { type: 'string' },
      'front-end-gb': { type: 'string' },
      'storage-gb': { type: 'string' },
      note: { type: 'string' },
      tag: { type: 'string', multiple: true },
      force: { type: 'boolean' },
    },
    async run(args, io) {
      const [target] = requirePositionals(args, 1, this.usage);
      const input: Record<string, unknown> = { target };
      const copy = (opt: string, key: string): void => {
        const v = strArg(args, opt);
        if (v !== undefined) input[key] = v;
      };
      copy('owner', 'owner');
      copy('email', 'ownerEmail');
      copy('team', 'team');
      copy('cost-centre', 'costCentre');
      copy('note', 'note');
      copy('reason', 'reason');
      const crit = strArg(args, 'criticality');
      if (crit !== undefined) {
        if (!['high', 'medium', 'low'].includes(crit)) throw new UserError('BAD_INPUT', `--criticality ${JSON.stringify(crit)}: expected high, medium or low`);
        input.criticality = crit;
      }
      const exRule = strArg(args, 'exception');
      const exParts = ['justification', 'approver', 'expires', 'ticket'].filter((k) => strArg(args, k) !== undefined);
      if (exRule !== undefined) {
        const ex: Record<string, string> = { rule: exRule };
        for (const k of exParts) ex[k] = strArg(args, k)!;
        input.exception = ex;
      } else if (exParts.length > 0) {
        throw new UserError('BAD_INPUT', `--${exParts[0]} belongs to an exception: give --exception RULE (a findings rule id or "all")`);
      }
      const decision = strArg(args, 'decision');
      if (decision !== undefined) {
        if (!['keep', 'retire', 'delete'].includes(decision)) throw new UserError('BAD_INPUT', `--decision ${JSON.stringify(decision)}: expected keep, retire or delete`);
        const d: Record<string, string> = { decision };
        const r = strArg(args, 'reason');
        if (r !== undefined) d.reason = r;
        const after = strArg(args, 'after');
        if (after !== undefined) d.after = after;
        input.decision = d;
      } else if (strArg(args, 'after') !== undefined) {
        throw new UserError('BAD_INPUT', '--after belongs to a decision: give --decision keep|retire|delete');
      }
      const fe = numArg(args, 'front-end-gb');
      if (fe !== undefined) input.frontEndGb = fe;
      const st = numArg(args, 'storage-gb');
      if (st !== undefined) input.storageGb = st;
      const tags = listArg(args, 'tag');
      if (tags.length > 0) {
        const t: Record<string, string> = {};
        for (const pair of tags) {
          const eq = pair.indexOf('=');
          if (eq <= 0) throw new UserError('BAD_INPUT', `--tag ${JSON.stringify(pair)}: expected NAME=VALUE (an empty VALUE removes the tag)`);
          t[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
        }
        input.tags = t;
      }
      if (args.values.force) input.force = true;
      const res = await withCore(args, (core) => call(core, 'annotations.set', fromArgv(input)));
      if (args.values.json) printJson(io, res);
      else printChange(io, res);
      return 0;
    },
  },
  {
    name: 'restore-test',
    summary: 'Record the evidence of a restore drill on an item or resource',
    usage:
      'restore-test TARGET --date YYYY-MM-DD --recovery-point TIME --outcome passed|failed [--duration MIN] [--target TEXT] [--tester NAME] [--ticket REF] [--force] [--store PATH] [--json]',
    options: {
      date: { type: 'string' },
      'recovery-point': { type: 'string' },
      outcome: { type: 'string' },
      duration: { type: 'string' },
      target: { type: 'string' },
      tester: { type: 'string' },
      ticket: { type: 'string' },
      force: { type: 'boolean' },
    },
    async run(args, io) {
      const [target] = requirePositionals(args, 1, this.usage);
      const need = (k: string): string => {
        const v = strArg(args, k);
        if (v === undefined) throw new UserError('BAD_INPUT', `restore-test needs --${k}; usage: vaultproof ${this.usage}`);
        return v;
      };
      const outcome = need('outcome');
      if (outcome !== 'passed' && outcome !== 'failed') throw new UserError('BAD_INPUT', `--outcome ${JSON.stringify(outcome)}: expected passed or failed`);
      const input: Record<string, unknown> = { target, date: need('date'), recoveryPoint: need('recovery-point'), outcome };
      const duration = numArg(args, 'duration');
      if (duration !== undefined) input.durationMin = duration;
      for (const [opt, key] of [
        ['target', 'restoreTarget'],
        ['tester', 'tester'],
        ['ticket', 'ticket'],
      ] as const) {
        const v = strArg(args, opt);
        if (v !== undefined) input[key] = v;
      }
      if (args.values.force) input.force = true;
      const res = await withCore(args, (core) => call(core, 'annotations.restoreTest', fromArgv(input)));
      if (args.values.json) printJson(io, res);
      else printChange(io, res);
      return 0;
    },
  },
  {
    name: 'annotations',
    summary: 'List the current annotations (owners, exceptions, decisions, restore tests) of every item and resource',
    usage: 'annotations [--store PATH] [--json]',
    options: {},
    async run(args, io) {
      if (args.positionals.length > 0) throw new UserError('BAD_INPUT', `unknown annotations command "${args.positionals[0]}"; use annotations, annotations export FILE or annotations merge FILE`);
      const rows = await withCore(args, (core) => call(core, 'annotations.list', {}));
      if (args.values.json) printJson(io, rows);
      else if (rows.length === 0) io.stdout('no annotations yet — use `vaultproof annotate TARGET --owner NAME`\n');
      else
        io.stdout(
          table(
            rows.map((r) => ({
              target: r.target,
              owner: r.owner,
              team: r.team,
              costCentre: r.costCentre,
              criticality: r.criticality,
              exceptions: r.exceptions.map((e) => `${e.rule} until ${e.expires}`).join('; '),
              decision: r.decision ? `${r.decision.decision}${r.decision.after ? ` after ${r.decision.after}` : ''}` : null,
              restoreTests: r.restoreTests.map((t) => `${t.date} ${t.outcome}`).join('; '),
            })),
            ['owner', 'team', 'costCentre', 'criticality', 'exceptions', 'decision', 'restoreTests', 'target'],
          ),
        );
      return 0;
    },
  },
  {
    name: 'annotations export',
    summary: 'Write every annotation and the whole hash-chained log to a file (for another auditor or an archive)',
    usage: 'annotations export FILE [--store PATH] [--json]',
    options: {},
    async run(args, io) {
      const [file] = requirePositionals(args, 1, this.usage);
      const res = await withCore(args, (core) => call(core, 'annotations.export', { path: file }));
      if (args.values.json) printJson(io, res);
      else io.stdout(`exported ${res.targets} annotated targets and ${res.entries} log entries to ${res.path}\nlog head ${res.head.count} ${res.head.hash}\nfile sha256 ${res.sha256}\n`);
      return 0;
    },
  },
  {
    name: 'annotations merge',
    summary: "Merge another auditor's annotations export: both histories kept, conflicts listed (last writer wins, logged)",
    usage: 'annotations merge FILE [--dry-run] [--store PATH] [--json]',
    options: { 'dry-run': { type: 'boolean' } },
    async run(args, io) {
      const [file] = requirePositionals(args, 1, this.usage);
      const res = await withCore(args, (core) => call(core, 'annotations.merge', { path: file, dryRun: args.values['dry-run'] === true }));
      if (args.values.json) printJson(io, res);
      else {
        io.stdout(
          `${res.dryRun ? 'dry run: ' : ''}${res.incoming} entries from store ${res.fromStore} (exported by ${res.exportedBy}): ` +
            `${res.alreadyPresent} already here, ${res.applied} applied, ${res.agreed} already agreed, ${res.conflicts.length} conflicts; ${res.entriesWritten} entries ${res.dryRun ? 'would be ' : ''}written\n`,
        );
        for (const c of res.conflicts) {
          io.stdout(`CONFLICT ${c.target} ${c.field}: local ${show(c.local.value)} (${c.local.user ?? '?'} at ${c.local.at}) vs incoming ${show(c.incoming.value)} (${c.incoming.user} at ${c.incoming.at}) → ${c.winner} wins\n`);
        }
        for (const w of res.warnings) io.stderr(`warning: ${w}\n`);
      }
      return 0;
    },
  },
  {
    name: 'owners import',
    summary: 'Import owners, teams and cost centres from a CSV (a CMDB export): preview with --dry-run, then apply',
    usage: `owners import FILE.csv --match COLUMN=resourceId|name|resourceGroup|tag:NAME --column FIELD=COLUMN [--column ...] [--snapshot ID] [--dry-run] [--store PATH] [--json]   (FIELD: ${ownerFields.join(', ')})`,
    options: { match: { type: 'string' }, column: { type: 'string', multiple: true }, snapshot: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    async run(args, io) {
      const [file] = requirePositionals(args, 1, this.usage);
      const match = strArg(args, 'match');
      const eq = match?.lastIndexOf('=') ?? -1;
      if (!match || eq <= 0) throw new UserError('BAD_INPUT', `owners import needs --match COLUMN=resourceId|name|resourceGroup|tag:NAME; usage: vaultproof ${this.usage}`);
      // The CSV column may itself contain '='; the kind never does except after "tag:".
      const tagAt = match.indexOf('=tag:');
      const split = tagAt > 0 ? tagAt : eq;
      const columns: Record<string, string> = {};
      for (const c of listArg(args, 'column')) {
        const i = c.indexOf('=');
        const field = i > 0 ? c.slice(0, i).trim() : '';
        const aliases: Record<string, string> = { email: 'ownerEmail', 'cost-centre': 'costCentre', costCenter: 'costCentre' };
        const f = aliases[field] ?? field;
        if (!(ownerFields as readonly string[]).includes(f) || i === c.length - 1) {
          throw new UserError('BAD_INPUT', `--column ${JSON.stringify(c)}: expected FIELD=COLUMN with FIELD one of ${ownerFields.join(', ')}`);
        }
        columns[f] = c.slice(i + 1);
      }
      const snapshot = strArg(args, 'snapshot');
      const res = await withCore(args, (core) =>
        call(core, 'owners.import', {
          path: file,
          match: { column: match.slice(0, split), by: match.slice(split + 1) },
          columns,
          dryRun: args.values['dry-run'] === true,
          ...(snapshot ? { snapshot } : {}),
        }),
      );
      if (args.values.json) printJson(io, res);
      else {
        io.stdout(`${res.dryRun ? 'dry run — nothing written\n' : ''}${res.rows} rows: ${res.matched.length} matched, ${res.ambiguous.length} ambiguous, ${res.unmatched.length} unmatched (snapshot ${res.snapshotId})\n`);
        for (const r of res.ambiguous) io.stdout(`AMBIGUOUS line ${r.line} ${JSON.stringify(r.value)}: ${r.reason ?? ''}${r.candidates ? ` (${r.candidates.join(', ')})` : ''}\n`);
        for (const r of res.unmatched) io.stdout(`UNMATCHED line ${r.line} ${JSON.stringify(r.value)}${r.reason ? `: ${r.reason}` : ''}\n`);
        for (const ch of res.changes) io.stdout(`${res.dryRun ? 'would set' : 'set'} ${ch.field} ${show(ch.oldValue)} → ${show(ch.newValue)} on ${ch.target} (line ${ch.line})\n`);
        for (const w of res.warnings) io.stderr(`warning: ${w}\n`);
        io.stdout(`${res.changes.length} field changes${res.dryRun ? ' would be written' : `, ${res.entriesWritten} log entries written`}\n`);
      }
      return 0;
    },
  },
  {
    name: 'log',
    summary: 'Show the annotation log (who changed what, when, from what to what, why)',
    usage: 'log [--target TARGET] [--store PATH] [--json]',
    options: { target: { type: 'string' } },
    async run(args, io) {
      if (args.positionals.length > 0) throw new UserError('BAD_INPUT', `unknown log command "${args.positionals[0]}"; use log [--target TARGET] or log verify`);
      const target = strArg(args, 'target');
      const entries = await withCore(args, (core) => call(core, 'annotations.log', target ? { target } : {}));
      if (args.values.json) printJson(io, entries);
      else if (entries.length === 0) io.stdout('the annotation log is empty\n');
      else printEntries(io, entries);
      return 0;
    },
  },
  {
    name: 'log verify',
    summary: 'Walk the annotation hash chain; exit 3 naming the first broken entry',
    usage: 'log verify [--store PATH] [--json]',
    options: {},
    async run(args, io) {
      const res = await withCore(args, (core) => call(core, 'annotations.verifyLog', {}));
      if (args.values.json) printJson(io, res);
      else {
        for (const w of res.warnings) io.stderr(`warning: ${w}\n`);
        if (res.ok) io.stdout(`annotation log verified: ${res.count} entries, head ${res.head}, ${res.headsChecked} recorded pack heads present\n`);
        else {
          io.stdout(`annotation log BROKEN at entry ${res.firstBad?.seq}: ${res.firstBad?.reason}\n`);
          for (const p of res.problems.slice(res.firstBad === res.problems[0] ? 1 : 0)) io.stdout(`  entry ${p.seq}: ${p.reason}\n`);
        }
      }
      return res.ok ? 0 : 3;
    },
  },
  {
    name: 'snapshots delete',
    summary: 'Delete a whole snapshot, with a reason (recorded in the store and in the annotation log)',
    usage: 'snapshots delete SNAPSHOT --reason TEXT [--store PATH] [--json]',
    options: { reason: { type: 'string' } },
    async run(args, io) {
      const [ref] = requirePositionals(args, 1, this.usage);
      const reason = strArg(args, 'reason');
      if (reason === undefined || reason.trim() === '') throw new UserError('BAD_INPUT', `deleting a snapshot needs --reason TEXT; usage: vaultproof ${this.usage}`);
      const res = await withCore(args, (core) => call(core, 'snapshots.delete', { snapshot: ref, reason }));
      if (args.values.json) printJson(io, res);
      else io.stdout(`deleted snapshot ${res.snapshotId} (content hash ${res.contentHash}); logged as entry ${res.entry.seq}\n`);
      return 0;
    },
  },
];
