/**
 * Vault names for roll-ups that group by vault key (issue 15 item 4: the
 * same vault reads the same in every view — the name the grid shows, not a
 * cut, lower-cased id). A name two vaults share gets its resource group.
 */
import type { Database as Db } from 'better-sqlite3';

/** Vault key → display name, from the first snapshot that holds the vault (the covering index, no wide rows). */
export function vaultLabelsFor(db: Db, snapshotIds: string[]): Record<string, string> {
  const stmt = db.prepare(`SELECT vault_key AS key, max(vault_name) AS name FROM items WHERE snapshot_id = ? AND vault_key IS NOT NULL GROUP BY vault_key`);
  const names = new Map<string, string>();
  for (const id of snapshotIds) {
    for (const r of stmt.all(id) as Array<{ key: string; name: string | null }>) {
      if (!names.has(r.key)) names.set(r.key, r.name ?? r.key.split('/').pop() ?? r.key);
    }
  }
  const count = new Map<string, number>();
  for (const n of names.values()) count.set(n.toLowerCase(), (count.get(n.toLowerCase()) ?? 0) + 1);
  const out: Record<string, string> = {};
  for (const [key, name] of names) {
    const rg = /\/resourcegroups\/([^/]+)/i.exec(key)?.[1];
    out[key] = (count.get(name.toLowerCase()) ?? 0) > 1 && rg ? `${name} (${rg})` : name;
  }
  return out;
}
