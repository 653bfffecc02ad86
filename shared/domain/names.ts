/**
 * Names that identify. Real estates repeat names (SQL `master` on every
 * server, one VM name in two vaults, one vault name in two resource groups):
 * wherever a person reads a list, a name that is not unique in that list
 * carries its context after it — `master (sql-pstest-vm1, rsv-prod)` — and a
 * unique name stays as it is.
 */
import type { BackupItem, VaultRecord } from './types.ts';

export type NamedItem = Pick<BackupItem, 'key' | 'name' | 'serverName' | 'containerName' | 'vaultName' | 'vaultResourceGroup'>;

/** The machine a workload item lives on: its server, else the last part of its container (`VMAppContainer;compute;rg;sql-vm1` → `sql-vm1`). */
function hostOf(it: NamedItem): string | null {
  if (it.serverName) return it.serverName;
  if (!it.containerName) return null;
  const last = it.containerName.split(';').pop() ?? '';
  return last === '' ? null : last;
}

function withContext(name: string, parts: Array<string | null>): string {
  const seen = new Set<string>([name.toLowerCase()]);
  const ctx: string[] = [];
  for (const p of parts) {
    if (!p || seen.has(p.toLowerCase())) continue;
    seen.add(p.toLowerCase());
    ctx.push(p);
  }
  return ctx.length > 0 ? `${name} (${ctx.join(', ')})` : name;
}

/** Groups by a case-insensitive text. */
function dupes<T>(xs: readonly T[], text: (x: T) => string): Set<string> {
  const n = new Map<string, number>();
  for (const x of xs) n.set(text(x).toLowerCase(), (n.get(text(x).toLowerCase()) ?? 0) + 1);
  return new Set([...n].filter(([, c]) => c > 1).map(([t]) => t));
}

/**
 * Labels for the items of one list, by key: the name where it is unique in
 * the list, else the name with its host (server or container) and vault, and
 * the vault's resource group where that still leaves two alike.
 */
export function itemLabels(items: readonly NamedItem[]): Map<string, string> {
  const out = new Map<string, string>();
  const repeated = dupes(items, (i) => i.name);
  const ambiguous: NamedItem[] = [];
  for (const it of items) {
    if (repeated.has(it.name.toLowerCase())) ambiguous.push(it);
    else out.set(it.key, it.name);
  }
  const short = new Map(ambiguous.map((it) => [it.key, withContext(it.name, [hostOf(it), it.vaultName])]));
  const still = dupes(ambiguous, (i) => short.get(i.key)!);
  for (const it of ambiguous) {
    const s = short.get(it.key)!;
    out.set(it.key, still.has(s.toLowerCase()) ? withContext(it.name, [hostOf(it), it.vaultName, it.vaultResourceGroup]) : s);
  }
  return out;
}

/** The resource group named in an ARM id, or null. */
export function resourceGroupOfId(id: string): string | null {
  return /\/resourcegroups\/([^/]+)/i.exec(id)?.[1] ?? null;
}

/** Labels for vaults by key: the name, with the resource group where two vaults share a name. */
export function vaultLabels(vaults: ReadonlyArray<Pick<VaultRecord, 'key' | 'name' | 'resourceGroup'>>): Map<string, string> {
  const repeated = dupes(vaults, (v) => v.name);
  return new Map(vaults.map((v) => [v.key, repeated.has(v.name.toLowerCase()) ? withContext(v.name, [v.resourceGroup]) : v.name]));
}
