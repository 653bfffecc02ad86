import { isObj, parseTime } from '../../../shared/domain/normalise/fields.ts';

/**
 * Deeper than any Azure payload (a Backup policy is about 10 levels); the
 * canonical JSON and the raw copy are written recursively, so a deeper
 * document would overflow the stack instead of being refused.
 */
export const MAX_DEPTH = 100;

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;

/** Written like an ISO-8601 timestamp but naming a time that does not exist (2026-02-30T…, 24:00, month 13). */
function impossibleTimestamp(s: string): boolean {
  if (s.length < 16 || s.length > 40 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  return ISO_TIMESTAMP.test(s) && parseTime(s) === null;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : `a ${typeof v} (${JSON.stringify(v).slice(0, 40)})`;
}

/** Half of a UTF-16 surrogate pair without its other half: JSON's \ud800 escape allows it, but it is not text. */
const UNPAIRED = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unpaired(s: string): boolean {
  return UNPAIRED.test(s);
}

type Found = { kind: 'depth' | 'number' | 'time' | 'surrogate' | 'surrogate-key'; value: unknown };

/** A leaf value's problem, or null. */
function leafProblem(c: unknown): Found | null {
  if (typeof c === 'number') return Number.isFinite(c) ? null : { kind: 'number', value: c };
  if (typeof c !== 'string') return null;
  if (unpaired(c)) return { kind: 'surrogate', value: c };
  return impossibleTimestamp(c) ? { kind: 'time', value: c } : null;
}

/** One pass without paths (the common case: nothing wrong); iterative, so it cannot overflow itself. */
function firstProblem(root: unknown): Found | null {
  const values: unknown[] = [root];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop();
    const d = depths.pop()!;
    if (d > MAX_DEPTH) return { kind: 'depth', value: v };
    if (Array.isArray(v)) {
      for (const c of v) {
        if (typeof c === 'object' && c !== null) {
          values.push(c);
          depths.push(d + 1);
        } else {
          const p = leafProblem(c);
          if (p) return p;
        }
      }
    } else {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        if (unpaired(k)) return { kind: 'surrogate-key', value: k };
        const c = o[k];
        if (typeof c === 'object' && c !== null) {
          values.push(c);
          depths.push(d + 1);
        } else {
          const p = leafProblem(c);
          if (p) return p;
        }
      }
    }
  }
  return null;
}

/** The path of the first node `test` accepts, in the same order firstProblem visits them. */
function pathTo(root: unknown, test: (v: unknown, depth: number) => boolean): string {
  const stack: Array<[unknown, number, string]> = [[root, 1, '']];
  while (stack.length > 0) {
    const [v, d, p] = stack.pop()!;
    if (test(v, d)) return p;
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) v.forEach((c, i) => stack.push([c, d + 1, `${p}[${i}]`]));
    else for (const k in v as Record<string, unknown>) stack.push([(v as Record<string, unknown>)[k], d + 1, p ? `${p}.${k}` : k]);
  }
  return '(top level)';
}

/** ` in <path>` of the object holding key `k` (empty at the top level). */
function keyParent(root: unknown, k: string): string {
  const p = pathTo(root, (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, k));
  return p ? ` in ${p}` : '';
}

/**
 * What is wrong with one parsed resource before it is normalised and stored,
 * or null. A broken or hostile export must end in a BAD_INPUT that names the
 * place — never a stack overflow, a number silently stored as null, or a time
 * rolled over to another day:
 * - `id` that is not a string, `properties` that is not an object;
 * - nesting deeper than MAX_DEPTH;
 * - numbers JSON.parse turned into ±Infinity (1e400: JSON would write them back as null);
 * - timestamps whose calendar fields do not exist;
 * - strings or keys holding an unpaired surrogate (`\ud800`): stored, they
 *   would read back as U+FFFD and the snapshot would never verify again.
 */
export function shapeProblem(value: unknown): string | null {
  if (isObj(value)) {
    if ('id' in value && value.id !== null && typeof value.id !== 'string') return `"id" is ${describe(value.id)}, expected a resource id (a string)`;
    if ('properties' in value && value.properties !== null && !isObj(value.properties)) return `"properties" is ${describe(value.properties)}, expected an object`;
  }
  const found = firstProblem(value);
  if (!found) return null;
  if (found.kind === 'depth') {
    const p = pathTo(value, (_v, d) => d > MAX_DEPTH);
    return `nested more than ${MAX_DEPTH} levels deep (at ${p.length > 80 ? `${p.slice(0, 80)}…` : p}); not an Azure export`;
  }
  if (found.kind === 'surrogate' || found.kind === 'surrogate-key') {
    const s = found.value as string;
    const at = s.search(UNPAIRED);
    const escape = `\\u${s.charCodeAt(at).toString(16).padStart(4, '0')}`;
    const where = found.kind === 'surrogate' ? pathTo(value, (v) => v === s) : `a key${keyParent(value, s)}`;
    return `${where}: ${escape} is half of a UTF-16 surrogate pair without its other half, which is not text (it cannot be stored and read back the same); fix or re-export the file`;
  }
  const p = pathTo(value, (v) => v === found.value);
  if (found.kind === 'number') return `${p}: the number is too large to keep (beyond ±1.8e308; JSON.parse reads it as ${String(found.value)})`;
  return `${p}: "${String(found.value)}" is not a real date and time`;
}
