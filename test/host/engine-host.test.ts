/**
 * The engine host under plain Node: the real engine worker (the same entry
 * file Electron main and web mode start), a real store file, real methods.
 * Expected values come from the fixture itself: arm-items-iaasvm.json holds
 * three protected VMs (hiaga-adhoc-vm, hiagaNewVm1, pstest-ccy-vm3), the
 * second with a failed last backup.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEngineHost, type EngineHost } from '../../electron/core/host/engine-host.ts';
import type { ProgressEvent } from '../../shared/contract/events.ts';
import type { Result } from '../../shared/contract/result.ts';
import { makeHostEstate, packInput, type HostEstate } from './estate.ts';

const fixture = path.resolve(import.meta.dirname, '../fixtures/web/arm-items-iaasvm.json');

function codeOf(r: Result<unknown>): string {
  return r.ok ? 'ok' : r.error.code;
}

/** Resolves with the first progress event of a job (the build is then under way on the worker). */
function firstEvent(events: ProgressEvent[]): { onEvent: (e: ProgressEvent) => void; seen: Promise<ProgressEvent> } {
  let seen!: (e: ProgressEvent) => void;
  const p = new Promise<ProgressEvent>((resolve) => (seen = resolve));
  return {
    onEvent: (e) => {
      events.push(e);
      seen(e);
    },
    seen: p,
  };
}

describe('engine host: calls on a real store', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-host-'));
  const storePath = path.join(dir, 'store', 'vaultproof.db');
  let engine: EngineHost;
  before(() => {
    engine = startEngineHost({ storePath });
  });
  after(async () => {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports as a job on the worker, with that job on every progress event, then lists and queries what it stored', async () => {
    const events: ProgressEvent[] = [];
    const imported = await engine.call({ method: 'import.files', input: { paths: [fixture], asOf: '2025-10-30T06:00:00Z' }, job: 'import-1' }, { onEvent: (e) => events.push(e) });
    assert.equal(codeOf(imported), 'ok', JSON.stringify(imported));
    assert.ok(events.length >= 1);
    assert.deepEqual([...new Set(events.map((e) => e.job))], ['import-1']);

    const list = await engine.call({ method: 'snapshots.list', input: {} });
    assert.ok(list.ok);
    const snapshots = list.value as Array<{ id: string; itemCount: number; asOf: string }>;
    assert.equal(snapshots.length, 1);
    assert.equal(snapshots[0]!.itemCount, 3);
    assert.equal(snapshots[0]!.asOf, '2025-10-30T06:00:00.000Z');

    const failed = await engine.call({ method: 'items.query', input: { snapshot: snapshots[0]!.id, where: [{ field: 'lastBackupStatus', value: 'Failed' }] } });
    assert.ok(failed.ok, JSON.stringify(failed));
    assert.deepEqual(
      (failed.value as { items: Array<{ name: string }> }).items.map((i) => i.name),
      ['hiagaNewVm1'],
    );
    // The file the worker wrote is the file the host named.
    assert.equal(engine.storePath(), storePath);
    assert.ok(fs.statSync(storePath).size > 0);
  });

  it('answers bad calls with the contract errors, as the in-process entrance does', async () => {
    assert.equal(codeOf(await engine.call({ method: 'snapshots.list', input: { drop: true } })), 'BAD_INPUT');
    const unknown = await engine.call({ method: 'snapshots.explode', input: {} });
    assert.match(unknown.ok ? '' : unknown.error.message, /unknown method "snapshots.explode"/);
    assert.equal(codeOf(await engine.call({ method: 'snapshots.get', input: { snapshot: 'ffffffff' } })), 'NOT_FOUND');
  });

  it('switches stores on the worker: a damaged file is refused and the open store stays; a new path opens empty', async () => {
    const damaged = path.join(dir, 'damaged.db');
    fs.writeFileSync(damaged, 'this is not an SQLite database, just text long enough to have a header '.repeat(20));
    const refused = await engine.openStore(damaged);
    assert.equal(codeOf(refused), 'STORE', JSON.stringify(refused));
    assert.equal(engine.storePath(), storePath);
    const still = await engine.call({ method: 'snapshots.list', input: {} });
    assert.equal(still.ok && (still.value as unknown[]).length, 1);

    const other = path.join(dir, 'other', 'vaultproof.db');
    const opened = await engine.openStore(other);
    assert.deepEqual(opened, { ok: true, value: { storePath: other } });
    assert.equal(engine.storePath(), other);
    assert.deepEqual(await engine.call({ method: 'snapshots.list', input: {} }), { ok: true, value: [] });
  });

  it('refuses an input that cannot cross to the worker, naming the method', async () => {
    const r = await engine.call({ method: 'snapshots.list', input: { f: () => 1 } });
    assert.equal(codeOf(r), 'BAD_INPUT');
    assert.match(r.ok ? '' : r.error.message, /snapshots\.list cannot be sent to the engine/);
  });
});

