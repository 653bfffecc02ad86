/**
 * The point of the engine host: while a long pack build runs on the engine
 * worker, the host's own thread (Electron main, the web server) keeps
 * answering. A ping (`app.info`, a shell method the host answers itself,
 * through the same relay IPC and /rpc use) is asked for every 20 ms during
 * the build; its latency counts from when it was due, so a thread held by
 * the build shows up as the time the ping waited. In-process (the core on
 * the host's thread) the same build held the thread for 2.2 s of a 3.0 s
 * build (3000 items; see the S2 closing note); the bound below fails for that.
 * The numbers are reported as test diagnostics; speed targets belong in the bench.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { createAppRelay } from '../../electron/core/host/app-relay.ts';
import { startEngineHost, type EngineHost } from '../../electron/core/host/engine-host.ts';
import type { Result } from '../../shared/contract/result.ts';
import { makeHostEstate, packInput, type HostEstate } from './estate.ts';

type Pinged = { latencies: number[]; buildMs: number; loopMaxMs: number; result: Result<unknown> };

/** Runs `build`, pinging every `everyMs` until it settles; a ping's latency counts from when it was due. */
async function pingDuring(build: () => Promise<Result<unknown>>, ping: () => Promise<unknown>, everyMs = 20): Promise<Pinged> {
  const latencies: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 5 });
  let settled = false;
  const started = performance.now();
  loop.enable();
  let due = started + everyMs;
  const pings: Array<Promise<void>> = [];
  const timer = setInterval(() => {
    // Every ping that fell due while the thread was held is sent now, each timed from its own due time.
    for (const now = performance.now(); due <= now && !settled; due += everyMs) {
      const dueAt = due;
      pings.push(
        ping().then(() => {
          if (!settled) latencies.push(performance.now() - dueAt);
        }),
      );
    }
  }, everyMs);
  try {
    const result = await build();
    settled = true;
    const buildMs = performance.now() - started;
    await Promise.all(pings);
    return { latencies, buildMs, loopMaxMs: loop.max / 1e6, result };
  } finally {
    clearInterval(timer);
    loop.disable();
  }
}

const round = (x: number): number => Math.round(x);

describe('engine host: the host thread stays free while the worker builds a pack', () => {
  let estate: HostEstate;
  let engine: EngineHost;
  before(async () => {
    estate = await makeHostEstate('vp-host-ping-', 3000);
    engine = startEngineHost({ storePath: estate.storePath });
    assert.equal((await engine.call({ method: 'snapshots.list', input: {} })).ok, true); // the worker is up before timing
  });
  after(async () => {
    await engine.close();
    fs.rmSync(estate.dir, { recursive: true, force: true });
  });

  it('answers app.info pings throughout a 3000-item pack build', async (t) => {
    const relay = createAppRelay({
      engine: () => engine,
      shell: { name: 'the test host', handlers: { 'app.info': () => ({ kind: 'web', version: 'test', storePath: engine.storePath(), platform: process.platform, nativeDialogs: false }) } },
    });
    const out = path.join(estate.dir, 'pack');
    const m = await pingDuring(
      () => relay({ method: 'packs.build', input: packInput(estate, out), job: 'pack' }, () => {}),
      async () => {
        const r = await relay({ method: 'app.info', input: {} }, () => {});
        assert.equal(r.ok, true);
      },
    );
    assert.equal(m.result.ok, true, JSON.stringify(m.result));
    assert.ok(fs.existsSync(path.join(out, 'report.pdf')), 'the pack was built');
    const sorted = [...m.latencies].sort((a, b) => a - b);
    const max = sorted.at(-1) ?? Infinity;
    const median = sorted[Math.floor(sorted.length / 2)] ?? Infinity;
    t.diagnostic(`build ${round(m.buildMs)} ms; ${sorted.length} pings answered during it; latency median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms; host event-loop delay max ${round(m.loopMaxMs)} ms`);
    // Pings kept coming back while the pack was being built...
    assert.ok(sorted.length >= 5, `only ${sorted.length} pings answered during a ${round(m.buildMs)} ms build`);
    // ...and none waited for a large part of the build (in-process, one waited 2.2 s of 3.0 s).
    assert.ok(max < m.buildMs / 3, `a ping waited ${round(max)} ms during a ${round(m.buildMs)} ms build`);
  });

  it("the worker's own loop takes a ping between the build's steps (how soon jobs.cancel can land)", async (t) => {
    const m = await pingDuring(
      () => engine.call({ method: 'packs.build', input: packInput(estate, path.join(estate.dir, 'pack-2')), job: 'pack-2' }),
      () => engine.ping(),
    );
    assert.equal(m.result.ok, true, JSON.stringify(m.result));
    const max = Math.max(...m.latencies);
    t.diagnostic(`build ${round(m.buildMs)} ms; worker answered ${m.latencies.length} pings during it; longest wait ${round(max)} ms`);
    assert.ok(m.latencies.length >= 1, 'the worker never took a message during the build');
  });
});
