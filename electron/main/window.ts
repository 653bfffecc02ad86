/**
 * The one place a BrowserWindow is created and its webPreferences set.
 * Every policy it installs is a plain function from security.ts.
 */
import { BrowserWindow, type WebContents } from 'electron';
import {
  appEntryUrl,
  onWillAttachWebview,
  onWillNavigate,
  secureWebPreferences,
  windowOpenPolicy,
  type OpenExternal,
} from './security.ts';

const lockedDown = new WeakSet<WebContents>();

/** Navigation, redirects, window.open and webviews refused on any web contents (also called from app 'web-contents-created'). */
export function lockDownContents(contents: WebContents, openExternal: OpenExternal): void {
  if (lockedDown.has(contents)) return; // once: a portal link must open one browser tab, not two
  lockedDown.add(contents);
  contents.on('will-navigate', (event) => onWillNavigate(event, event.url, openExternal));
  contents.on('will-frame-navigate', (event) => {
    // In-page (hash) navigations are not real navigations; everything else is refused.
    if (!event.isSameDocument) onWillNavigate(event, event.url, openExternal);
  });
  contents.on('will-redirect', (event) => onWillNavigate(event, event.url, openExternal));
  contents.on('will-attach-webview', (event) => onWillAttachWebview(event));
  contents.setWindowOpenHandler((details) => windowOpenPolicy(details, openExternal));
}

export function createMainWindow(opts: { preloadPath: string; openExternal: OpenExternal; icon?: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Vaultproof',
    ...(opts.icon ? { icon: opts.icon } : {}),
    webPreferences: { ...secureWebPreferences, preload: opts.preloadPath },
  });
  lockDownContents(win.webContents, opts.openExternal);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appEntryUrl);
  return win;
}
