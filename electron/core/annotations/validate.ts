import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { endOfDayUtc, itemTarget, resourceTarget } from '../../../shared/domain/annotations.ts';
import { canonicalArmId, itemKeyFromId } from '../../../shared/domain/keys.ts';
import { ruleIds } from '../../../shared/domain/findings-rules.ts';
import { parseAuditProfile } from '../../../shared/domain/profile.ts';
import { badInput, badOption, UserError } from '../errors.ts';
import type { Store } from '../store/store.ts';

export type ParsedTarget = { target: string; kind: 'item' | 'resource'; key: string };

const TARGET_HELP = 'give an item key (the lower-case ARM id of the backup item, as a snapshot lists it), item:<key> or resource:<armId>';

/** Parses `item:<key>`, `resource:<armId>` or a bare item key, without checking that it exists. */
export function parseTarget(input: string): ParsedTarget {
  const s = input.trim();
  let kind: 'item' | 'resource';
  let rest: string;
  if (/^item:/i.test(s)) {
    kind = 'item';
    rest = s.slice(5);
  } else if (/^resource:/i.test(s)) {
    kind = 'resource';
    rest = s.slice(9);
  } else {
    kind = 'item';
    rest = s;
  }
  rest = rest.trim();
  if (!/^(https?:\/\/[^/]+)?\/?subscriptions\//i.test(rest)) {
    throw badInput(`target "${input}" is not an ARM id; ${TARGET_HELP}`);
  }
  if (kind === 'item') {
    const key = itemKeyFromId(rest);
    return { target: itemTarget(key), kind, key };
  }
  const key = canonicalArmId(rest);
  return { target: resourceTarget(key), kind, key };
}

/**
 * Parses a target and refuses an item key that no snapshot in the store holds,
 * unless `force` (the item may appear in a later snapshot) or the target
 * already carries annotations.
 */
export function resolveTarget(store: Store, input: string, force: boolean): ParsedTarget {
  const t = parseTarget(input);
  if (t.kind === 'item' && !force && !store.snapshots.itemKeyExists(t.key)) {
    const annotated = store.db.prepare('SELECT 1 FROM annotation_values WHERE target = ? LIMIT 1').get(t.target) !== undefined;
    if (!annotated) {
      // The option named is the way out (annotate anyway), so the CLI shows --force in front.
      throw new UserError('NOT_FOUND', `item ${t.key} is in no snapshot of this store; check the key, or choose to annotate it anyway (it may appear in a later snapshot)`, { details: { option: 'force' } });
    }
  }
  return t;
}

/** Validates a calendar day YYYY-MM-DD (a real date); `option` names the input it came from, for the error. */
export function parseDay(value: string, what: string, option?: string): string {
  const bad = (message: string): Error => (option ? badOption(option, message) : badInput(message));
  const s = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw bad(`${what} "${value}" is not a date in the form YYYY-MM-DD`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== s) throw bad(`${what} "${value}" is not a real calendar date`);
  return s;
}

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Rule ids an exception may name: the findings catalogue (shared/domain/findings-rules.ts). */
export function knownRuleIds(): readonly string[] {
  return ruleIds;
}

export function checkRule(rule: string, rules: readonly string[] = knownRuleIds()): string {
  const r = rule.trim();
  if (r === 'all') return r;
  if (!rules.includes(r)) {
    throw badInput(`exception rule "${rule}" is not a known findings rule; use "all" or one of: ${rules.join(', ')}`);
  }
  return r;
}

const DEFAULT_MAX_EXCEPTION_DAYS = 365;

/** `maxExceptionDays` of the default audit profile (assets/profiles/default.json), or 365 when it cannot be read. */
export function defaultMaxExceptionDays(): number {
  try {
    const file = fileURLToPath(new URL('../../../assets/profiles/default.json', import.meta.url));
    const parsed = parseAuditProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown);
    return parsed.ok ? parsed.profile.maxExceptionDays : DEFAULT_MAX_EXCEPTION_DAYS;
  } catch {
    return DEFAULT_MAX_EXCEPTION_DAYS;
  }
}

/**
 * An exception's expiry: a real day, not in the past (the day itself counts
 * until 23:59:59.999 UTC), and no more than `maxDays` days after today (UTC).
 */
export function checkExpiry(expires: string, now: Date, maxDays: number): string {
  const day = parseDay(expires, 'exception expiry', 'expires');
  const today = utcDay(now);
  if (endOfDayUtc(day) < now.getTime()) {
    throw badInput(`exception expiry ${day} is in the past (today is ${today} UTC); an exception must expire today or later`);
  }
  const latest = addDays(today, maxDays);
  if (day > latest) {
    throw badInput(`exception expiry ${day} is more than ${maxDays} days ahead; the audit profile allows exceptions up to ${latest} (maxExceptionDays ${maxDays})`);
  }
  return day;
}

/** The trimmed text, or an error that is `need` in words (e.g. "an exception needs an approver") about `option`. */
export function requireText(value: string | undefined | null, need: string, option: string): string {
  const s = (value ?? '').trim();
  if (!s) throw badOption(option, need);
  return s;
}

export function checkGb(value: number, what: string): number {
  if (!Number.isFinite(value) || value < 0) throw badInput(`${what} must be a number of GB, 0 or more (got ${value})`);
  return value;
}

export function checkEmail(value: string): string {
  const s = value.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) throw badInput(`"${value}" is not an email address`);
  return s;
}
