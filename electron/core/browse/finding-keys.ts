/**
 * Which items carry a finding of each rule, for the Items view's finding
 * filter. Findings depend on the snapshot (immutable) and the annotations
 * (owners, exceptions), so one evaluation is kept per snapshot and
 * annotation-log length, and reused until either changes. The keys go into a
 * connection-private TEMP table, so a filtered page joins on an index
 * instead of parsing a list of thousands of keys on every call.
 *
 * The evaluation itself (findingsReport) is kept too, one per open store, for
 * the Findings view's summary and pages (findings-pages.ts): at 100k items it
 * holds ~200k findings, which the view asks for a page at a time.
 */
import type { Database as Db } from 'better-sqlite3';
import type { FindingCount } from '../../../shared/contract/methods/ui.ts';
import type { FindingsRun } from '../../../shared/contract/methods/analysis.ts';
import { rules, type RuleId } from '../../../shared/domain/findings-rules.ts';
import { loadProfile } from '../analysis/assets.ts';
import { runFindings } from '../analysis/run.ts';
import type { Store } from '../store/store.ts';
import { hasTable } from './facets.ts';

type RuleKeys = { tag: string; count: number; excepted: number; severity: string; keys: Set<string>; inserted: boolean };
type Entry = { logSeq: number; run: FindingsRun; byRule: Map<string, RuleKeys> };

const cache = new WeakMap<Db, Map<string, Entry>>();
/** The latest evaluation per open store (default profile): snapshot, log length and profile hash say whether it still holds. */
const reports = new WeakMap<Db, { snapshotId: string; logSeq: number; profileHash: string; run: FindingsRun }>();

/**
 * The snapshot's findings under the default audit profile, judged now: kept
 * until the annotation log grows, the profile changes or another snapshot is
 * asked for (one at a time: a 100k evaluation is a few hundred MB of objects).
 */
export function findingsReport(store: Store, snapshotId: string): FindingsRun {
  const db = store.db;
  const seq = logSeq(db);
  const profile = loadProfile();
  const hit = reports.get(db);
  if (hit && hit.snapshotId === snapshotId && hit.logSeq === seq && hit.profileHash === profile.hash) return hit.run;
  reports.delete(db);
  const run = runFindings(store, snapshotId, { profile });
  // Inside another transaction (an import still writing) the answer may not last: do not keep it.
  if (!db.inTransaction) reports.set(db, { snapshotId, logSeq: seq, profileHash: profile.hash, run });
  return run;
}

function logSeq(db: Db): number {
  if (!hasTable(db, 'annotation_log')) return 0;
  return (db.prepare('SELECT COALESCE(MAX(seq), 0) FROM annotation_log').pluck(true).get() as number) ?? 0;
}

function findingsByRule(store: Store, snapshotId: string): Entry['byRule'] {
  const db = store.db;
  let perDb = cache.get(db);
  if (!perDb) {
    perDb = new Map();
    cache.set(db, perDb);
  }
  const report = findingsReport(store, snapshotId);
  const seq = logSeq(db);
  const hit = perDb.get(snapshotId);
  if (hit && hit.logSeq === seq && hit.run === report) return hit.byRule;
  // Counted here; a rule's keys go into the TEMP table only when its filter is used (findingKeySet): 200k inserts
  // on the Finding filter's first open cost most of a second at 100k items.
  const byRule: Entry['byRule'] = new Map();
  for (const f of report.findings) {
    if (!f.target.startsWith('item:')) continue;
    let r = byRule.get(f.rule);
    if (!r) {
      r = { tag: `${snapshotId}:${seq}:${f.rule}`, count: 0, excepted: 0, severity: f.severity, keys: new Set(), inserted: false };
      byRule.set(f.rule, r);
    }
    r.keys.add(f.key);
    if (f.excepted) r.excepted++;
  }
  for (const r of byRule.values()) r.count = r.keys.size;
  if (hasTempTable(db)) db.prepare('DELETE FROM temp.ui_finding_keys WHERE tag LIKE ?').run(`${snapshotId}:%`);
  // Inside another transaction (an import still writing) the answer may not last: do not keep it.
  if (!db.inTransaction) perDb.set(snapshotId, { logSeq: seq, run: report, byRule });
  while (perDb.size > 4) {
    const oldest = perDb.keys().next().value!;
    perDb.delete(oldest);
    if (hasTempTable(db)) db.prepare('DELETE FROM temp.ui_finding_keys WHERE tag LIKE ?').run(`${oldest}:%`);
  }
  return byRule;
}

function hasTempTable(db: Db): boolean {
  return db.prepare("SELECT 1 FROM temp.sqlite_master WHERE name = 'ui_finding_keys'").get() !== undefined;
}

/** The TEMP-table tag holding the keys of the rule's items (written on first use), and how many there are. */
export function findingKeySet(store: Store, snapshotId: string, rule: string): { tag: string; count: number } {
  const r = findingsByRule(store, snapshotId).get(rule);
  if (!r) return { tag: `${snapshotId}:none:${rule}`, count: 0 };
  if (!r.inserted) {
    const db = store.db;
    db.exec('CREATE TEMP TABLE IF NOT EXISTS ui_finding_keys (tag TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (tag, key)) WITHOUT ROWID');
    const insert = db.prepare('INSERT OR IGNORE INTO temp.ui_finding_keys (tag, key) VALUES (?, ?)');
    db.transaction(() => {
      for (const k of r.keys) insert.run(r.tag, k);
    })();
    // Inside another transaction these rows share its fate: write them again next time.
    if (!db.inTransaction) r.inserted = true;
  }
  return { tag: r.tag, count: r.count };
}

export function findingCounts(store: Store, snapshotId: string): FindingCount[] {
  return [...findingsByRule(store, snapshotId).entries()]
    .map(([rule, r]) => ({ rule, title: rules[rule as RuleId]?.title ?? rule, severity: r.severity, items: r.count, excepted: r.excepted }))
    .sort((a, b) => b.items - a.items || a.rule.localeCompare(b.rule));
}
