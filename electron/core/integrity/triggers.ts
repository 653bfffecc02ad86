import type { Store } from '../store/store.ts';
import { migrations } from '../store/migrations/index.ts';

/**
 * The immutability triggers (snapshots, items, the annotation log and its
 * recorded heads, sizes, billing) are what make "append-only" true inside the
 * store. Someone with the file can drop them, rewrite rows and recreate them,
 * or recreate them as no-ops; so each must be present with exactly the text
 * its migration created. A missing or changed trigger fails `store verify` and
 * `log verify` (exit 3): it is evidence the store was altered outside Vaultproof.
 */

function normalise(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().replace(/;$/, '').trim();
}

let expected: Map<string, string> | null = null;

/** Trigger name → its CREATE TRIGGER text, as the migrations leave them (a later DROP or CREATE wins). */
export function expectedTriggers(): Map<string, string> {
  if (expected) return expected;
  const out = new Map<string, string>();
  for (const m of migrations) {
    for (const s of m.sql.matchAll(/\bCREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)[\s\S]*?\bEND\s*;|\bDROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(\w+)/gi)) {
      if (s[1]) out.set(s[1], normalise(s[0]));
      else if (s[2]) out.delete(s[2]);
    }
  }
  expected = out;
  return out;
}

/** One line per missing or altered trigger; `only` narrows to some (the log's, for `log verify`). */
export function triggerProblems(store: Store, only: (name: string) => boolean = () => true): string[] {
  const present = new Map(
    (store.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as Array<{ name: string; sql: string | null }>).map((r) => [r.name, r.sql ?? '']),
  );
  const problems: string[] = [];
  for (const [name, sql] of expectedTriggers()) {
    if (!only(name)) continue;
    const actual = present.get(name);
    if (actual === undefined) problems.push(`trigger ${name} is missing: the store was altered outside Vaultproof, and the rows it guards could have been rewritten`);
    else if (normalise(actual) !== sql) problems.push(`trigger ${name} differs from the one Vaultproof created: the store was altered outside Vaultproof`);
  }
  return problems;
}

/** For `store verify`: every immutability trigger. */
export function triggerStoreCheck(store: Store): string[] {
  return triggerProblems(store);
}
