/**
 * `findings --json` of a big snapshot on two threads (issue 17: at 100k
 * items the report is 179k findings and 211 MB of text, and judging the items
 * then writing the text took about 2 s on one thread).
 *
 * The items are split in key order at their middle. This thread judges the
 * first half, a worker (findings-half-worker.ts, its own read-only connection)
 * the second, each with the same rules over the same context
 * (shared/domain/findings/evaluate.ts: startItemPass, passItem). The worker
 * then writes its findings' text, rule by rule in the report's order, while
 * this thread writes its own. What the item pass leaves for the rules after it
 * is merged here before finishPass: the tallies (sums), the inventory slots
 * some item protects (or), the item count, and one finding per rule the
 * worker found (the after-pass rules only ask whether a rule found anything).
 *
 * The bytes are those of the one-thread report (findingsOf then
 * findingsJsonPieces): a rule's findings are its first half's, its second
 * half's, then the after-pass ones, which is the order the one-thread pass
 * makes them in, and the report keeps that order when it is key order (item
 * rules find in key order: the pass walks the items so). A list that is not
 * in key order the report sorts; no rule makes one today, and should one,
 * the snapshot is judged again on one thread rather than sorted across two.
 * test/analysis/findings-split.test.ts compares the two texts.
 *
 * On one thread instead: a snapshot of fewer than SPLIT_MIN_ITEMS items, a
 * store read inside an open transaction (a worker would not see what it has
 * not committed), an annotation log that changed between the two threads'
 * reads, a rule's list out of key order (above), and a worker that cannot
 * start.
 */
import type { Worker } from 'node:worker_threads';
import type { ErrorCode } from '../../../shared/contract/result.ts';
import type { FindingsRun } from '../../../shared/contract/methods/analysis.ts';
import type { AnnotationIndex } from '../../../shared/domain/annotations.ts';
import type { Finding } from '../../../shared/domain/findings.ts';
import { buildContext, type FindingsContext } from '../../../shared/domain/findings/context.ts';
import { findingsByRule, finishPass, passItem, reportRuleOrder, startItemPass } from '../../../shared/domain/findings/evaluate.ts';
import { ruleIds, type RuleId } from '../../../shared/domain/findings-rules.ts';
import { atOrAbove, type AuditProfile, type Severity } from '../../../shared/domain/profile.ts';
import type { SnapshotSummary } from '../../../shared/domain/types.ts';
import { logHead } from '../annotations/repository.ts';
import { UserError } from '../errors.ts';
import { startWorker } from '../host/threads.ts';
import { ELEMENTS_PER_PIECE, EscapedPieces, objectWithArray } from '../output/json-text.ts';
import type { Store } from '../store/store.ts';
import type { Loaded } from './assets.ts';
import { loadProfile } from './assets.ts';
import { findingPusher, findingsJsonMembers, findingsJsonPieces } from './findings-json.ts';
import type { KeyHalf } from './load.ts';
import { annotationsFor, findingsGate, findingsInputOf, findingsOf, inOneRead, refInfo } from './run.ts';

/** Fewer items than this are judged on one thread: starting a thread (~0.1 s) costs more than half their pass saves. */
export const SPLIT_MIN_ITEMS = 20_000;

/** Worker text messages are buffers of about this many bytes (the text of some 900 findings). */
export const TEXT_CHUNK = 1 << 20;

/** One rule's findings of one half, as the merge needs them: how many, whether in key order, the first and last key. */
export type RulePart = { rule: RuleId; count: number; excepted: number; inOrder: boolean; first: string; last: string; exemplar: Finding };

/** What a half's item pass leaves for the merge. */
export type HalfPass = { itemCount: number; tally: Record<string, number>; protectedSlots: Uint8Array; rules: RulePart[]; annotationHead: string };

/** Main → worker: the item pass's input (the worker is started before the store is opened, so its start overlaps the command's own). */
export type FindingsHalfGo = { storePath: string; snapshotId: string; profile: Loaded<AuditProfile>; from: string; read: Int32Array; textsAhead: number };

/**
 * Text pieces the worker may have sent that the main thread has not yet
 * written: it waits beyond that (`read` counts the pieces written), so the
 * text waiting in memory stays about 16 MB whatever the estate.
 */
export const TEXTS_AHEAD = 16;

/**
 * Worker → main: its pass; each rule's text in pieces, as UTF-8 (in the
 * report's rule order, every element led by ",\n    ", `last` on a rule's
 * last piece; their buffers are handed over, not copied); or the error that
 * stopped it.
 */
