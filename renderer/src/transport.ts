/**
 * Picks how this window talks to the backend: the Electron preload bridge
 * when present, else HTTP to the loopback server that served the page
 * (web mode), with the per-launch token read from the URL fragment.
 */
import { createBridgeTransport, type Bridge, type Transport } from '../../shared/contract/transport.ts';
import { createHttpTransport, tokenFromHash } from '../../shared/contract/http-transport.ts';

const TOKEN_KEY = 'vaultproof.token';

export type TransportChoice = { transport: Transport } | { transport: null; problem: string };

export function pickTransport(win: Window & { vaultproof?: Bridge }): TransportChoice {
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
    return {
      transport: null,
      problem:
        'This page was opened without its access token. Open the full address that `vaultproof serve` printed (it ends in #token=…), or start the desktop app.',
    };
  }
  return { transport: createHttpTransport({ baseUrl: '', token }) };
}
