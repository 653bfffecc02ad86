/**
 * Which snapshot is "the newest": the latest as-of (the newest state of the
 * estate), ties broken by creation time — as the store resolves `latest`.
 * Never the id order: UUIDv7 ids made in one millisecond share their prefix.
 */
type Orderable = { id: string; asOf: string; createdAt: string };

export function newestFirst<T extends Orderable>(snapshots: readonly T[]): T[] {
  return [...snapshots].sort((a, b) => Date.parse(b.asOf) - Date.parse(a.asOf) || Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** The shortest prefix of `id` (at least 8 characters) that no other snapshot shares. */
export function uniquePrefix(id: string, all: readonly { id: string }[]): string {
  for (let n = 8; n < id.length; n++) {
    const p = id.slice(0, n);
    if (!all.some((s) => s.id !== id && s.id.startsWith(p))) return p;
  }
  return id;
}
