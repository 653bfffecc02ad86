/**
 * `vaultproof annotate`, `restore-test`, `annotations` (list, export, merge),
 * `log` and `log verify` (annotations.* methods).
 */
import type { AnnotationChange, AnnotationLogEntry } from '../../shared/contract/methods/annotations.ts';
import { UserError } from '../core/errors.ts';
import { call, fromArgv, listArg, numArg, printJson, requirePositionals, show, strArg, table, withCore } from './run.ts';
import type { CliIo, CommandRuns } from './types.ts';

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

export const runs: CommandRuns = {
  async 'annotate'(args, io) {
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
    if (args.values.json) await printJson(io, res);
    else printChange(io, res);
    return 0;
  },
  async 'restore-test'(args, io) {
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
    if (args.values.json) await printJson(io, res);
    else printChange(io, res);
    return 0;
  },
  async 'annotations'(args, io) {
    if (args.positionals.length > 0) throw new UserError('BAD_INPUT', `unknown annotations command "${args.positionals[0]}"; use annotations, annotations export FILE or annotations merge FILE`);
    const rows = await withCore(args, (core) => call(core, 'annotations.list', {}));
    if (args.values.json) await printJson(io, rows);
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
  async 'annotations export'(args, io) {
    const [file] = requirePositionals(args, 1, this.usage);
    const res = await withCore(args, (core) => call(core, 'annotations.export', { path: file, ...(args.values.force === true ? { force: true } : {}) }));
    if (args.values.json) await printJson(io, res);
    else io.stdout(`exported ${res.targets} annotated targets and ${res.entries} log entries to ${res.path}\nlog head ${res.head.count} ${res.head.hash}\nfile sha256 ${res.sha256}\n`);
    return 0;
  },
  async 'annotations merge'(args, io) {
    const [file] = requirePositionals(args, 1, this.usage);
    const res = await withCore(args, (core) => call(core, 'annotations.merge', { path: file, dryRun: args.values['dry-run'] === true }));
    if (args.values.json) await printJson(io, res);
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
  async 'log'(args, io) {
    if (args.positionals.length > 0) throw new UserError('BAD_INPUT', `unknown log command "${args.positionals[0]}"; use log [--target TARGET] or log verify`);
    const target = strArg(args, 'target');
    const entries = await withCore(args, (core) => call(core, 'annotations.log', target ? { target } : {}));
    if (args.values.json) await printJson(io, entries);
    else if (entries.length === 0) io.stdout('the annotation log is empty\n');
    else printEntries(io, entries);
    return 0;
  },
  async 'log verify'(args, io) {
    const against = strArg(args, 'against');
    const trust = listArg(args, 'trust');
    const res = await withCore(args, (core) => call(core, 'annotations.verifyLog', { ...(against ? { against } : {}), ...(trust.length ? { trust } : {}) }));
    if (args.values.json) await printJson(io, res);
    else {
      // Entry 0 is the store itself (a missing or altered trigger).
      const at = (p: { seq: number }): string => (p.seq === 0 ? 'the store' : `entry ${p.seq}`);
      for (const w of res.warnings) io.stderr(`warning: ${w}\n`);
      if (res.ok) io.stdout(`annotation log verified: ${res.count} entries, head ${res.head}, ${res.headsChecked} recorded pack heads present\n`);
      else {
        io.stdout(`annotation log BROKEN at ${at(res.firstBad!)}: ${res.firstBad?.reason}\n`);
        for (const p of res.problems) if (p !== res.firstBad && !(p.seq === res.firstBad?.seq && p.reason === res.firstBad.reason)) io.stdout(`  ${at(p)}: ${p.reason}\n`);
      }
      if (res.against?.ok) io.stdout(`  and it still holds the head pack ${res.against.packId} recorded: entry ${res.against.count}, ${res.against.head}\n`);
    }
    return res.ok ? 0 : 3;
  },
};
