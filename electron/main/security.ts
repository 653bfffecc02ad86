/**
 * The shell's security policies as plain functions: navigation, window.open,
 * permissions, CSP headers, IPC sender checks. No electron import (types
 * only), so test/unit tests them with fake events; window.ts and index.ts
 * wire them to the real ones.
 */
import { contentSecurityPolicy } from '../core/web/static-files.ts';

/** The renderer is served from this origin by our own protocol handler (protocol.ts). */
export const appScheme = 'app';
export const appHost = 'vaultproof';
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;

/** Hosts the UI may open in the system browser (a vault or item in the Azure portal). Everything else is refused. */
export const externalHostAllowlist: readonly string[] = ['portal.azure.com', 'portal.azure.us', 'portal.azure.cn'];

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** https, no credentials, no port, an allowlisted host exactly (no look-alike suffixes). */
export function isAllowedExternalUrl(url: string): boolean {
  const u = parse(url);
  if (!u) return false;
  return u.protocol === 'https:' && u.username === '' && u.password === '' && u.port === '' && externalHostAllowlist.includes(u.hostname.toLowerCase());
}

/**
 * Our own page: app://vaultproof/... only. (We never load file:// — a
 * file:// origin would cover the whole disk.)
 */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return !!u && u.protocol === `${appScheme}:` && u.host === appHost;
}

export type PreventableEvent = { preventDefault(): void };
export type OpenExternal = (url: string) => void;

/**
 * will-navigate / will-redirect / will-frame-navigate: the window never
 * leaves the app (the UI routes inside the page). An allowlisted portal link
 * opens in the system browser instead.
 */
export function onWillNavigate(event: PreventableEvent, url: string, openExternal: OpenExternal): void {
  event.preventDefault();
  if (isAllowedExternalUrl(url)) openExternal(url);
}

/** setWindowOpenHandler: no new windows, ever; portal links go to the system browser. */
export function windowOpenPolicy(details: { url: string }, openExternal: OpenExternal): { action: 'deny' } {
  if (isAllowedExternalUrl(details.url)) openExternal(details.url);
  return { action: 'deny' };
}

/**
 * The one permission granted: writing text to the clipboard (Chromium's
 * 'clipboard-sanitized-write', e.g. "copy this command"), only for our own
 * page. Reading the clipboard, camera, notifications, geolocation, HID...
 * are all refused.
 */
function grantable(permission: string, url: string | undefined): boolean {
  return permission === 'clipboard-sanitized-write' && typeof url === 'string' && isAppUrl(url);
}

/** setPermissionRequestHandler. */
export function permissionRequestPolicy(
  _webContents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details?: { requestingUrl?: string },
): void {
  callback(grantable(permission, details?.requestingUrl));
}

/** setPermissionCheckHandler: the synchronous checks, same answer. */
export function permissionCheckPolicy(_webContents: unknown, permission: string, requestingOrigin: string): boolean {
  return grantable(permission, requestingOrigin);
}

/** will-attach-webview: webviewTag is off, and this refuses it again should it ever be turned on. */
export function onWillAttachWebview(event: PreventableEvent): void {
  event.preventDefault();
}

/**
 * session.webRequest.onHeadersReceived: every response the window receives
 * carries our CSP (any CSP the response brought is replaced, never relaxed).
 */
export function withCspHeader(responseHeaders: Record<string, string | string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(responseHeaders ?? {})) {
    const lower = k.toLowerCase();
    if (lower === 'content-security-policy' || lower === 'content-security-policy-report-only') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [contentSecurityPolicy];
  out['X-Content-Type-Options'] = ['nosniff'];
  return out;
}

/**
 * An IPC message is served only when it comes from our window's main frame
 * showing our own page: not from a subframe, another window, or a page the
 * window was somehow navigated to.
 */
export function isTrustedSender(sender: { frameUrl: string | null | undefined; isMainFrame: boolean; isOurWindow: boolean }): boolean {
  return sender.isOurWindow && sender.isMainFrame && typeof sender.frameUrl === 'string' && isAppUrl(sender.frameUrl);
}

/** The web preferences of the one window (window.ts): the values the tests pin. */
export const secureWebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  safeDialogs: true,
} as const;

/**
 * Requests the window may make (session.webRequest.onBeforeRequest): our
 * own files, inline data and blobs, the dev tools. Anything on the network
 * is cancelled — the CSP says the same; this holds even if a page escaped it.
 */
export function isRequestAllowed(url: string): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === `${appScheme}:`) return u.host === appHost;
  return u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'devtools:' || u.protocol === 'chrome-extension:';
}

/** `--store PATH` or `--store=PATH` on the app's command line (the same flag as the CLI), else undefined. */
export function storeFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--store') {
      const next = argv[i + 1];
      return next && !next.startsWith('--') ? next : undefined;
    }
    if (a.startsWith('--store=')) return a.slice('--store='.length) || undefined;
  }
  return undefined;
}
