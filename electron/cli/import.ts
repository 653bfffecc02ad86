/**
 * `vaultproof import`: export files into one snapshot (import.* methods).
 */
import { call, printJson, requirePositionals, strArg, withCore } from './run.ts';
import type { CommandRuns } from './types.ts';

export const runs: CommandRuns = {
  async 'import'(args, io) {
    const files = requirePositionals(args, 1, this.usage);
    const label = strArg(args, 'label');
    const asOf = strArg(args, 'as-of');
    const res = await withCore(args, (core) =>
      call(core, 'import.files', { paths: files, ...(label ? { label } : {}), ...(asOf ? { asOf } : {}) }, args.values.json ? undefined : io),
    );
    if (args.values.json) await printJson(io, res);
    else {
      for (const f of res.files) io.stdout(`${f.path}: ${f.format}, ${f.records} records\n`);
      for (const w of res.warnings) io.stderr(`warning: ${w}\n`);
      io.stdout(`snapshot ${res.snapshotId}: ${res.itemCount} items, as of ${res.asOf}\ncontent hash ${res.contentHash}\n`);
    }
    return 0;
  },
};
