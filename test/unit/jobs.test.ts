import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createCoreContext } from '../../electron/core/context.ts';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { cancelJob } from '../../electron/core/api/jobs.ts';

const fixture = path.resolve(import.meta.dirname, '../fixtures/web/arm-items-iaasvm.json');

function tempCore() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-jobs-'));
  return createCoreContext({ storePath: path.join(dir, 'store.db') });
}

describe('cancellable jobs', () => {
  it('jobs.cancel aborts a running import, which stores nothing', async () => {
    const core = tempCore();
    try {
      const running = dispatch(core, { method: 'import.files', input: { paths: [fixture] }, job: 'big-import' });
      const cancelled = await dispatch(core, { method: 'jobs.cancel', input: { job: 'big-import' } });
      assert.deepEqual(cancelled, { ok: true, value: { cancelled: true } });
      const res = await running;
      assert.equal(res.ok ? 'ok' : res.error.code, 'CANCELLED');
      assert.deepEqual(await dispatch(core, { method: 'snapshots.list', input: {} }), { ok: true, value: [] });
      // finished jobs are forgotten: cancelling again finds nothing
      assert.equal(cancelJob(core, 'big-import'), false);
    } finally {
      core.close();
    }
  });

  it('refuses a second job under a running id, and keeps jobs of two cores apart', async () => {
    const a = tempCore();
    const b = tempCore();
    try {
      const first = dispatch(a, { method: 'import.files', input: { paths: [fixture] }, job: 'same' });
      const second = await dispatch(a, { method: 'import.files', input: { paths: [fixture] }, job: 'same' });
      assert.equal(second.ok ? 'ok' : second.error.code, 'CONFLICT');
      assert.equal(cancelJob(b, 'same'), false);
      const done = await first;
      assert.ok(done.ok, JSON.stringify(done));
      assert.deepEqual(await dispatch(a, { method: 'jobs.cancel', input: { job: 'same' } }), { ok: true, value: { cancelled: false } });
    } finally {
      a.close();
      b.close();
    }
  });
});
