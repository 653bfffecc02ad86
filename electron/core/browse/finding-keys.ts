/**
 * Which items carry a finding of each rule, for the Items view's finding
 * filter. Findings depend on the snapshot (immutable), the annotations
 * (owners, exceptions) and the audit profile, so one evaluation is kept per
 * snapshot, annotation-log head and profile hash, and reused until one of
 * them changes (the tool and rules version is this process's own). The keys
 * go into a connection-private TEMP table, so a filtered page joins on an
 * index instead of parsing a list of thousands of keys on every call.
 *
 * The evaluation itself (findingsReport) is kept too, one per open store, for
 * the Findings view's summary and pages (findings-pages.ts): at 100k items it
 * holds ~200k findings, which the view asks for a page at a time. In the app
 * both run on the evaluation worker (evaluations.ts), which hands the engine
 * the counts, and one rule's keys when its filter is used (adoptRuleKeys).
 */
import type { Database as Db } from 'better-sqlite3';
import type { FindingCount } from '../../../shared/contract/methods/ui.ts';
import type { FindingsRun } from '../../../shared/contract/methods/analysis.ts';
import type { Finding } from '../../../shared/domain/findings.ts';
import { rules, type RuleId } from '../../../shared/domain/findings-rules.ts';
import { loadProfile } from '../analysis/assets.ts';
import { logHead } from '../annotations/repository.ts';
import { runFindings } from '../analysis/run.ts';
import type { Store } from '../store/store.ts';

/** `keys`: the rule's distinct item keys (each once). */
type RuleKeys = { tag: string; count: number; excepted: number; severity: string; keys: readonly string[] | null; inserted: boolean };
/** `keys` is null on the engine's side until that rule's filter is first used (its keys come from the evaluation worker). */
type Entry = { head: string; profileHash: string; byRule: Map<string, RuleKeys> };

const cache = new WeakMap<Db, Map<string, Entry>>();
/** How many evaluations and pricings this thread has worked out (not answered from what it keeps): tests read it. */
export const evaluated = { findings: 0, pricings: 0 };
/** The latest evaluation per open store (default profile): snapshot, log head and profile hash say whether it still holds. */
const reports = new WeakMap<Db, { snapshotId: string; head: string; profileHash: string; run: FindingsRun }>();

/**
 * The snapshot's findings under the default audit profile, judged now: kept
 * until the annotation log grows, the profile changes or another snapshot is
 * asked for (one at a time: a 100k evaluation is a few hundred MB of objects).
 */
export function findingsReport(store: Store, snapshotId: string): FindingsRun {
  const db = store.db;
  const head = logHead(db);
  const profile = loadProfile();
  const hit = reports.get(db);
  if (hit && hit.snapshotId === snapshotId && hit.head === head && hit.profileHash === profile.hash) return hit.run;
  reports.delete(db);
  evaluated.findings++;
  const run = runFindings(store, snapshotId, { profile });
  // Inside another transaction (an import still writing) the answer may not last: do not keep it.
  if (!db.inTransaction) reports.set(db, { snapshotId, head, profileHash: profile.hash, run });
  return run;
}


function perDbOf(db: Db): Map<string, Entry> {
  let perDb = cache.get(db);
  if (!perDb) {
    perDb = new Map();
    cache.set(db, perDb);
  }
  return perDb;
}

function keep(db: Db, snapshotId: string, entry: Entry): void {
  const perDb = perDbOf(db);
  if (hasTempTable(db)) db.prepare('DELETE FROM temp.ui_finding_keys WHERE tag LIKE ?').run(`${snapshotId}:%`);
  // Inside another transaction (an import still writing) the answer may not last: do not keep it.
  if (db.inTransaction) return;
  perDb.delete(snapshotId);
  perDb.set(snapshotId, entry);
  while (perDb.size > 4) {
    const oldest = perDb.keys().next().value!;
    perDb.delete(oldest);
    if (hasTempTable(db)) db.prepare('DELETE FROM temp.ui_finding_keys WHERE tag LIKE ?').run(`${oldest}:%`);
  }
}

