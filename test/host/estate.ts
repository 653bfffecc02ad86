/**
 * A store for the host tests: two snapshots of `items` synthetic items (the
 * baseline differs in every tenth item's state, so the diff has work) and a
 * local signing identity, made before any timing. Real store file, real rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalIdentity } from '../../electron/core/packs/sign/identity.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { syntheticItems, writeSnapshot } from '../packs/estate.ts';

export const PASSPHRASE = 'host-test passphrase';
export const IDENTITY = 'host-test';

export type HostEstate = { dir: string; storePath: string; current: string; baseline: string };

export async function makeHostEstate(prefix: string, items: number): Promise<HostEstate> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const storePath = path.join(dir, 'store', 'vaultproof.db');
  const store = openStore(storePath);
  try {
    const baseline = writeSnapshot(store, [...syntheticItems(items)].map((it, i) => (i % 10 === 0 ? { ...it, protectionState: 'IRPending' } : it)), {
      asOf: '2025-09-30T06:00:00.000Z',
      nowMs: Date.parse('2025-09-30T07:00:00Z'),
    });
    const current = writeSnapshot(store, syntheticItems(items), { asOf: '2025-10-30T06:00:00.000Z', nowMs: Date.parse('2025-10-30T07:00:00Z') });
    await createLocalIdentity({ storeDir: store.dir, name: IDENTITY, commonName: 'Host Tester', passphrase: PASSPHRASE, now: new Date() });
    return { dir, storePath, current: current.id, baseline: baseline.id };
  } finally {
    store.close();
  }
}

/** The packs.build input for that estate, writing to `out`. */
export function packInput(e: HostEstate, out: string): Record<string, unknown> {
  return { snapshot: e.current, compare: e.baseline, out, signer: { kind: 'local', identity: IDENTITY }, passphrase: PASSPHRASE };
}
