/**
 * `vaultproof owners import`: owner annotations in bulk from a CSV (owners.*
 * methods).
 */
import { ownerFields } from '../../shared/contract/methods/annotations.ts';
import { UserError } from '../core/errors.ts';
import { call, listArg, printJson, requirePositionals, show, strArg, withCore } from './run.ts';
import type { CommandRuns } from './types.ts';

export const runs: CommandRuns = {
  async 'owners import'(args, io) {
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
    if (args.values.json) await printJson(io, res);
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
};