/** The kept entry when it still holds (same log head, same default profile). */
function current(db: Db, snapshotId: string): Entry | null {
  const hit = perDbOf(db).get(snapshotId);
  return hit && hit.head === logHead(db) && hit.profileHash === loadProfile().hash ? hit : null;
}

function findingsByRule(store: Store, snapshotId: string): Entry['byRule'] {
  const db = store.db;
  const hit = current(db, snapshotId);
  if (hit && [...hit.byRule.values()].every((r) => r.keys !== null)) return hit.byRule;
  // The head before the evaluation: what is kept under it is never older than it.
  const head = logHead(db);
  const report = findingsReport(store, snapshotId);
  // Counted here; a rule's keys go into the TEMP table only when its filter is used (findingKeySet): 200k inserts
  // on the Finding filter's first open cost most of a second at 100k items.
  const byRule = itemKeysByRule(report.findings, `${snapshotId}:${head}:`);
  keep(db, snapshotId, { head, profileHash: report.profileHash, byRule });
  return byRule;
}

/**
 * Each rule's item findings: its distinct item keys, how many there are, how many findings are excepted (every
 * finding, as before), its severity; `tagPrefix` + rule tags its TEMP-table rows. The evaluation lists each
 * rule's findings together, in key order (shared/domain/findings/evaluate.ts), so a repeated key is the one just
 * before it and the keys are counted without hashing any (a Set of ~200k long keys took ~0.3 s at 100k items);
 * findings in any other order are counted through a Set, with the same answer.
 */
export function itemKeysByRule(findings: readonly Pick<Finding, 'rule' | 'key' | 'target' | 'severity' | 'excepted'>[], tagPrefix: string): Map<string, RuleKeys> {
  const fresh = (rule: string, severity: string): RuleKeys & { keys: string[] } => ({ tag: tagPrefix + rule, count: 0, excepted: 0, severity, keys: [], inserted: false });
  const byRule = new Map<string, RuleKeys & { keys: string[] }>();
  let r: (RuleKeys & { keys: string[] }) | undefined;
  let rule: string | null = null;
  let prev: string | null = null;
  let inOrder = true;
  for (const f of findings) {
    if (!f.target.startsWith('item:')) continue;
    if (f.rule !== rule) {
      // A rule seen before, after another one: not listed together.
      if (byRule.has(f.rule)) {
        inOrder = false;
        break;
      }
      r = fresh(f.rule, f.severity);
      byRule.set(f.rule, r);
      rule = f.rule;
      prev = null;
    }
    if (f.excepted) r!.excepted++;
    // One comparison for a new key (the common case): after the last one in key order.
    if (prev === null || prev < f.key) {
      r!.keys.push(f.key);
      prev = f.key;
    } else if (prev !== f.key) {
      inOrder = false;
      break;
    }
  }
  if (!inOrder) {
    const sets = new Map<string, { r: RuleKeys & { keys: string[] }; seen: Set<string> }>();
    for (const f of findings) {
      if (!f.target.startsWith('item:')) continue;
      let e = sets.get(f.rule);
      if (!e) sets.set(f.rule, (e = { r: fresh(f.rule, f.severity), seen: new Set() }));
      if (f.excepted) e.r.excepted++;
      if (!e.seen.has(f.key)) {
        e.seen.add(f.key);
        e.r.keys.push(f.key);
      }
    }
    byRule.clear();
    for (const [rule, e] of sets) byRule.set(rule, e.r);
  }
  for (const x of byRule.values()) x.count = x.keys.length;
  return byRule;
}

function hasTempTable(db: Db): boolean {
  return db.prepare("SELECT 1 FROM temp.sqlite_master WHERE name = 'ui_finding_keys'").get() !== undefined;
}

/** The TEMP-table tag holding the keys of the rule's items (written on first use), and how many there are. */
export function findingKeySet(store: Store, snapshotId: string, rule: string): { tag: string; count: number } {
  const hit = current(store.db, snapshotId);
  const kept = hit?.byRule.get(rule);
  // Kept counts name every rule with an item finding: one they do not name has none.
  const r = hit && !kept ? undefined : kept && kept.keys !== null ? kept : findingsByRule(store, snapshotId).get(rule);
  const db = store.db;
  // The query joins the table whether or not the rule has items: it must exist even when this tag holds none.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS ui_finding_keys (tag TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (tag, key)) WITHOUT ROWID');
  if (!r) return { tag: `${snapshotId}:none:${rule}`, count: 0 };
  if (!r.inserted) {
    const insert = db.prepare('INSERT OR IGNORE INTO temp.ui_finding_keys (tag, key) VALUES (?, ?)');
    db.transaction(() => {
      for (const k of r.keys!) insert.run(r.tag, k);
    })();
    // Inside another transaction these rows share its fate: write them again next time.
    if (!db.inTransaction) r.inserted = true;
  }
  return { tag: r.tag, count: r.count };
}

