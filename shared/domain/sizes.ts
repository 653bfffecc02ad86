/**
 * Sizes datasets (a Backup Reports "Backup Items" export, imported beside the
 * snapshots) and how their rows are matched to the items of a snapshot.
 */
export type SizesRow = {
  row: number;
  /** Canonical item key when the row names the protected item / backup instance by ARM id. */
  itemKey: string | null;
  /** Canonical key of the protected (source) resource. */
  sourceKey: string | null;
  /** Friendly name, lower-cased. */
  name: string | null;
  /** Vault name, lower-cased. */
  vaultName: string | null;
  frontEndGb: number | null;
  storageGb: number | null;
  /** When the report row was generated (TimeGenerated), if stated: the latest row per item wins. */
  observedAt: string | null;
};

export type SizesDatasetSummary = {
  id: string;
  label: string | null;
  createdAt: string;
  createdBy: string;
  fileName: string;
  fileSha256: string;
  format: string;
  rowCount: number;
  contentHash: string;
  columns: Record<string, string>;
  warnings: string[];
};

export type SizesMatch = {
  datasetId: string;
  /** Rows matched to an item, by how. */
  matched: { byKey: number; bySource: number; byName: number };
  /** Rows that named several items (ambiguous) or none. */
  ambiguousRows: number[];
  unmatchedRows: number[];
  sizes: Map<string, { frontEndGb: number | null; storageGb: number | null }>;
};

export type SizesItem = { key: string; name: string; vaultName: string | null; sourceResourceKey: string | null };

function later(a: SizesRow, b: SizesRow): SizesRow {
  // The row observed later wins; without times, the later row in the file.
  if (a.observedAt && b.observedAt && a.observedAt !== b.observedAt) return a.observedAt > b.observedAt ? a : b;
  return a.row > b.row ? a : b;
}

/**
 * Matches rows to items: by item key; else by source resource when exactly
 * one item protects it; else by friendly name within the vault (or by name
 * alone) when exactly one item has it. Several rows for one item (a report
 * with a row per day): the latest wins.
 */
export function matchSizes(datasetId: string, rows: readonly SizesRow[], items: Iterable<SizesItem>): SizesMatch {
  const byKey = new Set<string>();
  const bySource = new Map<string, string[]>();
  const byVaultName = new Map<string, string[]>();
  const byName = new Map<string, string[]>();
  const push = (m: Map<string, string[]>, k: string, v: string): void => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  for (const it of items) {
    byKey.add(it.key);
    if (it.sourceResourceKey) push(bySource, it.sourceResourceKey, it.key);
    const n = it.name.toLowerCase();
    push(byName, n, it.key);
    if (it.vaultName) push(byVaultName, `${it.vaultName.toLowerCase()}|${n}`, it.key);
  }
  const chosen = new Map<string, SizesRow>();
  const matched = { byKey: 0, bySource: 0, byName: 0 };
  const ambiguousRows: number[] = [];
  const unmatchedRows: number[] = [];
  for (const r of rows) {
    let key: string | null = null;
    let how: keyof typeof matched | null = null;
    let ambiguous = false;
    const one = (l: string[] | undefined): string | null => {
      if (!l) return null;
      if (l.length > 1) {
        ambiguous = true;
        return null;
      }
      return l[0]!;
    };
    if (r.itemKey && byKey.has(r.itemKey)) [key, how] = [r.itemKey, 'byKey'];
    if (!key && r.sourceKey) {
      const k = one(bySource.get(r.sourceKey));
      if (k) [key, how] = [k, 'bySource'];
    }
    if (!key && r.name) {
      const k = r.vaultName ? one(byVaultName.get(`${r.vaultName}|${r.name}`)) : one(byName.get(r.name));
      if (k) [key, how] = [k, 'byName'];
    }
    if (!key || !how) {
      (ambiguous ? ambiguousRows : unmatchedRows).push(r.row);
      continue;
    }
    matched[how]++;
    const prev = chosen.get(key);
    chosen.set(key, prev ? later(prev, r) : r);
  }
  const sizes = new Map<string, { frontEndGb: number | null; storageGb: number | null }>();
  for (const [k, r] of chosen) sizes.set(k, { frontEndGb: r.frontEndGb, storageGb: r.storageGb });
  return { datasetId, matched, ambiguousRows, unmatchedRows, sizes };
}
