/**
 * Picks how this window talks to the backend: the Electron preload bridge
 * when present, else HTTP to the loopback server that served the page
 * (web mode), with the per-launch token read from the URL fragment.
 */
import { createBridgeTransport, type Bridge, type Transport } from '../../shared/contract/transport.ts';
import { createHttpTransport, tokenFromHash } from '../../shared/contract/http-transport.ts';

export type TransportChoice = { transport: Transport } | { transport: null; problem: string };

export function pickTransport(win: Window & { vaultproof?: Bridge }): TransportChoice {
  if (win.vaultproof) return { transport: createBridgeTransport(win.vaultproof) };
  const token = tokenFromHash(win.location.hash);
  if (!token) {
    return {
      transport: null,
      problem:
        'This page was opened without its access token. Open the full address that `vaultproof serve` printed (it ends in #token=…), or start the desktop app.',
    };
  }
  return { transport: createHttpTransport({ baseUrl: '', token }) };
}
