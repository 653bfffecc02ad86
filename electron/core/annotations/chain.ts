import type { AnnotationLogEntry, LogProblem, LogVerifyResult } from '../../../shared/contract/methods/annotations.ts';
import { triggerProblems } from '../integrity/triggers.ts';
import { canonicalJson } from '../store/canonical.ts';
import type { Store } from '../store/store.ts';
import { isAnnotationTarget } from './fields.ts';
import { entryHash, GENESIS_HASH } from './hash.ts';
import { recordedHeads, rowToEntry, type LogRow } from './repository.ts';

/** Checks one exported or stored sequence of entries; returns the first break or null. */
export function checkChain(entries: Iterable<AnnotationLogEntry>): { count: number; head: string; firstBad: LogProblem | null } {
  let expected = 1;
  let prev = GENESIS_HASH;
  for (const e of entries) {
    const bad = checkEntry(e, expected, prev);
    if (bad) return { count: expected - 1, head: prev, firstBad: bad };
    prev = e.hash;
    expected++;
  }
  return { count: expected - 1, head: prev, firstBad: null };
}

function checkEntry(e: AnnotationLogEntry, expected: number, prev: string): LogProblem | null {
  if (e.seq !== expected) {
    if (e.seq > expected) {
      const range = e.seq - expected === 1 ? `entry ${expected} is` : `entries ${expected}..${e.seq - 1} are`;
      return { seq: expected, reason: `${range} missing from the log (deleted); the chain continues at entry ${e.seq}` };
    }
    return { seq: e.seq, reason: `entry ${e.seq} is out of order (expected entry ${expected})` };
  }
  const { hash, ...rest } = e;
  if (entryHash(rest) !== hash) return { seq: e.seq, reason: `entry ${e.seq} was altered: its content no longer matches its hash` };
  if (e.prevHash !== prev) {
    return { seq: e.seq, reason: `entry ${e.seq} does not link to entry ${e.seq - 1} (previous-hash mismatch): an entry before it was altered, removed or inserted` };
  }
  return null;
}


/**
 * Walks the hash chain and names the first broken entry: an UPDATE (content
 * no longer matches its hash, or the next entry no longer links), a DELETE in
 * the middle (a gap in seq), or a deleted tail (a head recorded by an evidence
 * pack that the chain no longer reaches). Also checks the current values are
 * what replaying the log gives.
 */
export function verifyAnnotationLog(store: Store): LogVerifyResult {
  const warnings: string[] = [];
  const problems: LogProblem[] = [];
  // Entry 0 stands for the store itself: without its triggers the log can be rewritten whole and still chain.
  const triggers = triggerProblems(store, (name) => name.startsWith('annotation_log')).map((reason) => ({ seq: 0, reason }));

  const replay = new Map<string, { value: string; seq: number }>();
  const hashes: string[] = [GENESIS_HASH];
  let firstBad: LogProblem | null = null;
  let expected = 1;
  let prev = GENESIS_HASH;
  for (const row of store.db.prepare('SELECT * FROM annotation_log ORDER BY seq').iterate() as Iterable<LogRow>) {
    let entry: AnnotationLogEntry;
    try {
      entry = rowToEntry(row);
    } catch {
      firstBad = { seq: row.seq, reason: `entry ${row.seq} was altered: its values are no longer valid JSON` };
      break;
    }
    firstBad = checkEntry(entry, expected, prev);
    if (firstBad) break;
    if (entry.applied) {
      const k = `${entry.target}\u0000${entry.field}`;
      if (entry.newValue === null) replay.delete(k);
      else replay.set(k, { value: JSON.stringify(entry.newValue), seq: entry.seq });
    }
    hashes.push(entry.hash);
    prev = entry.hash;
    expected++;
  }
  const count = expected - 1;

  const heads = recordedHeads(store);
  if (!firstBad) {
    for (const h of heads) {
      if (h.count > count) {
        firstBad = {
          seq: count + 1,
          reason: `the log ends at entry ${count}, but evidence pack ${h.packId} recorded it with ${h.count} entries (head ${h.hash}) on ${h.recordedAt}: entries ${count + 1}..${h.count} were deleted`,
        };
        break;
      }
      if (hashes[h.count] !== h.hash) {
        firstBad = { seq: h.count, reason: `entry ${h.count} differs from the head recorded by evidence pack ${h.packId} on ${h.recordedAt}` };
        break;
      }
    }
  }

  if (!firstBad) {
    // The current values must be exactly what the log replays to.
    const table = store.db.prepare('SELECT target, field, value, seq FROM annotation_values').all() as Array<{ target: string; field: string; value: string; seq: number }>;
    for (const r of table) {
      const k = `${r.target}\u0000${r.field}`;
      const want = replay.get(k);
      if (!want) {
        problems.push({ seq: r.seq, reason: `current value of ${r.field} on ${r.target} has no entry in the log (written outside the log)` });
      } else {
        replay.delete(k);
        if (want.seq !== r.seq || !sameJson(want.value, r.value)) {
          problems.push({ seq: want.seq, reason: `current value of ${r.field} on ${r.target} does not match log entry ${want.seq} (changed outside the log)` });
        }
      }
    }
    for (const [k, v] of replay) {
      const [target, field] = k.split('\u0000') as [string, string];
      if (isAnnotationTarget(target)) problems.push({ seq: v.seq, reason: `current value of ${field} on ${target} set by log entry ${v.seq} is missing (deleted outside the log)` });
    }
  }
  problems.push(...triggers);
  problems.sort((a, b) => a.seq - b.seq);

  const result: LogVerifyResult = {
    ok: !firstBad && problems.length === 0,
    count,
    head: hashes[count] ?? prev,
    headsChecked: heads.length,
    problems,
    warnings,
  };
  const bad = firstBad ?? problems[0];
  if (bad) result.firstBad = bad;
  return result;
}

function sameJson(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b));
  } catch {
    return false;
  }
}

/** For `vaultproof store verify` (electron/core/integrity/store-integrity.ts): the log's problems, one line each; empty when it verifies. */
export function annotationLogStoreCheck(store: Store): string[] {
  const v = verifyAnnotationLog(store);
  const lines: string[] = [];
  const line = (p: LogProblem): string => (p.seq === 0 ? `annotation log: ${p.reason}` : `annotation log: entry ${p.seq}: ${p.reason}`);
  if (v.firstBad && !v.problems.includes(v.firstBad)) lines.push(line(v.firstBad));
  // store verify checks every trigger itself (integrity/triggers.ts); the log's are not listed twice.
  for (const p of v.problems) if (p.seq !== 0) lines.push(line(p));
  return lines;
}
