/**
 * Web mode: a fresh tab opened on a shared filter link (no token in it, on
 * purpose) gets the per-launch token from an open tab of the same origin over
 * a BroadcastChannel (shared/contract/token-handoff.ts, used by
 * renderer/src/transport.ts), and from nothing else. Node's BroadcastChannel
 * is the browser's: every holder of one channel name in the process hears it,
 * as the tabs of one origin do. The tests run in order: no tab first, then a
 * stray answerer, then a real one. test/e2e/name-sort-and-link.test.ts does
 * the same with real tabs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerTokenAsks, askTokenFromOtherTabs, TOKEN_CHANNEL, type ChannelClass } from '../../shared/contract/token-handoff.ts';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-ab';

/** A channel that does not keep the test process alive (a page's answerer lives as long as the page). */
class Channel extends BroadcastChannel {
  constructor(name: string) {
    super(name);
    (this as unknown as { unref(): void }).unref();
  }
}
/** Node's event types differ from the DOM's the module is typed with; the behaviour is the same. */
const C = Channel as unknown as ChannelClass;
const dataOf = (e: unknown) => (e as { data: { type: string; nonce: string } }).data;

describe('web-mode token handoff between tabs', () => {
  it('with no other tab open, nobody answers', async () => {
    assert.equal(await askTokenFromOtherTabs(C, 'n1', 100), null);
  });

  it('an answer to another tab\'s question, or a malformed token, is not taken', async () => {
    const noisy = new Channel(TOKEN_CHANNEL);
    const asks: unknown[] = [];
    noisy.onmessage = (e) => {
      const d = dataOf(e);
      if (d.type !== 'ask') return;
      asks.push(d);
      noisy.postMessage({ type: 'token', nonce: 'not-yours', token: TOKEN });
      noisy.postMessage({ type: 'token', nonce: d.nonce, token: 'bad token with spaces' });
      noisy.postMessage({ type: 'token', nonce: d.nonce, token: 42 });
      noisy.postMessage({ type: 'token', nonce: d.nonce, token: 'short' });
    };
    try {
      assert.equal(await askTokenFromOtherTabs(C, 'n2', 300), null);
      assert.deepEqual(asks, [{ type: 'ask', nonce: 'n2' }], 'the question carries the nonce and nothing else');
    } finally {
      noisy.close();
    }
  });

  it('an open tab answers with its token, under the asker\'s nonce', async () => {
    const seen: unknown[] = [];
    // Not unref'd: it keeps the process up until it has heard both messages.
    const spy = new BroadcastChannel(TOKEN_CHANNEL);
    const both = new Promise<void>((resolve) => {
      spy.onmessage = (e) => {
        seen.push(dataOf(e));
        if (seen.length === 2) resolve();
      };
    });
    answerTokenAsks(C, TOKEN);
    try {
      assert.equal(await askTokenFromOtherTabs(C, 'n3', 5000), TOKEN);
      await both;
      assert.deepEqual(seen, [{ type: 'ask', nonce: 'n3' }, { type: 'token', nonce: 'n3', token: TOKEN }]);
    } finally {
      spy.close();
    }
  });
});
