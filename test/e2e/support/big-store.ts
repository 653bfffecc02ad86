/**
 * A store with one big synthetic snapshot, written straight through the
 * store's SnapshotWriter (no file, no parser): the estate generator's ARM
 * items, normalised as the importer does. 100k items take a few seconds.
 */
import { openStore } from '../../../electron/core/store/store.ts';
import { toolVersion } from '../../../electron/core/version.ts';
import { normaliseResource } from '../../../shared/domain/normalise/index.ts';
import { estateItems, subscriptionId } from '../../harness/estate.ts';

export function writeBigStore(storePath: string, items: number, opts: { subscriptions?: number; vaultsPerSubscription?: number; asOf?: string } = {}): { snapshotId: string; items: number } {
  const asOf = opts.asOf ?? '2026-11-20T08:00:00.000Z';
  const subscriptions = opts.subscriptions ?? 10;
  const store = openStore(storePath);
  try {
    const writer = store.snapshots.begin(Date.parse('2026-11-21T00:00:00Z'));
    try {
      for (const raw of estateItems({ items, subscriptions, vaultsPerSubscription: opts.vaultsPerSubscription ?? 10, asOf })) {
        const rec = normaliseResource(raw);
        if (rec) writer.add(rec);
      }
    } catch (e) {
      writer.abort();
      throw e;
    }
    const subs = Array.from({ length: subscriptions }, (_, i) => subscriptionId(i));
    const summary = writer.commit({
      label: `Synthetic estate (${items.toLocaleString('en')} items)`,
      createdAt: '2026-11-21T00:00:00.000Z',
      asOf,
      source: 'import',
      complete: true,
      provenance: { toolVersion, source: 'import', user: 'bench', createdAt: '2026-11-21T00:00:00.000Z', asOfSource: 'option', tenants: [], subscriptions: subs },
      coverage: subs.map((s) => ({ scope: `subscription:${s}`, status: 'collected', error: null })),
    });
    return { snapshotId: summary.id, items: summary.itemCount };
  } finally {
    store.close();
  }
}