export type FindingsHalfMessage =
  | { type: 'pass'; pass: HalfPass }
  | { type: 'text'; rule: RuleId; text: Uint8Array; last: boolean }
  | { type: 'error'; error: { message: string; code?: string } };

/** A list's summary for the merge (in key order as orderFindings tests it: no key greater than the next). */
export function rulePart(rule: RuleId, list: readonly Finding[]): RulePart {
  let inOrder = true;
  let excepted = 0;
  for (let i = 0; i < list.length; i++) {
    if (i > 0 && list[i - 1]!.key > list[i]!.key) inOrder = false;
    if (list[i]!.excepted) excepted++;
  }
  return { rule, count: list.length, excepted, inOrder, first: list[0]!.key, last: list[list.length - 1]!.key, exemplar: list[0]! };
}

/**
 * The item pass over one half of a snapshot's items (read in one transaction):
 * the context as the pass leaves it (no after-pass rules yet) and the pass's
 * findings by rule.
 */
export function passHalf(store: Store, s: SnapshotSummary, profile: Loaded<AuditProfile>, annotations: AnnotationIndex, half: KeyHalf): { ctx: FindingsContext; lists: Map<RuleId, Finding[]> } {
  return inOneRead(store, () => {
    const input = findingsInputOf(store, s, profile, annotations, half);
    const ctx = buildContext(input);
    const pass = startItemPass(ctx);
    for (const it of input.items) passItem(ctx, pass, it);
    return { ctx, lists: findingsByRule(ctx.findings) };
  });
}

/**
 * A rule's text (each element led by ",\n    ", at the report's indent),
 * handed on in pieces of ELEMENTS_PER_PIECE elements, each joined once (one
 * join of a thousand elements' pieces cost several times as much).
 */
export function ruleTexts(list: readonly Finding[], push: ReturnType<typeof findingPusher>, emit: (text: string) => void): void {
  let out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    out.push(',\n    ');
    push(out, list[i]!, '    ');
    if (i % ELEMENTS_PER_PIECE === ELEMENTS_PER_PIECE - 1) {
      emit(out.join(''));
      out = [];
    }
  }
  if (out.length > 0) emit(out.join(''));
}

/**
 * The thread that judges the second half: started early (FindingsHalf.start,
 * before the command opens the store: loading its code takes 0.1-0.2 s),
 * told what to judge by go(). Its messages are awaited in order, one at a
 * time.
 */
export class FindingsHalf {
  private readonly queue: FindingsHalfMessage[] = [];
  private waiting: { resolve: (m: FindingsHalfMessage) => void; reject: (e: Error) => void } | null = null;
  private failed: Error | null = null;
  private finished = false;

  /** The worker, or null where none can start (judged on one thread). */
  static start(): FindingsHalf | null {
    try {
      return new FindingsHalf(startWorker('findings-half'));
    } catch {
      return null;
    }
  }

  private constructor(readonly worker: Worker) {
    worker.unref(); // never what keeps the process alive: stop() ends it
    worker.on('message', (m: FindingsHalfMessage) => {
      if (m.type === 'error') this.fail(m.error.code ? new UserError(m.error.code as ErrorCode, m.error.message) : new Error(`judging the second half of the items: ${m.error.message}`));
      else if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w.resolve(m);
      } else this.queue.push(m);
    });
    worker.on('error', (e) => this.fail(new Error(`judging the second half of the items: ${e.message}`)));
    worker.on('exit', (code) => {
      if (!this.finished) this.fail(new Error(`the findings worker stopped (exit ${code}) before it was done`));
    });
  }

  private fail(e: Error): void {
    if (this.failed) return;
    this.failed = e;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w.reject(e);
    }
  }

  /** The next pass or text message. */
  next(): Promise<FindingsHalfMessage> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  async expect<T extends FindingsHalfMessage['type']>(type: T): Promise<Extract<FindingsHalfMessage, { type: T }>> {
    const m = await this.next();
    if (m.type !== type) throw new Error(`the findings worker said ${m.type} where ${type} was due`);
    return m as Extract<FindingsHalfMessage, { type: T }>;
  }

  /** Pieces of text written so far (shared with the worker: TEXTS_AHEAD). */
  private readonly read = new Int32Array(new SharedArrayBuffer(4));

  go(m: Omit<FindingsHalfGo, 'read' | 'textsAhead'>, textsAhead = TEXTS_AHEAD): void {
    this.worker.postMessage({ ...m, read: this.read, textsAhead } satisfies FindingsHalfGo);
  }

  /** A text piece is written: the worker may send one more. */
  written(): void {
    Atomics.add(this.read, 0, 1);
    Atomics.notify(this.read, 0);
  }

  async stop(): Promise<void> {
    this.finished = true;
    await this.worker.terminate();
  }
}

