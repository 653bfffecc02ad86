/**
 * Child process for test/bench/collect.ts: one collection against a running
 * ARM emulator, so its peak RSS is its own. Usage:
 *   node --import tsx _collect-child.ts ARGS-JSON
 * ARGS: { url, ca, token, subscriptions, concurrency, include, dir, writeAfterNetwork }.
 * Prints one JSON line: { seconds, cpuSeconds, maxRssMB, startRssMB, itemCount, complete, requests,
 * timings, writtenDuringNetwork, written }.
 */
import path from 'node:path';
import type { CollectInclude } from '../../shared/contract/methods/collect.ts';
import { collect } from '../../electron/core/collect/index.ts';
import { openStore } from '../../electron/core/store/store.ts';

type Args = { url: string; ca: string; token: string; subscriptions: string[]; concurrency: number; include: CollectInclude[]; dir: string; writeAfterNetwork: boolean };

const a = JSON.parse(process.argv[2] ?? '{}') as Args;
const store = openStore(path.join(a.dir, `c${a.concurrency}-${a.writeAfterNetwork ? 'after' : 'overlap'}.db`));
const startRssMB = Math.round(process.memoryUsage().rss / 2 ** 20);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let written = 0;
let writtenDuringNetwork = 0;
const r = await collect(
  {
    subscriptions: a.subscriptions,
    tenantId: undefined,
    cloud: { name: 'custom', authorityHost: a.url, armEndpoint: a.url, tokenScope: `${a.url}/.default`, extraCa: [a.ca], caFile: null, custom: true },
    auth: { auth: 'cli', clientId: undefined, clientSecret: undefined, clientCertificatePath: undefined },
    include: new Set(a.include),
    jobsDays: 7,
    concurrency: a.concurrency,
    itemsVia: 'arm',
    label: 'bench',
  },
  {
    store,
    now: () => new Date('2026-07-27T06:00:00.000Z'),
    user: 'bench',
    signal: new AbortController().signal,
    // The 'writing' phase starts when the network phase ends: what was written by then overlapped it.
    onProgress: (e) => {
      if (e.phase === 'writing' && e.done === 0) writtenDuringNetwork = written;
    },
    onWritten: (n) => (written = n),
    writeAfterNetwork: a.writeAfterNetwork,
    credential: { getToken: () => Promise.resolve({ token: a.token, expiresOnTimestamp: Date.now() + 3600_000 }) },
    spoolDir: a.dir,
  },
);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
store.close();
// maxRSS is in kilobytes on Linux and macOS.
const maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(
  `${JSON.stringify({ seconds, cpuSeconds, maxRssMB, startRssMB, itemCount: r.itemCount, complete: r.complete, requests: r.requests, timings: r.timings, written, writtenDuringNetwork })}\n`,
);
