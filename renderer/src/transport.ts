/**
 * Picks how this window talks to the backend: the Electron preload bridge
 * when present, else HTTP to the loopback server that served the page
 * (web mode), with the per-launch token.
 *
 * Where a web-mode page finds the token, in order:
 * 1. the URL fragment (`#token=…`, the address `vaultproof serve` printed):
 *    browsers never send a fragment to a server; it leaves the address bar
 *    at once (history.replaceState);
 * 2. this tab's sessionStorage, kept from 1 so a reload still works;
 * 3. another open tab of the same server in this browser, asked over a
 *    BroadcastChannel (shared/contract/token-handoff.ts): a shared filter link (`…/#items?…`, ShareFilter.tsx)
 *    pasted into a fresh tab carries no token, on purpose (it goes into
 *    working papers, tickets and chats), and a fresh tab has its own, empty
 *    sessionStorage. A BroadcastChannel reaches only pages of the same origin
 *    (scheme, host and port) in the same browser profile, and only this
 *    server's own pages are served from that origin (CSP, no third-party
 *    script), so the token goes to no page that could not already have read
 *    the printed address. It stays in memory: never a cookie (cookies on
 *    127.0.0.1 are sent to every port, i.e. to other local servers), never
 *    localStorage (written to the profile on disk).
 * Nothing found: the page says how to open it (the printed address).
 */
import { createBridgeTransport, type Bridge, type Transport } from '../../shared/contract/transport.ts';
import { createHttpTransport, tokenFromHash } from '../../shared/contract/http-transport.ts';
import { answerTokenAsks, askTokenFromOtherTabs, type ChannelClass } from '../../shared/contract/token-handoff.ts';

const TOKEN_KEY = 'vaultproof.token';
/** How long a fresh tab waits for an open tab to answer: they answer in milliseconds when there is one. */
const ASK_TIMEOUT_MS = 1500;

export type TransportChoice = { transport: Transport } | { transport: null; problem: string };

/** BroadcastChannel is on the global object but not in TypeScript's Window; optional, as an old browser may lack it. */
type Win = Window & { vaultproof?: Bridge; BroadcastChannel?: ChannelClass };

/** 128 random bits (getRandomValues: no secure context needed). */
function nonce(win: Win): string {
  return Array.from(win.crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function pickTransport(win: Win, opts: { askTimeoutMs?: number } = {}): Promise<TransportChoice> {
  if (win.vaultproof) return { transport: createBridgeTransport(win.vaultproof) };
  const fromHash = tokenFromHash(win.location.hash);
  let token = fromHash;
  try {
    // The token lives in this tab's session storage, not in the address bar, the history or a bookmark; a reload still finds it.
    if (fromHash) win.sessionStorage.setItem(TOKEN_KEY, fromHash);
    else token = tokenFromHash(`#token=${win.sessionStorage.getItem(TOKEN_KEY) ?? ''}`);
  } catch {
    // storage disabled: the fragment's token serves this page load only
  }
  if (fromHash) win.history.replaceState(win.history.state, '', `${win.location.pathname}${win.location.search}`);
  if (!token) {
    if (win.BroadcastChannel) token = await askTokenFromOtherTabs(win.BroadcastChannel, nonce(win), opts.askTimeoutMs ?? ASK_TIMEOUT_MS);
    try {
      if (token) win.sessionStorage.setItem(TOKEN_KEY, token);
    } catch {
      // as above
    }
  }
  if (!token) {
    return {
      transport: null,
      problem:
        'This page was opened without its access token. Open the full address that `vaultproof serve` printed (it ends in #token=…), or start the desktop app. A shared filter link opens in a new tab while another Vaultproof tab of the same server is open in this browser.',
    };
  }
  if (win.BroadcastChannel) answerTokenAsks(win.BroadcastChannel, token);
  return { transport: createHttpTransport({ baseUrl: '', token }) };
}
