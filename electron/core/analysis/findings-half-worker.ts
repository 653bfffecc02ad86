/**
 * The second half of a big snapshot's findings (findings-split.ts says why):
 * started before the command opens the store, it waits to be told what to
 * judge; then it opens the store read-only, judges the items from `from` on
 * with the same item pass, says what the pass left (tallies, protected inventory slots,
 * each rule's count and key range), then writes each rule's findings as text
 * in the report's rule order, as UTF-8 handed over to the main thread, never
 * more than TEXTS_AHEAD pieces ahead of what it has written.
 */
import { parentPort } from 'node:worker_threads';
import type { RuleId } from '../../../shared/domain/findings-rules.ts';
import { reportRuleOrder } from '../../../shared/domain/findings/evaluate.ts';
import { logHead } from '../annotations/repository.ts';
import { toErrorInfo } from '../errors.ts';
import { openStore } from '../store/store.ts';
import { findingPusher } from './findings-json.ts';
import { TEXT_CHUNK, passHalf, rulePart, ruleTexts, type FindingsHalfGo, type FindingsHalfMessage } from './findings-split.ts';
import { annotationsFor, inOneRead } from './run.ts';

const port = parentPort!;
const post = (m: FindingsHalfMessage): void => port.postMessage(m);

// A listener for the whole life of the thread: it stays until the main thread has read its text and ends it (stop()),
// so its last messages are never raced by its exit.
port.on('message', (m: FindingsHalfGo) => judge(m));

function judge({ storePath, snapshotId, profile, from, read, textsAhead }: FindingsHalfGo): void {
  try {
    const store = openStore(storePath, { readonly: true });
    try {
      const s = store.snapshots.resolve(snapshotId);
      const { head, annotations } = inOneRead(store, () => ({ head: logHead(store.db), annotations: annotationsFor(store) }));
      const { ctx, lists } = passHalf(store, s, profile, annotations, { from });
      const order = reportRuleOrder(lists.keys(), ctx.severityOf);
      post({
        type: 'pass',
        pass: { itemCount: ctx.itemCount, tally: ctx.tally, protectedSlots: ctx.protectedSlots, rules: order.map((r) => rulePart(r, lists.get(r)!)), annotationHead: head },
      });
      const push = findingPusher();
      const utf8 = new TextEncoder();
      // The text's UTF-8 goes straight into buffers of about TEXT_CHUNK bytes, each handed over to the main thread
      // (transferred, not copied) when full and at the end of a rule.
      let buf = new Uint8Array(TEXT_CHUNK);
      let used = 0;
      let sent = 0;
      const send = (rule: RuleId, last: boolean): void => {
        // At most textsAhead (TEXTS_AHEAD) pieces not yet written by the main thread (a second's wait at a time: terminate() ends it).
        for (let r = Atomics.load(read, 0); sent - r >= textsAhead; r = Atomics.load(read, 0)) Atomics.wait(read, 0, r, 1000);
        sent++;
        port.postMessage({ type: 'text', rule, text: buf.subarray(0, used), last } satisfies FindingsHalfMessage, [buf.buffer]);
        buf = new Uint8Array(TEXT_CHUNK);
        used = 0;
      };
      for (const r of order) {
        ruleTexts(lists.get(r)!, push, (text) => {
          // A character is at most 3 bytes of UTF-8 (a surrogate pair, two characters, is 4).
          if (used > 0 && used + 3 * text.length > buf.length) send(r, false);
          if (3 * text.length > buf.length) buf = new Uint8Array(3 * text.length);
          used += utf8.encodeInto(text, buf.subarray(used)).written;
        });
        send(r, true);
      }
    } finally {
      store.close();
    }
  } catch (e) {
    const info = toErrorInfo(e, storePath);
    post({ type: 'error', error: { message: info.message, ...(info.code !== 'INTERNAL' ? { code: info.code } : {}) } });
  }
}
