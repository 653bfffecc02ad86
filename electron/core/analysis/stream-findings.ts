/**
 * Findings for a pack without holding them (issue 17): the rules run in the
 * same single pass over the store's rows as `evaluateFindings`
 * (shared/domain/findings/evaluate.ts), but each finding goes to a per-rule
 * spool file on disk as it is made; memory keeps the counts, one exemplar
 * per rule and, per item, its open findings and worst severity in typed arrays.
 * Readers stream the findings back in the analysis's order (most severe rule
 * first, catalogue order, key order), the same objects `findingsOf` returns
 * (test/packs/stream-analysis.test.ts compares the two).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FindingsRun } from '../../../shared/contract/methods/analysis.ts';
import type { AnnotationIndex } from '../../../shared/domain/annotations.ts';
import type { Finding } from '../../../shared/domain/findings.ts';
import { buildContext } from '../../../shared/domain/findings/context.ts';
import { finishPass, passItem, reportRuleOrder, startItemPass } from '../../../shared/domain/findings/evaluate.ts';
import { ruleIds, type RuleId } from '../../../shared/domain/findings-rules.ts';
import type { AuditProfile, Severity } from '../../../shared/domain/profile.ts';
import type { SnapshotSummary } from '../../../shared/domain/types.ts';
import type { Loaded } from './assets.ts';
import { findingsInputOf, inOneRead, refInfo } from './run.ts';
import { LineWriter, readLines } from './stream-spool.ts';

/** A findings run without its list: what `findingsOf` returns, minus `findings`, keys in the same order. */
export type FindingsHead = Omit<FindingsRun, 'findings'>;

export type RuleCount = { rule: RuleId; severity: Severity; count: number; excepted: number };

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const NONE = 255;

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Open findings per item: by the item's ordinal in key order for findings
 * made while the pass stood on that item, by key for the few made after the
 * pass (exceptions that expired, …). A check hash of each item's key makes a
 * reader that walks the items out of step fail instead of miscounting.
 */
export class ItemFindings {
  private open = new Uint16Array(1024);
  private worst = new Uint8Array(1024).fill(NONE);
  private keyHash = new Uint32Array(1024);
  private readonly other = new Map<string, { open: number; worst: number }>();
  count = 0;

  private grow(): void {
    const n = this.open.length * 2;
    const open = new Uint16Array(n);
    open.set(this.open);
    const worst = new Uint8Array(n).fill(NONE);
    worst.set(this.worst);
    const keyHash = new Uint32Array(n);
    keyHash.set(this.keyHash);
    [this.open, this.worst, this.keyHash] = [open, worst, keyHash];
  }

  item(key: string): number {
    if (this.count === this.open.length) this.grow();
    this.keyHash[this.count] = fnv1a(key);
    return this.count++;
  }

  addAt(ordinal: number, sev: number): void {
    this.open[ordinal] = Math.min(65535, this.open[ordinal]! + 1);
    if (sev < this.worst[ordinal]!) this.worst[ordinal] = sev;
  }

  addByKey(key: string, sev: number): void {
    const e = this.other.get(key);
    if (!e) this.other.set(key, { open: 1, worst: sev });
    else {
      e.open++;
      if (sev < e.worst) e.worst = sev;
    }
  }

  /** Open findings of the item at this ordinal (key order) and their worst severity, or null when it has none. */
  of(ordinal: number, key: string): { open: number; worst: Severity } | null {
    if (ordinal >= this.count || this.keyHash[ordinal] !== fnv1a(key)) throw new Error(`findings and items out of step at item ${ordinal} (${key})`);
    const o = this.other.get(key);
    const open = this.open[ordinal]! + (o?.open ?? 0);
    if (open === 0) return null;
    return { open, worst: SEVERITIES[Math.min(this.worst[ordinal]!, o?.worst ?? NONE)]! };
  }
}

/** A snapshot's findings, spooled: counts in memory, the findings on disk. */
export class SpooledFindings {
  /** Rules with findings, in the analysis's order (most severe first, then catalogue order). */
  readonly rules: RuleCount[];
  /** Applied to each finding as it is read back (principal redaction). */
  transform: ((f: Finding) => void) | null = null;

  constructor(
    readonly head: FindingsHead,
    rulesInOrder: RuleCount[],
    private readonly files: ReadonlyMap<RuleId, { file: string; inOrder: boolean }>,
    readonly perItem: ItemFindings,
    private readonly dir: string,
  ) {
    this.rules = rulesInOrder;
  }

  get total(): number {
    return this.head.counts.total;
  }

