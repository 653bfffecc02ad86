/**
 * `pack --redact-principals` for the snapshot data files: the records as the
 * pack carries them, with every principal's object id, name and UPN replaced
 * by the pack's pseudonym (the same `principal-…` the report, workbook and
 * findings show, see ./access.ts).
 *
 * Rewritten at the level of JSON string tokens, never by parse and
 * re-serialise: everything else in a record (numbers past 2^53, spacing, key
 * order) stays byte for byte what the store holds, so a redacted record
 * differs from its source only where a principal was.
 *
 * Two rules, both recorded in the manifest (REDACTION_RULES):
 * - a string value under one of ID_FIELDS, in any record kind and at any
 *   depth, becomes a pseudonym (ARM's systemData.createdBy is a UPN, a role
 *   assignment's createdBy an object id: both identify a person);
 * - anywhere else, in every string value of every record, each known
 *   principal's object id, UPN, or user or group name is replaced where it
 *   occurs (tags such as owner=alice@contoso.com, a role assignment's
 *   description or ABAC condition). A service principal's name is replaced
 *   only in role-assignment records: a managed identity is named after its
 *   resource (a vault's identity is the vault's name), and replacing that
 *   name everywhere would redact the evidence itself.
 * Record keys (ARM ids) are never changed: the file's order and every
 * cross-reference rest on them.
 */
import type { Pseudonymiser } from './access.ts';

export const ID_FIELDS = ['principalId', 'principalName', 'createdBy', 'updatedBy', 'lastModifiedBy'] as const;

export const REDACTION_RULES = {
  pseudonym: 'principal- followed by the first 12 hex digits of HMAC-SHA256(key, lower-cased object id, or the value itself when no object id is known); the key was drawn at random for this pack and not kept',
  fields: `every string value under ${ID_FIELDS.join(', ')} (any record kind, any depth)`,
  text: 'every occurrence of a known principal object id, UPN, user or group name in any string value; service principal names in roleAssignment records only',
  keys: 'record keys (ARM ids) are not changed',
} as const;

const ID_FIELD_SET: ReadonlySet<string> = new Set(ID_FIELDS);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Shorter names would also match inside unrelated words. */
const MIN_NAME = 4;

export type PrincipalRef = { principalId: string; principalName: string | null; principalType: string | null; createdBy?: string | null; updatedBy?: string | null };

export type RecordRedactor = {
  /** The record's data (canonical JSON) and raw text, rewritten; null when nothing in it names a principal. */
  redact(type: string, data: string, raw: string): { data: string; raw: string } | null;
};

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function alternation(words: Iterable<string>): RegExp | null {
  const list = [...new Set([...words].map((w) => w.toLowerCase()))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return null;
  // Not inside a longer word or id: alice@contoso.com must not match malice@contoso.com.
  return new RegExp(`(?<![A-Za-z0-9_])(?:${list.map(escapeRe).join('|')})(?![A-Za-z0-9_])`, 'gi');
}

const STRING_TOKEN = /"((?:[^"\\]|\\.)*)"(\s*:)?/g;

/**
 * A redactor for the principals of the given role assignments (those of
 * every snapshot in the pack, so one person has one pseudonym in all of them).
 */
export function recordRedactor(principals: readonly PrincipalRef[], pseudo: Pseudonymiser): RecordRedactor {
  // Every spelling of a principal maps to its object id, so a UPN in systemData gets the same pseudonym as the assignment.
  const idOf = new Map<string, string>();
  const everywhere = new Set<string>();
  const inAssignments = new Set<string>();
  const addId = (v: string | null | undefined): void => {
    if (!v || !GUID.test(v)) return;
    idOf.set(v.toLowerCase(), v.toLowerCase());
    everywhere.add(v);
  };
  for (const p of principals) {
    addId(p.principalId);
    addId(p.createdBy);
    addId(p.updatedBy);
    const name = p.principalName?.trim();
    if (!name || name.length < MIN_NAME || !p.principalId) continue;
    idOf.set(name.toLowerCase(), p.principalId.toLowerCase());
    if (p.principalType === 'User' || p.principalType === 'Group' || p.principalType === 'ForeignGroup' || name.includes('@')) everywhere.add(name);
    else inAssignments.add(name);
  }
  const anywhere = alternation(everywhere);
  const assignmentOnly = alternation([...everywhere, ...inAssignments]);
  const alias = (v: string): string => pseudo(idOf.get(v.trim().toLowerCase()) ?? v.trim());

  const rewrite = (text: string, re: RegExp | null): string | null => {
    let changed = false;
    let pendingKey: string | null = null;
    let afterKey = -1;
    const out = text.replace(STRING_TOKEN, (whole, body: string, colon: string | undefined, at: number) => {
      if (colon !== undefined) {
        pendingKey = body;
        afterKey = at + whole.length;
        return whole;
      }
      // The value belongs to the key just before it only when nothing but spacing separates them (not an array element).
      const field = pendingKey !== null && text.slice(afterKey, at).trim() === '' ? pendingKey : null;
      pendingKey = null;
      let value: string;
      try {
        value = JSON.parse(`"${body}"`) as string;
      } catch {
        return whole;
      }
      let next = value;
      if (field !== null && ID_FIELD_SET.has(field) && value.trim() !== '') next = alias(value);
      else if (re) next = value.replace(re, (m) => alias(m));
      if (next === value) return whole;
      changed = true;
      return JSON.stringify(next);
    });
    return changed ? out : null;
  };

  const cheap = (text: string, re: RegExp | null): boolean => {
    for (const f of ID_FIELDS) if (text.includes(`"${f}"`)) return true;
    if (!re) return false;
    re.lastIndex = 0;
    return re.test(text);
  };

  return {
    redact(type, data, raw) {
      const re = type === 'roleAssignment' ? assignmentOnly : anywhere;
      // Most records name no principal: one scan of each text decides, and only those are tokenised.
      if (!cheap(data, re) && !cheap(raw, re)) return null;
      const d = rewrite(data, re);
      const r = rewrite(raw, re);
      if (d === null && r === null) return null;
      return { data: d ?? data, raw: r ?? raw };
    },
  };
}
