/** The workload inventory index (FindingsInventoryIndex) over a plain array of records. */
import { lower } from '../findings-facts.ts';
import type { FindingsInventory, FindingsInventoryIndex } from './types.ts';

export function inventoryIndexOf(records: readonly FindingsInventory[]): FindingsInventoryIndex {
  const slots = new Map<string, number>();
  const subscriptions = new Set<string>();
  const types = new Set<string>();
  records.forEach((r, i) => {
    slots.set(r.key, i);
    subscriptions.add(lower(r.subscriptionId));
    types.add(r.type.toLowerCase());
  });
  return {
    size: records.length,
    subscriptions,
    types,
    slotOf: (key) => slots.get(key) ?? -1,
    tagsOf: (slot) => records[slot]!.tags,
    *records(skip) {
      for (const r of records) if (!skip(slots.get(r.key)!)) yield r;
    },
  };
}
