/**
 * The second half of a big snapshot's findings (findings-split.ts says why):
 * started before the command opens the store, it waits to be told what to
 * judge; then it opens the store read-only, judges the items from `from` on
 * with the same item pass, says what the pass left (tallies, protected inventory slots,
 * each rule's count and key range), then writes each rule's findings as text
 * in the report's rule order, as UTF-8 handed over to the main thread.
 */
import { parentPort } from 'node:worker_threads';
import type { RuleId } from '../../../shared/domain/findings-rules.ts';
import { toErrorInfo } from '../errors.ts';
import { openStore } from '../store/store.ts';
import { findingPusher } from './findings-json.ts';
import { TEXT_CHUNK, annotationHead, passHalf, reportOrder, rulePart, ruleTexts, type FindingsHalfGo, type FindingsHalfMessage } from './findings-split.ts';
import { annotationsFor, inOneRead } from './run.ts';

const port = parentPort!;
const post = (m: FindingsHalfMessage): void => port.postMessage(m);

// A listener for the whole life of the thread: it stays until the main thread has read its text and ends it (stop()),
// so its last messages are never raced by its exit.
port.on('message', (m: FindingsHalfGo) => judge(m));

function judge({ storePath, snapshotId, profile, from }: FindingsHalfGo): void {
  try {
    const store = openStore(storePath, { readonly: true });
    try {
      const s = store.snapshots.resolve(snapshotId);
      const { head, annotations } = inOneRead(store, () => ({ head: annotationHead(store), annotations: annotationsFor(store) }));
      const { ctx, lists } = passHalf(store, s, profile, annotations, { from });
      const order = reportOrder(lists.keys(), ctx.severityOf);
      post({
        type: 'pass',
        pass: { itemCount: ctx.itemCount, tally: ctx.tally, protectedSlots: ctx.protectedSlots, rules: order.map((r) => rulePart(r, lists.get(r)!)), annotationHead: head },
      });
      const push = findingPusher();
      const utf8 = new TextEncoder();
      // Each piece's bytes in a buffer of its own, handed over to the main thread rather than copied.
      const send = (rule: RuleId, text: string, last: boolean): void => {
        const bytes = utf8.encode(text);
        port.postMessage({ type: 'text', rule, text: bytes, last } satisfies FindingsHalfMessage, [bytes.buffer]);
      };
      for (const r of order) {
        let pending: string | null = null;
        ruleTexts(lists.get(r)!, push, TEXT_CHUNK, (text) => {
          if (pending !== null) send(r, pending, false);
          pending = text;
        });
        send(r, pending!, true);
      }
    } finally {
      store.close();
    }
  } catch (e) {
    const info = toErrorInfo(e, storePath);
    post({ type: 'error', error: { message: info.message, ...(info.code !== 'INTERNAL' ? { code: info.code } : {}) } });
  }
}
