/**
 * Profiling aid (not a bench): builds one pack in-process and prints, per
 * phase, wall time, heap used and RSS. Usage:
 *   node --import tsx test/bench/_pack-phases.ts STORE CURRENT [BASELINE] OUT
 * With VP_SAMPLE_MS=N it also prints heap (used/total), external, array
 * buffers and RSS every N ms while the event loop is free (the asynchronous
 * phases: the PDF and the workbook).
 */
import { buildPack } from '../../electron/core/packs/build.ts';
import { createLocalIdentity } from '../../electron/core/packs/sign/identity.ts';
import { openStore } from '../../electron/core/store/store.ts';
import fs from 'node:fs';
import path from 'node:path';

const [storePath, current, baseline, out] = process.argv.slice(2);
const store = openStore(storePath!);
const passphrase = 'bench passphrase';
if (!fs.existsSync(path.join(store.dir, 'identities', 'bench.p12'))) await createLocalIdentity({ storeDir: store.dir, name: 'bench', commonName: 'Bench', passphrase, now: new Date() });
const t0 = performance.now();
let last = t0;
const mb = (x: number) => Math.round(x / 1048576);
const line = (what: string) => {
  const now = performance.now();
  const m = process.memoryUsage();
  process.stderr.write(`${((now - t0) / 1000).toFixed(1)}s (+${((now - last) / 1000).toFixed(1)}) heap=${mb(m.heapUsed)}MB rss=${mb(m.rss)}MB maxrss=${Math.round(process.resourceUsage().maxRSS / 1024)}MB ${what}\n`);
  last = now;
};
const every = Number(process.env.VP_SAMPLE_MS ?? 0);
const sampler =
  every > 0
    ? setInterval(() => {
        const m = process.memoryUsage();
        process.stderr.write(`  ${((performance.now() - t0) / 1000).toFixed(1)}s heap=${mb(m.heapUsed)}/${mb(m.heapTotal)}MB external=${mb(m.external)}MB arrayBuffers=${mb(m.arrayBuffers)}MB rss=${mb(m.rss)}MB\n`);
      }, every)
    : null;
const r = await buildPack(
  store,
  { snapshot: current!, ...(baseline && baseline !== '-' ? { compare: baseline } : {}), out: out!, signer: { kind: 'local', identity: 'bench' }, passphrase },
  { now: new Date(), user: 'bench', toolVersion: '0.0.0', onProgress: (p) => line(`start ${p.phase}`) },
);
if (sampler) clearInterval(sampler);
line('done');
console.log(JSON.stringify({ files: r.files.map((f) => [f.path, f.size]) }));
store.close();