/** The counts per rule, and what they were judged against (so another connection can tell whether they hold for it). */
export type FindingCountsAt = { head: string; profileHash: string; counts: FindingCount[] };

function countsOf(byRule: Entry['byRule']): FindingCount[] {
  return [...byRule.entries()]
    .map(([rule, r]) => ({ rule, title: rules[rule as RuleId]?.title ?? rule, severity: r.severity, items: r.count, excepted: r.excepted }))
    .sort((a, b) => b.items - a.items || a.rule.localeCompare(b.rule));
}

export function findingCounts(store: Store, snapshotId: string): FindingCount[] {
  return countsOf(findingsByRule(store, snapshotId));
}

/** findingCounts with the log head and profile hash they hold for (the evaluation worker's answer). */
export function findingCountsAt(store: Store, snapshotId: string): FindingCountsAt {
  const byRule = findingsByRule(store, snapshotId);
  const e = perDbOf(store.db).get(snapshotId);
  return { head: e?.head ?? logHead(store.db), profileHash: e?.profileHash ?? loadProfile().hash, counts: countsOf(byRule) };
}

/** One rule's item keys, with what they were judged against (the evaluation worker's answer to a filter's first use). */
export function ruleKeysAt(store: Store, snapshotId: string, rule: string): { head: string; profileHash: string; keys: string[] } {
  const byRule = findingsByRule(store, snapshotId);
  const e = perDbOf(store.db).get(snapshotId);
  return { head: e?.head ?? logHead(store.db), profileHash: e?.profileHash ?? loadProfile().hash, keys: [...(byRule.get(rule)?.keys ?? [])] };
}

/** The kept counts, when they still hold for this connection (no evaluation). */
export function keptFindingCounts(store: Store, snapshotId: string): FindingCount[] | null {
  const hit = current(store.db, snapshotId);
  return hit ? countsOf(hit.byRule) : null;
}

/** Whether this connection already holds the rule's keys for the current log head and profile. */
export function hasRuleKeys(store: Store, snapshotId: string, rule: string): boolean {
  const hit = current(store.db, snapshotId);
  if (!hit) return false;
  const r = hit.byRule.get(rule);
  return r === undefined || r.keys !== null;
}

/**
 * Keeps counts worked out on another connection (the evaluation worker) when they were judged against this
 * connection's log head and profile; otherwise drops them (a newer annotation: the next call judges again).
 */
export function adoptFindingCounts(store: Store, snapshotId: string, at: FindingCountsAt): void {
  const db = store.db;
  if (at.head !== logHead(db) || at.profileHash !== loadProfile().hash) return;
  const prev = current(db, snapshotId);
  const byRule: Entry['byRule'] = new Map();
  for (const c of at.counts) {
    const old = prev?.byRule.get(c.rule);
    byRule.set(c.rule, old ?? { tag: `${snapshotId}:${at.head}:${c.rule}`, count: c.items, excepted: c.excepted, severity: c.severity, keys: null, inserted: false });
  }
  if (!prev) keep(db, snapshotId, { head: at.head, profileHash: at.profileHash, byRule });
}

/** Keeps one rule's keys worked out on another connection, under the same condition as adoptFindingCounts. */
export function adoptRuleKeys(store: Store, snapshotId: string, rule: string, at: { head: string; profileHash: string; keys: string[] }): void {
  const r = current(store.db, snapshotId)?.byRule.get(rule);
  if (!r || at.head !== logHead(store.db) || at.profileHash !== loadProfile().hash) return;
  // Each key once (ruleKeysAt's answer).
  r.keys = at.keys;
  r.count = at.keys.length;
}