/** The text's pieces, the --fail-on gate, and on how many threads the items were judged. */
export type FindingsJson = { pieces: EscapedPieces; gate: FindingsRun['gate']; threads: 1 | 2 };

/**
 * `findings --json` of a snapshot: the text's pieces (written as they are
 * consumed; the worker's as they arrive) and the --fail-on gate, known before
 * the text is written.
 */
export async function findingsJson(
  store: Store,
  snapshotRef: string,
  opts: { profilePath?: string; failOn?: Severity; minItems?: number; textsAhead?: number; half?: FindingsHalf | null } = {},
): Promise<FindingsJson> {
  let half = opts.half;
  try {
    const s = store.snapshots.resolve(snapshotRef);
    const profile = loadProfile(opts.profilePath);
    const from = s.itemCount >= (opts.minItems ?? SPLIT_MIN_ITEMS) && !store.db.inTransaction ? middleKey(store, s) : null;
    if (from !== null) {
      half ??= FindingsHalf.start();
      if (half) {
        half.go({ storePath: store.workingCopy ?? store.path, snapshotId: s.id, profile, from }, opts.textsAhead);
        const h = half;
        half = null; // splitRun stops it
        const split = await splitRun(store, s, profile, from, h, opts.failOn);
        if (split) return split;
      }
    }
    return oneThread(store, s, profile, opts.failOn);
  } finally {
    await half?.stop();
  }
}

/** The report judged on this thread (findingsOf), as findings.run makes it. */
function oneThread(store: Store, s: SnapshotSummary, profile: Loaded<AuditProfile>, failOn: Severity | undefined): FindingsJson {
  const run = findingsOf(store, s, profile, annotationsFor(store));
  const gate = failOn ? findingsGate(run.findings, failOn) : undefined;
  return { pieces: findingsJsonPieces(gate ? { ...run, gate } : run), gate, threads: 1 };
}

/** The key of the item at the middle of the snapshot in key order (the worker's first). */
function middleKey(store: Store, s: SnapshotSummary): string | null {
  const k = store.db.prepare('SELECT key FROM items WHERE snapshot_id = ? ORDER BY key LIMIT 1 OFFSET ?').pluck().get(s.id, Math.floor(s.itemCount / 2)) as string | undefined;
  return k ?? null;
}

/** A segment of a rule's list (a RulePart: this thread's findings, the worker's, or the after-pass ones). */
export type Segment = { inOrder: boolean; first: string; last: string };

/** Whether the concatenation of the segments is in key order (each is, and no segment ends past the next one's start), as orderFindings tests a list. */
export function inKeyOrder(segments: ReadonlyArray<Segment | null | undefined>): boolean {
  let last: string | null = null;
  for (const s of segments) {
    if (!s) continue;
    if (!s.inOrder || (last !== null && last > s.first)) return false;
    last = s.last;
  }
  return true;
}

