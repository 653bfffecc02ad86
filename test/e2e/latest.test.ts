/**
 * "The newest snapshot" is the one with the latest as-of (ties: creation
 * time), never the id order (issue 15 item 4): in the store's `latest` and
 * in every view's default. Snapshots made in one millisecond share their
 * UUIDv7 time prefix; each is shown by the shortest prefix unique in the
 * store, the full id on hover and copy.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../electron/core/store/store.ts';
import { toolVersion } from '../../electron/core/version.ts';
import { normaliseResource } from '../../shared/domain/normalise/index.ts';
import { estateItems, subscriptionId } from '../harness/estate.ts';
import { chromiumAvailable } from './support/browser.ts';
import { openSession, type Session } from './support/session.ts';

const MS = Date.parse('2026-11-21T00:00:00Z');

/** Three snapshots begun in one millisecond, created in the order given. */
function writeThree(storePath: string): Array<{ id: string; label: string }> {
  const store = openStore(storePath);
  const out: Array<{ id: string; label: string }> = [];
  try {
    const specs = [
      { label: 'November (created first)', asOf: '2025-11-27T08:00:00.000Z', createdAt: '2026-11-21T00:00:01.000Z' },
      { label: 'November again (created second)', asOf: '2025-11-27T08:00:00Z', createdAt: '2026-11-21T00:00:02.000Z' },
      // Created last but older: "the most recently created" (the old rule) would pick it.
      { label: 'October (created last)', asOf: '2025-10-28T08:00:00.000Z', createdAt: '2026-11-21T00:00:03.000Z' },
    ];
    for (const [i, sp] of specs.entries()) {
      const w = store.snapshots.begin(MS);
      for (const raw of estateItems({ items: 3 + i, subscriptions: 1, vaultsPerSubscription: 1, asOf: sp.asOf })) {
        const rec = normaliseResource(raw);
        if (rec) w.add(rec);
      }
      const sub = subscriptionId(0);
      const summary = w.commit({
        label: sp.label,
        createdAt: sp.createdAt,
        asOf: sp.asOf,
        source: 'import',
        complete: true,
        provenance: { toolVersion, source: 'import', user: 'e2e', createdAt: sp.createdAt, asOfSource: 'option', tenants: [], subscriptions: [sub] },
        coverage: [{ scope: `subscription:${sub}`, status: 'collected', error: null }],
      });
      out.push({ id: summary.id, label: sp.label });
    }
  } finally {
    store.close();
  }
  return out;
}

describe('the newest snapshot is the latest as-of', () => {
  it('store: `latest` is the latest as-of, ties broken by creation time, whatever the ids', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-latest-'));
    try {
      const db = path.join(tmp, 's.db');
      const made = writeThree(db);
      // One millisecond: the ids share the 48-bit time prefix (12 hex digits).
      assert.equal(new Set(made.map((m) => m.id.slice(0, 8))).size, 1);
      const store = openStore(db);
      try {
        // November and "November again" tie on as-of (one written with milliseconds, one without); the later created wins.
        assert.equal(store.snapshots.resolve('latest').label, 'November again (created second)');
      } finally {
        store.close();
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('views open on the newest snapshot and name snapshots by a unique prefix', { skip: chromiumAvailable() ? false : 'no /usr/bin/chromium' }, () => {
  let s: Session;
  let made: Array<{ id: string; label: string }> = [];
  before(async () => {
    s = await openSession({ width: 1280, height: 720, importFixtures: false, prepare: (p) => (made = writeThree(p)) });
  });
  after(async () => {
    await s?.close();
  });

  it('Items opens on the latest as-of; Compare\'s baseline is the one before it; every id shown is unique', async () => {
    const { app } = s;
    const ids = await app.byTestId('snapshot-id').allTextContents();
    const shown = ids.map((t) => t.trim());
    assert.equal(new Set(shown).size, 3, `shown: ${shown.join(', ')}`);
    for (const [i, p] of shown.entries()) {
      assert.ok(p.length > 8, p);
      assert.equal(made.filter((m) => m.id.startsWith(p)).length, 1, `${p} names exactly one snapshot`);
      assert.equal(await app.byTestId('snapshot-id').nth(i).getAttribute('title'), made.find((m) => m.id.startsWith(p))!.id);
    }
    await app.go('items');
    await app.byTestId('items-snapshot').filter({ hasText: 'November again (created second)' }).waitFor();
    await app.go('compare');
    await app.byTestId('compare-baseline').filter({ hasText: 'November (created first)' }).waitFor();
    await app.screenshot('latest-compare-720');
  });
});
