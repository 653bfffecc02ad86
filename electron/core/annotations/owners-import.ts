import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { itemTarget, resourceTarget } from '../../../shared/domain/annotations.ts';
import { canonicalArmId, itemKeyFromId, parseArmId } from '../../../shared/domain/keys.ts';
import { ownerFields, type OwnerField } from '../../../shared/contract/methods/annotations.ts';
import { badOption, UserError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import type { OwnersImportReport, OwnersImportRow } from './types.ts';
import { appendEntries, currentSlot, type EntryDraft } from './repository.ts';
import { sameValue, type Author } from './service.ts';
import { checkEmail } from './validate.ts';
import { csvProblem } from '../import/csv.ts';
import { decodeText } from '../import/text.ts';

/** The longest owner / team / cost centre value, as for `annotate` (the contract's text limit). */
const MAX_VALUE_CHARS = 10000;

export type MatchBy = { kind: 'resourceId' } | { kind: 'name' } | { kind: 'resourceGroup' } | { kind: 'tag'; name: string };

export function parseMatchBy(by: string): MatchBy {
  const s = by.trim();
  if (s === 'resourceId' || s === 'name' || s === 'resourceGroup') return { kind: s };
  const m = /^tag:(.+)$/.exec(s);
  if (m && m[1]!.trim()) return { kind: 'tag', name: m[1]!.trim() };
  throw badOption('match', `rows are matched by resourceId|name|resourceGroup|tag:NAME, not "${by}"`);
}

/** A workload: a resource with its backup items (or a backup item whose source is unknown). */
type Workload = { id: string; resourceKey: string | null; names: Set<string>; resourceGroup: string | null; tags: Map<string, string>; itemKeys: string[] };

function lastSegment(id: string): string | null {
  const parts = id.split('/').filter(Boolean);
  return parts.length ? parts[parts.length - 1]! : null;
}

/** Workloads of one snapshot: its inventory records joined with its items by source resource. */
function workloadsOf(store: Store, snapshotId: string): Workload[] {
  const byResource = new Map<string, Workload>();
  const all: Workload[] = [];
  const addTags = (w: Workload, tags: Record<string, string> | null | undefined): void => {
    for (const [k, v] of Object.entries(tags ?? {})) if (!w.tags.has(k.toLowerCase())) w.tags.set(k.toLowerCase(), String(v));
  };
  for (const inv of store.snapshots.records(snapshotId, 'inventory')) {
    const w: Workload = { id: inv.key, resourceKey: inv.key, names: new Set([inv.name.toLowerCase()]), resourceGroup: inv.resourceGroup?.toLowerCase() ?? null, tags: new Map(), itemKeys: [] };
    addTags(w, inv.tags);
    byResource.set(inv.key, w);
    all.push(w);
  }
  for (const item of store.snapshots.iterateItems(snapshotId)) {
    const rk = item.sourceResourceKey;
    let w = rk ? byResource.get(rk) : undefined;
    if (!w) {
      w = { id: rk ?? item.key, resourceKey: rk, names: new Set(), resourceGroup: item.resourceGroup?.toLowerCase() ?? null, tags: new Map(), itemKeys: [] };
      if (item.sourceResourceId) {
        const seg = lastSegment(item.sourceResourceId);
        if (seg) w.names.add(seg.toLowerCase());
        const rg = parseArmId(item.sourceResourceId).resourceGroup;
        if (rg) w.resourceGroup = rg.toLowerCase();
      }
      if (rk) byResource.set(rk, w);
      all.push(w);
    }
    w.names.add(item.name.toLowerCase());
    addTags(w, item.tags);
    w.itemKeys.push(item.key);
  }
  return all;
}

function targetsOf(w: Workload): string[] {
  if (w.itemKeys.length > 0) return w.itemKeys.map(itemTarget);
  return [resourceTarget(w.resourceKey ?? w.id)];
}

function readCsv(file: string): { header: string[]; rows: Array<{ line: number; record: Record<string, string> }> } {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new UserError('BAD_INPUT', `cannot read ${file}: ${(e as Error).message}`, { file });
  }
  // Strict decoding (UTF-8, or UTF-16 with a BOM as Excel writes "Unicode text"): a Latin-1 export
  // must be refused, not turned into "Jos\uFFFD" owners.
  const text = decodeText(buf, file).text;
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  // CMDB exports from spreadsheets in many locales use ';' or a tab.
  const delimiter = [',', ';', '\t'].map((d) => ({ d, n: firstLine.split(d).length })).sort((a, b) => b.n - a.n)[0]!.d;
  let parsed: Array<{ record: string[]; info: { lines: number } }>;
  try {
    parsed = parse(text, { bom: true, delimiter, skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as never;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new UserError('BAD_INPUT', `${path.basename(file)}${err.lines ? ` line ${err.lines}` : ''}: not a readable CSV file (${csvProblem(err.message)})`, { file, ...(err.lines ? { line: err.lines } : {}) });
  }
  const header = parse(firstLine, { delimiter, trim: true, bom: true })[0] as string[] | undefined;
  // Rows are built with define semantics: a "__proto__" or "constructor" column is data, never a prototype.
  const names = parsed[0]?.record ?? [];
  const rows = parsed.slice(1).map((p) => ({ line: p.info.lines, record: Object.fromEntries(names.map((h, i) => [h, p.record[i] ?? ''])) as Record<string, string> }));
  return { header: header ?? [], rows };
}

/** `role` says in words what the column is for; `option` is the input that named it. */
function findColumn(header: string[], name: string, file: string, role: string, option: string): string {
  const exact = header.find((h) => h === name) ?? header.find((h) => h.toLowerCase() === name.toLowerCase());
  if (!exact) {
    // A one-field first line is no CSV header (a wrong file): name the problem, never echo the line.
    const columns = header.length > 1 ? `the columns are: ${header.join(', ')}` : 'the first line is not a CSV header (it has no comma)';
    throw new UserError('BAD_INPUT', `${path.basename(file)}: column "${name}" (${role}) is not in the header; ${columns}`, { file, line: 1, details: { option } });
  }
  return exact;
}

export type OwnersImportInput = {
  path: string;
  match: { column: string; by: string };
  columns: Partial<Record<OwnerField, string>>;
  dryRun?: boolean;
  snapshot?: string;
};

/**
 * Imports owners / teams / cost centres from a CSV (a CMDB export) against the
 * workloads of a snapshot (latest by default: its items and inventory).
 * A row is matched when it resolves to workloads unambiguously; ambiguous
 * when an id or name fits several workloads or two rows disagree about one
 * workload; unmatched otherwise. Only changed fields are written, in one transaction.
 */
export function importOwners(store: Store, input: OwnersImportInput, author: Author): OwnersImportReport {
  const by = parseMatchBy(input.match.by);
  const mapping = Object.entries(input.columns).filter((e): e is [OwnerField, string] => typeof e[1] === 'string' && (ownerFields as readonly string[]).includes(e[0]));
  if (mapping.length === 0) throw badOption('columns', 'owners import needs at least one field to take from a column (owner, ownerEmail, team, costCentre, criticality)');
  const { header, rows } = readCsv(input.path);
  const matchCol = findColumn(header, input.match.column, input.path, 'the column to match on', 'match');
  const cols = mapping.map(([field, col]) => [field, findColumn(header, col, input.path, `the ${field} column`, 'columns')] as const);

  const snap = store.snapshots.resolve(input.snapshot ?? 'latest');
  const workloads = workloadsOf(store, snap.id);
  const index = new Map<string, Workload[]>();
  const put = (k: string, w: Workload): void => {
    const list = index.get(k);
    if (!list) index.set(k, [w]);
    else if (!list.includes(w)) list.push(w);
  };
  for (const w of workloads) {
    if (by.kind === 'resourceId') {
      if (w.resourceKey) put(w.resourceKey, w);
      for (const k of w.itemKeys) put(k, w);
    } else if (by.kind === 'name') {
      for (const n of w.names) put(n, w);
    } else if (by.kind === 'resourceGroup') {
      if (w.resourceGroup) put(w.resourceGroup, w);
    } else {
      const v = w.tags.get(by.name.toLowerCase());
      if (v !== undefined) put(v.trim().toLowerCase(), w);
    }
  }
  const lookup = (value: string): Workload[] => {
    if (by.kind === 'resourceId') {
      if (!/^(https?:\/\/[^/]+)?\/?subscriptions\//i.test(value)) return [];
      return index.get(canonicalArmId(value)) ?? index.get(itemKeyFromId(value)) ?? [];
    }
    return index.get(value.trim().toLowerCase()) ?? [];
  };

  const warnings: string[] = [];
  const matched: OwnersImportRow[] = [];
  const ambiguous: OwnersImportRow[] = [];
  const unmatched: OwnersImportRow[] = [];
  type Candidate = { row: OwnersImportRow; values: Array<[OwnerField, string]> };
  const candidates: Candidate[] = [];

  for (const { line, record } of rows) {
    const value = (Object.hasOwn(record, matchCol) ? record[matchCol]! : '').trim();
    if (!value) {
      unmatched.push({ line, value, targets: [], reason: `empty ${matchCol}` });
      continue;
    }
    const found = lookup(value);
    if (found.length === 0) {
      unmatched.push({ line, value, targets: [] });
      continue;
    }
    // A resource id or a name should name one workload; a resource group or a tag names a set.
    if (found.length > 1 && (by.kind === 'resourceId' || by.kind === 'name')) {
      ambiguous.push({ line, value, targets: [], reason: `${found.length} workloads have this ${by.kind}`, candidates: found.map((w) => w.resourceKey ?? w.id) });
      continue;
    }
    const values: Array<[OwnerField, string]> = [];
    for (const [field, col] of cols) {
      const raw = (Object.hasOwn(record, col) ? record[col]! : '').trim();
      if (!raw) continue;
      if (raw.length > MAX_VALUE_CHARS) {
        warnings.push(`line ${line}: ${col} is ${raw.length} characters long (more than ${MAX_VALUE_CHARS}); skipped`);
        continue;
      }
      if (field === 'ownerEmail') {
        try {
          values.push([field, checkEmail(raw)]);
        } catch {
          warnings.push(`line ${line}: ${col} "${raw}" is not an email address; skipped`);
        }
      } else if (field === 'criticality') {
        const c = raw.toLowerCase();
        if (c === 'high' || c === 'medium' || c === 'low') values.push([field, c]);
        else warnings.push(`line ${line}: ${col} "${raw}" is not high, medium or low; skipped`);
      } else {
        values.push([field, raw]);
      }
    }
    candidates.push({ row: { line, value, targets: found.flatMap(targetsOf) }, values });
  }

  // Two rows that give one target different values for the same field are both ambiguous.
  const claims = new Map<string, Map<string, Candidate[]>>();
  for (const c of candidates) {
    for (const t of c.row.targets) {
      for (const [field, v] of c.values) {
        const k = `${t}\u0000${field}`;
        let byValue = claims.get(k);
        if (!byValue) claims.set(k, (byValue = new Map()));
        const list = byValue.get(v) ?? [];
        list.push(c);
        byValue.set(v, list);
      }
    }
  }
  const disputed = new Map<Candidate, Set<number>>();
  for (const byValue of claims.values()) {
    if (byValue.size < 2) continue;
    const involved = [...byValue.values()].flat();
    for (const c of involved) {
      const others = disputed.get(c) ?? new Set<number>();
      for (const o of involved) if (o !== c) others.add(o.row.line);
      disputed.set(c, others);
    }
  }

  const changes: OwnersImportReport['changes'] = [];
  const pending = new Map<string, string>();
  for (const c of candidates) {
    const others = disputed.get(c);
    if (others) {
      ambiguous.push({ ...c.row, reason: `line(s) ${[...others].sort((a, b) => a - b).join(', ')} give the same workload a different value`, candidates: c.row.targets });
      continue;
    }
    matched.push(c.row);
    for (const t of c.row.targets) {
      for (const [field, v] of c.values) {
        const k = `${t}\u0000${field}`;
        if (pending.has(k)) continue; // a duplicate row with the same value
        pending.set(k, v);
        const cur = currentSlot(store.db, t, field);
        if (sameValue(cur?.value ?? null, v)) continue;
        changes.push({ target: t, field, oldValue: (cur?.value as string | undefined) ?? null, newValue: v, line: c.row.line });
      }
    }
  }
  const byLine = (a: OwnersImportRow, b: OwnersImportRow): number => a.line - b.line;
  matched.sort(byLine);
  ambiguous.sort(byLine);
  unmatched.sort(byLine);

  let entriesWritten = 0;
  if (!input.dryRun && changes.length > 0) {
    const base = path.basename(input.path);
    const drafts: EntryDraft[] = changes.map((ch) => ({
      kind: 'set',
      at: author.now.toISOString(),
      user: author.user,
      displayName: author.displayName,
      target: ch.target,
      field: ch.field,
      oldValue: ch.oldValue,
      newValue: ch.newValue,
      reason: `owners import ${base} line ${ch.line}`,
    }));
    entriesWritten = appendEntries(store, drafts).length;
  }
  return {
    file: input.path,
    dryRun: input.dryRun ?? false,
    snapshotId: snap.id,
    rows: rows.length,
    matched,
    ambiguous,
    unmatched,
    changes,
    entriesWritten,
    warnings,
  };
}
