/**
 * `vaultproof sizes import` and `sizes list` (sizes.* methods).
 */
import { call, printJson, requirePositionals, strArg, table, withCore } from './run.ts';
import type { CommandRuns } from './types.ts';

export const runs: CommandRuns = {
  async 'sizes import'(args, io) {
    const [file] = requirePositionals(args, 1, this.usage);
    const label = strArg(args, 'label');
    const r = await withCore(args, (core) => call(core, 'sizes.import', { path: file, ...(label ? { label } : {}) }));
    if (args.values.json) await printJson(io, r);
    else {
      io.stdout(`${r.id}\n`);
      io.stderr(`sizes dataset ${r.id}: ${r.rowCount} rows from ${r.fileName} (${r.format}), content hash ${r.contentHash}\n`);
      for (const [k, v] of Object.entries(r.columns)) io.stderr(`  ${k}: ${v}\n`);
      for (const w of r.warnings) io.stderr(`warning: ${w}\n`);
    }
    return 0;
  },
  async 'sizes list'(args, io) {
    const list = await withCore(args, (core) => call(core, 'sizes.list', {}));
    if (args.values.json) await printJson(io, list);
    else io.stdout(table(list.map((d) => ({ id: d.id, createdAt: d.createdAt, file: d.fileName, rows: d.rowCount, contentHash: d.contentHash.slice(0, 16) })), ['id', 'createdAt', 'file', 'rows', 'contentHash']));
    return 0;
  },
};