describe('engine host: cancelling, closing, and a worker that dies', () => {
  let estate: HostEstate;
  before(async () => {
    estate = await makeHostEstate('vp-host-cancel-', 3000);
  });
  after(() => fs.rmSync(estate.dir, { recursive: true, force: true }));

  it('jobs.cancel reaches a pack build running on the worker: CANCELLED, and no pack is left at the target', async () => {
    const engine = startEngineHost({ storePath: estate.storePath });
    try {
      const out = path.join(estate.dir, 'cancelled-pack');
      const events: ProgressEvent[] = [];
      const { onEvent, seen } = firstEvent(events);
      const build = engine.call({ method: 'packs.build', input: packInput(estate, out), job: 'pack-1' }, { onEvent });
      await seen;
      const cancel = await engine.call({ method: 'jobs.cancel', input: { job: 'pack-1' } });
      assert.deepEqual(cancel, { ok: true, value: { cancelled: true } });
      const result = await build;
      assert.equal(codeOf(result), 'CANCELLED', JSON.stringify(result));
      assert.equal(fs.existsSync(out), false);
      assert.ok(events.every((e) => e.job === 'pack-1'));
      // The job is gone: the same id can run again (here, a quick call under it).
      assert.equal(codeOf(await engine.call({ method: 'snapshots.list', input: {}, job: 'pack-1' })), 'ok');
    } finally {
      await engine.close();
    }
  });

  it("the caller's abort signal (a dropped connection) cancels its call on the worker", async () => {
    const engine = startEngineHost({ storePath: estate.storePath });
    try {
      const controller = new AbortController();
      const { onEvent, seen } = firstEvent([]);
      const build = engine.call({ method: 'packs.build', input: packInput(estate, path.join(estate.dir, 'aborted-pack')), job: 'pack-2' }, { onEvent, signal: controller.signal });
      await seen;
      controller.abort();
      assert.equal(codeOf(await build), 'CANCELLED');
    } finally {
      await engine.close();
    }
  });

  it('close() cancels running jobs, waits for them, and later calls are refused', async () => {
    const engine = startEngineHost({ storePath: estate.storePath });
    const { onEvent, seen } = firstEvent([]);
    const build = engine.call({ method: 'packs.build', input: packInput(estate, path.join(estate.dir, 'closed-pack')), job: 'pack-3' }, { onEvent });
    await seen;
    await engine.close();
    assert.equal(codeOf(await build), 'CANCELLED');
    const late = await engine.call({ method: 'snapshots.list', input: {} });
    assert.equal(codeOf(late), 'INTERNAL');
    assert.match(late.ok ? '' : late.error.message, /the engine is closed; snapshots\.list was not run/);
  });

  it('a worker that dies mid-call (out of memory) answers that call with an error, and the next call runs on a fresh worker', async () => {
    const crashes: string[] = [];
    // A heap too small for a 3000-item pack, big enough to start: the worker is ended by V8, as a runaway call would be.
    const engine = startEngineHost({ storePath: estate.storePath, resourceLimits: { maxOldGenerationSizeMb: 32 }, onCrash: (m) => crashes.push(m) });
    try {
      const before = await engine.call({ method: 'snapshots.list', input: {} });
      assert.equal(codeOf(before), 'ok');
      const build = await engine.call({ method: 'packs.build', input: packInput(estate, path.join(estate.dir, 'oom-pack')), job: 'pack-4' });
      assert.equal(codeOf(build), 'INTERNAL');
      assert.match(build.ok ? '' : build.error.message, /^the engine stopped unexpectedly \(.*memory.*\) while running packs\.build;.*restarts with the next request$/);
      assert.equal(crashes.length, 1);
      const after = await engine.call({ method: 'snapshots.list', input: {} });
      assert.equal(after.ok && (after.value as unknown[]).length, 2);
    } finally {
      await engine.close();
    }
  });
});
