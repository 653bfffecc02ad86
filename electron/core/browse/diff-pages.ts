/**
 * The Compare view at any size (issue 17): its head (counts per change kind)
 * and its lists a page at a time, the roll-ups when their tab is opened.
 * diff.run sent the page the whole report of two snapshots (every added,
 * removed and changed row with its fields, their labels, the vault names,
 * access and alert routing) and the view counted and cut it there.
 *
 * Every figure comes from the diff the CLI's `diff` prints (diff.run:
 * analysis/run.ts diffOf over analysis/diff-sql.ts, the annotations' owners
 * for the roll-ups), worked out once per pair and annotation-log head and
 * kept: a page is a slice of its lists, which that diff sorts by key, so the
 * order is stable and each row is on exactly one page. The pages are not cut
 * in SQL: whether an item changed is decided by compareItems in JS over the
 * rows diff-sql.ts's SQL hands it (a superset), so a page in SQL would walk
 * both snapshots anyway, and its counts would be a second definition.
 *
 * Labels are those of diff.run (analysis/labels.ts labelsFor over the current
 * snapshot, then the baseline) for a page's rows only; the repeated-name
 * walk each snapshot needs is done once and kept with the diff.
 */
import type { Database as Db, Statement } from 'better-sqlite3';
import type { DiffPage, DiffPageKind, DiffPageRow, DiffRollupsAnswer, DiffSummary } from '../../../shared/contract/methods/diff.ts';
import type { DiffReport } from '../../../shared/contract/methods/analysis.ts';
import { repeatedNameLabels } from '../analysis/labels.ts';
import { annotationsFor, diffOf } from '../analysis/run.ts';
import { vaultLabelsFor } from '../analysis/vault-labels.ts';
import type { Store } from '../store/store.ts';
import { logHead } from '../annotations/repository.ts';

type Kept = {
  key: string;
  report: DiffReport;
  summary?: DiffSummary;
  lists: Map<DiffPageKind, ReadonlyArray<Omit<DiffPageRow, 'label'>>>;
  repeated: Map<string, Map<string, string>>;
  vaultLabels?: Record<string, string>;
};

const kept = new WeakMap<Db, Kept[]>();

/** How many diffs were worked out rather than answered from what was kept (tests read it). */
export const diffsWorkedOut = { count: 0 };

/** The diff of the pair, kept per open store and keyed by the snapshots' ids and the annotation-log head (owners group the roll-ups). */
function keptDiff(store: Store, baselineRef: string, currentRef: string): Kept {
  const db = store.db;
  const a = store.snapshots.resolve(baselineRef);
  const b = store.snapshots.resolve(currentRef);
  // The head is read before the annotations the diff reads: what is kept is never older than its key.
  const key = JSON.stringify([a.id, b.id, logHead(db)]);
  let list = kept.get(db);
  const hit = list?.find((k) => k.key === key);
  if (hit) return hit;
  diffsWorkedOut.count++;
  const entry: Kept = { key, report: diffOf(store, a, b, annotationsFor(store)), lists: new Map(), repeated: new Map() };
  // Inside another transaction (an import still writing) the answer may not last: do not keep it.
  if (!db.inTransaction) {
    if (!list) kept.set(db, (list = []));
    list.push(entry);
    // Two pairs at a time (a swap of baseline and current is another pair): each holds its changed rows.
    while (list.length > 2) list.shift();
  }
  return entry;
}

export function diffSummary(store: Store, baselineRef: string, currentRef: string): DiffSummary {
  const k = keptDiff(store, baselineRef, currentRef);
  if (k.summary) return k.summary;
  const d = k.report;
  const by = { gone: 0, softDeleted: 0, notCollected: 0 };
  for (const r of d.removed) by[r.reason]++;
  k.summary = {
    baseline: d.baseline,
    current: d.current,
    counts: { added: d.added.length, removed: by.gone + by.softDeleted, gone: by.gone, softDeleted: by.softDeleted, notCollected: by.notCollected, changed: d.changed.length, unchanged: d.unchanged },
    notCompared: d.notCompared,
  };
  return k.summary;
}

function listOf(k: Kept, kind: DiffPageKind): ReadonlyArray<Omit<DiffPageRow, 'label'>> {
  let rows = k.lists.get(kind);
  if (rows) return rows;
  const d = k.report;
  if (kind === 'changed') rows = d.changed;
  else if (kind === 'added') rows = d.added.map((key) => ({ key }));
  else if (kind === 'removed') rows = d.removed.filter((r) => r.reason !== 'notCollected');
  else rows = d.removed.filter((r) => r.reason === 'notCollected');
  k.lists.set(kind, rows);
  return rows;
}

/** labelsFor's labels (the current snapshot first, then the baseline) for a page's keys, the repeated-name walks kept. */
function pageLabels(store: Store, k: Kept, keys: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  const wanted = new Set(keys);
  let nameStmt: Statement | null = null;
  for (const id of [k.report.current.id, k.report.baseline.id]) {
    if (wanted.size === 0) break;
    let repeated = k.repeated.get(id);
    if (!repeated) k.repeated.set(id, (repeated = repeatedNameLabels(store.db, id)));
    nameStmt ??= store.db.prepare(`SELECT name FROM items WHERE snapshot_id = ? AND key = ?`).pluck(true);
    for (const key of [...wanted]) {
      const name = nameStmt.get(id, key) as string | undefined;
      if (name === undefined) continue;
      found.set(key, repeated.get(key) ?? name);
      wanted.delete(key);
    }
  }
  return found;
}

export function diffPage(store: Store, baselineRef: string, currentRef: string, kind: DiffPageKind, offset: number, limit: number): DiffPage {
  const k = keptDiff(store, baselineRef, currentRef);
  const list = listOf(k, kind);
  const slice = list.slice(offset, offset + limit);
  const labels = slice.length > 0 ? pageLabels(store, k, slice.map((r) => r.key)) : new Map<string, string>();
  return { kind, rows: slice.map((r) => ({ ...r, label: labels.get(r.key) ?? null })), offset, total: list.length };
}

export function diffRollups(store: Store, baselineRef: string, currentRef: string): DiffRollupsAnswer {
  const k = keptDiff(store, baselineRef, currentRef);
  k.vaultLabels ??= vaultLabelsFor(store.db, [k.report.current.id, k.report.baseline.id]);
  return { rollups: k.report.rollups, vaultLabels: k.vaultLabels };
}
