/**
 * `vaultproof store verify` (store.* methods).
 */
import { call, printJson, withCore } from './run.ts';
import type { CommandRuns } from './types.ts';

export const runs: CommandRuns = {
  async 'store verify'(args, io) {
    const res = await withCore(args, (core) => call(core, 'store.verify', {}));
    if (args.values.json) await printJson(io, res);
    else {
      for (const s of res.snapshots) {
        io.stdout(`${s.ok ? 'ok      ' : 'MISMATCH'} ${s.id} ${s.expected.slice(0, 16)}\n`);
        for (const p of s.problems) io.stdout(`         ${p}\n`);
      }
      for (const p of res.problems) io.stdout(`PROBLEM  ${p}\n`);
      io.stdout(res.ok ? `store verified: ${res.snapshots.length} snapshots intact\n` : 'store verification FAILED\n');
    }
    return res.ok ? 0 : 3;
  },
};
