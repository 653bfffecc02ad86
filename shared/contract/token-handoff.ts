/**
 * Web mode: how a fresh tab gets the per-launch token from an open tab of the
 * same server (renderer/src/transport.ts says when, and why not a cookie or
 * localStorage). A BroadcastChannel reaches only pages of the same origin
 * (scheme, host and port) in the same browser profile; only the server's own
 * pages are served there. The asker sends a random nonce; an open tab answers
 * with the token under that nonce; the asker takes the first well-formed
 * answer to its own nonce, or none within the timeout.
 *
 * The channel class is passed in (the browser's, or Node's in tests), so this
 * module needs neither the DOM nor Node.
 */
import { tokenFromHash } from './http-transport.ts';

export const TOKEN_CHANNEL = 'vaultproof.token';

type TokenMessage = { type: 'ask'; nonce: string } | { type: 'token'; nonce: string; token: string };

type ChannelLike = { addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void; postMessage(m: unknown): void; close(): void };
export type ChannelClass = new (name: string) => ChannelLike;

function wellFormed(t: unknown): string | null {
  return typeof t === 'string' ? tokenFromHash(`#token=${encodeURIComponent(t)}`) : null;
}

/** Answers the fresh tabs that ask for the token, for as long as the page lives. */
export function answerTokenAsks(Channel: ChannelClass, token: string): void {
  const ch = new Channel(TOKEN_CHANNEL);
  ch.addEventListener('message', (e) => {
    const m = e.data as Partial<TokenMessage> | null;
    if (m?.type === 'ask' && typeof m.nonce === 'string') ch.postMessage({ type: 'token', nonce: m.nonce, token } satisfies TokenMessage);
  });
}

/** The token from an open tab of this origin, or null when none answers within `timeoutMs`. */
export function askTokenFromOtherTabs(Channel: ChannelClass, nonce: string, timeoutMs: number): Promise<string | null> {
  const ch = new Channel(TOKEN_CHANNEL);
  return new Promise((resolve) => {
    const done = (token: string | null) => {
      clearTimeout(timer);
      ch.close();
      resolve(token);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    ch.addEventListener('message', (e) => {
      const m = e.data as Partial<TokenMessage> | null;
      if (m?.type !== 'token' || m.nonce !== nonce) return;
      const token = wellFormed(m.token);
      if (token) done(token);
    });
    ch.postMessage({ type: 'ask', nonce } satisfies TokenMessage);
  });
}