  /** One rule's findings in key order. */
  *ofRule(rule: RuleId): Generator<Finding> {
    const f = this.files.get(rule);
    if (!f) return;
    const t = this.transform;
    if (f.inOrder) {
      for (const line of readLines(f.file)) {
        const x = JSON.parse(line) as Finding;
        if (t) t(x);
        yield x;
      }
      return;
    }
    // Made out of key order (after the item pass): sorted as the analysis sorts them. Such rules are small (vaults, resources).
    const list = [...readLines(f.file)].map((l) => JSON.parse(l) as Finding);
    list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const x of list) {
      if (t) t(x);
      yield x;
    }
  }

  /** Every finding, in the analysis's order. */
  *all(): Generator<Finding> {
    for (const r of this.rules) yield* this.ofRule(r.rule);
  }

  close(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

class RuleSpool {
  readonly out: LineWriter;
  count = 0;
  excepted = 0;
  inOrder = true;
  private last: string | null = null;
  constructor(file: string) {
    this.out = new LineWriter(file);
  }
  add(f: Finding): void {
    if (this.last !== null && this.last > f.key) this.inOrder = false;
    this.last = f.key;
    this.count++;
    if (f.excepted) this.excepted++;
    this.out.line(JSON.stringify(f));
  }
}

/**
 * Evaluates a snapshot's findings into a spool under `dir` (created, private).
 * The pass is `evaluateFindings`'s: checks, one shared item pass, the after-pass
 * rules; each rule keeps in memory only its first finding (rules may ask
 * whether another rule found anything).
 */
export function spoolFindings(store: Parameters<typeof findingsInputOf>[0], s: SnapshotSummary, profile: Loaded<AuditProfile>, annotations: AnnotationIndex, dir: string): SpooledFindings {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return inOneRead(store, () => spoolIn(store, s, profile, annotations, dir));
}

function spoolIn(store: Parameters<typeof findingsInputOf>[0], s: SnapshotSummary, profile: Loaded<AuditProfile>, annotations: AnnotationIndex, dir: string): SpooledFindings {
  const input = findingsInputOf(store, s, profile, annotations);
  const ctx = buildContext(input);
  const pass = startItemPass(ctx);

  const spools = new Map<RuleId, RuleSpool>();
  const exemplars = new Map<RuleId, Finding>();
  const kept = new Set<Finding>();
  const perItem = new ItemFindings();
  const sevIndex = (sev: Severity): number => SEVERITIES.indexOf(sev);
  const drain = (): void => {
    const found = ctx.findings;
    for (const f of found) {
      if (kept.has(f)) continue;
      let sp = spools.get(f.rule);
      if (!sp) spools.set(f.rule, (sp = new RuleSpool(path.join(dir, `${f.rule}.jsonl`))));
      sp.add(f);
      if (!exemplars.has(f.rule)) {
        exemplars.set(f.rule, f);
        kept.add(f);
      }
    }
    found.length = 0;
    for (const f of exemplars.values()) found.push(f);
  };

  try {
    for (const it of input.items) {
      const ordinal = perItem.item(it.key);
      const before = ctx.findings.length;
      passItem(ctx, pass, it);
      for (let i = before; i < ctx.findings.length; i++) {
        const f = ctx.findings[i]!;
        if (f.excepted) continue;
        if (f.key === it.key) perItem.addAt(ordinal, sevIndex(f.severity));
        else perItem.addByKey(f.key, sevIndex(f.severity));
      }
      // Small batches: findings held for 4096 lived long enough to be promoted to V8's old space, which a 100k
      // spool left uncollected (heap 160 MB before its first full GC, 29 MB live); at 256 they die young.
      if (ctx.findings.length >= 256) drain();
    }
    drain();
    const mark = ctx.findings.length;
    finishPass(ctx);
    for (let i = mark; i < ctx.findings.length; i++) {
      const f = ctx.findings[i]!;
      if (!f.excepted) perItem.addByKey(f.key, sevIndex(f.severity));
    }
    drain();
  } finally {
    for (const sp of spools.values()) sp.out.close();
  }

  const rulesInOrder = reportRuleOrder(spools.keys(), ctx.severityOf).map((r): RuleCount => ({ rule: r, severity: ctx.severityOf(r), count: spools.get(r)!.count, excepted: spools.get(r)!.excepted }));
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  const byRule: Partial<Record<RuleId, number>> = {};
  let total = 0;
  let excepted = 0;
  for (const r of rulesInOrder) {
    bySeverity[r.severity] += r.count;
    byRule[r.rule] = r.count;
    total += r.count;
    excepted += r.excepted;
  }
  const { profile: p, notEvaluated } = ctx;
  // The keys in the order of findingsOf's result (findings left out).
  const head: FindingsHead = {
    asOf: input.asOf,
    profileHash: input.profileHash,
    profile: { name: p.name, version: p.version },
    notEvaluated: ruleIds.filter((r) => notEvaluated.has(r)).map((r) => ({ rule: r, reason: notEvaluated.get(r)! })),
    assumptions: ctx.assumptions,
    counts: { total, excepted, bySeverity, byRule },
    itemCount: ctx.itemCount,
    snapshot: refInfo(s),
    profileSource: profile.source,
  };
  const files = new Map([...spools].map(([r, sp]) => [r, { file: sp.out.file, inOrder: sp.inOrder }] as const));
  return new SpooledFindings(head, rulesInOrder, files, perItem, dir);
}

/** The findings run as `findingsOf` returns it, keys in its order, with `findings` given. */
export function findingsRunOf<T>(head: FindingsHead, findings: T): Omit<FindingsRun, 'findings'> & { findings: T } {
  const { asOf, profileHash, profile, ...rest } = head;
  return { asOf, profileHash, profile, findings, ...rest };
}