async function splitRun(store: Store, s: SnapshotSummary, profile: Loaded<AuditProfile>, from: string, inbox: FindingsHalf, failOn: Severity | undefined): Promise<FindingsJson | null> {
  let handedOn = false;
  try {
    const { head, annotations } = inOneRead(store, () => ({ head: logHead(store.db), annotations: annotationsFor(store) }));
    const { ctx, lists: mine } = passHalf(store, s, profile, annotations, { before: from });
    let theirs: HalfPass;
    try {
      theirs = (await inbox.expect('pass')).pass;
    } catch {
      return null; // the worker failed before its pass (it could not open the store, …): judged again on one thread
    }
    if (theirs.annotationHead !== head) return null; // the log changed between the two reads: judged again on one thread

    // Merge what the pass leaves for the after-pass rules, then run them.
    ctx.itemCount += theirs.itemCount;
    for (const [k, n] of Object.entries(theirs.tally)) ctx.tally[k] = (ctx.tally[k] ?? 0) + n;
    const slots = ctx.protectedSlots;
    for (let i = 0; i < slots.length && i < theirs.protectedSlots.length; i++) if (theirs.protectedSlots[i]) slots[i] = 1;
    const theirRules = new Map(theirs.rules.map((p) => [p.rule, p]));
    const mark = ctx.findings.length;
    for (const p of theirs.rules) ctx.findings.push(p.exemplar);
    finishPass(ctx);
    const after = findingsByRule(ctx.findings.slice(mark + theirs.rules.length));
    ctx.findings.length = 0;

    // Each rule's list is this thread's part, the worker's, then the after-pass one.
    const partsOf = (lists: Map<RuleId, Finding[]>) => new Map([...lists].map(([r, l]) => [r, rulePart(r, l)]));
    const mineParts = partsOf(mine);
    const afterParts = partsOf(after);
    const parts = (r: RuleId) => [mineParts.get(r), theirRules.get(r), afterParts.get(r)];
    const order = reportRuleOrder([...mine.keys(), ...theirRules.keys(), ...after.keys()], ctx.severityOf);
    if (!order.every((r) => inKeyOrder(parts(r)))) return null; // a list the report sorts: judged on one thread

    const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    const byRuleCount: Partial<Record<RuleId, number>> = {};
    let total = 0;
    let excepted = 0;
    let gateCount = 0;
    for (const r of order) {
      const sev = ctx.severityOf(r);
      let n = 0;
      let x = 0;
      for (const p of parts(r)) {
        if (!p) continue;
        n += p.count;
        x += p.excepted;
      }
      bySeverity[sev] += n;
      byRuleCount[r] = n;
      total += n;
      excepted += x;
      if (failOn && atOrAbove(sev, failOn)) gateCount += n - x;
    }
    const gate = failOn ? { failOn, failed: gateCount > 0, count: gateCount } : undefined;
    const { profile: p, notEvaluated } = ctx;
    const members = findingsJsonMembers({
      asOf: s.asOf,
      profileHash: profile.hash,
      profile: { name: p.name, version: p.version },
      notEvaluated: ruleIds.filter((r) => notEvaluated.has(r)).map((r) => ({ rule: r, reason: notEvaluated.get(r)! })),
      assumptions: ctx.assumptions,
      counts: { total, excepted, bySeverity, byRule: byRuleCount },
      itemCount: ctx.itemCount,
      snapshot: refInfo(s),
      profileSource: profile.source,
      ...(gate ? { gate } : {}),
    });
    handedOn = true;
    return { pieces: new EscapedPieces(objectWithArray(members, 'findings', findingsArray(order, mine, theirRules, after, inbox))), gate, threads: 2 };
  } finally {
    if (!handedOn) await inbox.stop();
  }
}

/** The findings array's text: per rule in the report's order, this half's findings, the worker's (its text as it arrives), then the after-pass ones. */
async function* findingsArray(
  order: readonly RuleId[],
  mine: Map<RuleId, Finding[]>,
  theirRules: Map<RuleId, RulePart>,
  after: Map<RuleId, Finding[]>,
  inbox: FindingsHalf,
): AsyncGenerator<string | Uint8Array> {
  try {
    const push = findingPusher();
    // Whether the array's "[" is written yet: the first element follows it with "\n    ", the others with ",\n    ".
    let opened = false;
    // Elements joined ELEMENTS_PER_PIECE at a time into one flat piece, as json-text.ts arrayTexts joins them.
    function* ofList(list: readonly Finding[]): Generator<string> {
      let out: string[] = [];
      for (let i = 0; i < list.length; i++) {
        out.push(opened ? ',\n    ' : '[\n    ');
        opened = true;
        push(out, list[i]!, '    ');
        if (i % ELEMENTS_PER_PIECE === ELEMENTS_PER_PIECE - 1) {
          yield out.join('');
          out = [];
        }
      }
      if (out.length > 0) yield out.join('');
    }
    for (const r of order) {
      const own = mine.get(r);
      if (own) yield* ofList(own);
      if (theirRules.has(r)) {
        // The worker's texts come in the report's rule order, for every rule it found anything for.
        for (;;) {
          const m = await inbox.next();
          if (m.type !== 'text') throw new Error(`the findings worker said ${m.type} among its texts`);
          if (m.rule !== r) throw new Error(`the findings worker wrote rule ${m.rule} where ${r} was due`);
          // The first element of the array: "[" in place of the comma that leads it.
          if (!opened) m.text[0] = 0x5b;
          yield m.text;
          inbox.written();
          opened = true;
          if (m.last) break;
        }
      }
      const more = after.get(r);
      if (more) yield* ofList(more);
    }
    yield opened ? '\n  ]' : '[]';
  } finally {
    await inbox.stop();
  }
}
