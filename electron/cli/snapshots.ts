/**
 * `vaultproof snapshots`, `snapshot`, `snapshots delete` (snapshots.*
 * methods).
 */
import { completenessWords } from '../../shared/domain/coverage.ts';
import { UserError } from '../core/errors.ts';
import { call, printJson, requirePositionals, strArg, table, withCore } from './run.ts';
import type { CommandRuns } from './types.ts';

export const runs: CommandRuns = {
  async 'snapshots'(args, io) {
    const list = await withCore(args, (core) => call(core, 'snapshots.list', {}));
    const rows = list.map((s) => ({ id: s.id, label: s.label, createdAt: s.createdAt, asOf: s.asOf, source: s.source, itemCount: s.itemCount, contentHash: s.contentHash, complete: s.complete, completeness: s.completeness }));
    if (args.values.json) await printJson(io, rows);
    else if (rows.length === 0) io.stdout('no snapshots yet — run `vaultproof import FILE...` or `vaultproof demo`\n');
    else io.stdout(table(rows.map((r) => ({ ...r, contentHash: r.contentHash.slice(0, 16), complete: r.complete ? 'yes' : 'NO' })), ['id', 'label', 'asOf', 'source', 'itemCount', 'completeness', 'contentHash']));
    return 0;
  },
  async 'snapshot'(args, io) {
    const [ref] = requirePositionals(args, 1, this.usage);
    const d = await withCore(args, (core) => call(core, 'snapshots.get', { snapshot: ref }));
    if (args.values.json) await printJson(io, d);
    else {
      io.stdout(`snapshot ${d.id}${d.label ? ` (${d.label})` : ''}\n  as of ${d.asOf} (${String(d.provenance.asOfSource)}), created ${d.createdAt} by ${d.provenance.user}\n  source ${d.source}, ${d.itemCount} items, ${completenessWords[d.completeness].sentence}\n  content hash ${d.contentHash}\n`);
      io.stdout(`  records: ${Object.entries(d.recordCounts).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
      for (const f of d.files) io.stdout(`  file ${f.name}: ${f.format}, ${f.records} records, ${f.size} bytes, sha256 ${f.sha256}\n`);
      for (const c of d.coverage) io.stdout(`  ${c.status === 'failed' ? 'FAILED' : d.completeness === 'asStated' ? 'stated' : 'ok    '} ${c.scope}${c.error ? `: ${c.error.code} ${c.error.message}` : ''}\n`);
    }
    return 0;
  },
  async 'snapshots delete'(args, io) {
    const [ref] = requirePositionals(args, 1, this.usage);
    const reason = strArg(args, 'reason');
    if (reason === undefined || reason.trim() === '') throw new UserError('BAD_INPUT', `deleting a snapshot needs --reason TEXT; usage: vaultproof ${this.usage}`);
    const res = await withCore(args, (core) => call(core, 'snapshots.delete', { snapshot: ref, reason }));
    if (args.values.json) await printJson(io, res);
    else io.stdout(`deleted snapshot ${res.snapshotId} (content hash ${res.contentHash}); logged as entry ${res.entry.seq}\n`);
    return 0;
  },
};
