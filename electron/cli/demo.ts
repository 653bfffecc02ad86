/**
 * `vaultproof demo`: a signed demo pack from bundled data, then its
 * verification (demo.* methods).
 */
import { createCoreContext } from '../core/context.ts';
import { call, printJson, strArg } from './run.ts';
import type { CommandRuns } from './types.ts';
import { printVerify } from './packs.ts';

export const runs: CommandRuns = {
  async 'demo'(args, io) {
    const out = strArg(args, 'out');
    const json = args.values.json === true;
    // The demo makes its own store in --out; the user's store is never opened.
    const core = createCoreContext();
    const r = await call(core, 'demo.run', out ? { out } : {}, json ? undefined : io);
    if (json) await printJson(io, r);
    else {
      io.stdout(`demo store: ${r.storePath} (snapshots ${r.snapshots.join(', ')})\n`);
      io.stdout(`evidence pack: ${r.pack.path}\n  open report.pdf and workbook.xlsx; the data/ folder holds the canonical snapshots\n\n`);
      printVerify(io, r.verify, r.pack.path);
      io.stdout(`\nverify it yourself:\n  vaultproof verify ${r.pack.path} --trust ${r.trustAnchor}\n  openssl cms -verify -binary -inform DER -in ${r.pack.path}/manifest.p7s -content ${r.pack.path}/manifest.json -noverify -out /dev/null\n  pdfsig ${r.pack.path}/report.pdf\n`);
    }
    return r.verify.ok ? 0 : 3;
  },
};
