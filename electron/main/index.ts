/**
 * Electron main: app lifecycle, windows, menus, dialogs and the other shell
 * methods only. The window is made in window.ts, the policies live in
 * security.ts; the work (electron/core, the same core the CLI and web mode
 * call) runs on the engine worker (core/host), so synchronous SQLite, PDF
 * and xlsx work never stalls menus or window events. Compiled to build/out by scripts/build-main.mjs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { app, Menu, safeStorage, session, shell, type BrowserWindow, type WebContents } from 'electron';
import type { ShellHandlers } from '../core/api/types.ts';
import { defaultStorePath } from '../core/context.ts';
import { openStoreOn } from '../core/host/app-relay.ts';
import { startEngineHost } from '../core/host/engine-host.ts';
import { terminalSafe } from '../core/terminal-text.ts';
import { toolVersion } from '../core/version.ts';
import { badInput } from '../core/errors.ts';
import { pruneStaging, stageBytes } from '../core/staging.ts';
import { defaultRendererDir, rendererIsBuilt } from '../core/web/renderer-build.ts';
import { cliModeArgs, runCliMode } from './cli-mode.ts';
import { dialogHandlers } from './dialogs.ts';
import { registerIpc, sendEvent } from './ipc.ts';
import { buildMenuTemplate } from './menu.ts';
import { createPassphraseKeeper } from './passphrase.ts';
import { registerAppScheme, serveRenderer } from './protocol.ts';
import {
  isAllowedExternalUrl,
  isRequestAllowed,
  permissionCheckPolicy,
  permissionRequestPolicy,
  storeFromArgv,
  withCspHeader,
} from './security.ts';
import { createMainWindow, lockDownContents } from './window.ts';

// `vaultproof-desktop --cli ARGS` (the installed `vaultproof` command): the CLI in this process, then exit; no window, no app-ready work.
const cliArgs = cliModeArgs(process.argv);
if (cliArgs) await runCliMode(cliArgs, { exit: (code) => app.exit(code) });

const here = import.meta.dirname;
const preloadPath = path.join(here, '..', 'preload', 'index.cjs');

// The desktop app and the CLI share one data folder: the core's default store lives there.
app.setPath('userData', path.dirname(defaultStorePath()));
app.enableSandbox();
registerAppScheme();

const storeOverride = storeFromArgv(process.argv);
const engine = startEngineHost({
  ...(storeOverride !== undefined ? { storePath: storeOverride } : {}),
  onCrash: (message) => process.stderr.write(terminalSafe(`vaultproof: ${message}\n`)),
  // The store's upgrade as it opens (STORE_UPGRADE_JOB): the window shows it as a notice.
  onEvent: (e) => sendEvent(mainWindow, { type: 'progress', ...e }),
});
let mainWindow: BrowserWindow | null = null;

function openExternal(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
}

function shellHandlers(): ShellHandlers {
  const keeper = createPassphraseKeeper(safeStorage, path.join(app.getPath('userData'), 'passphrases.json'));
  return {
    ...dialogHandlers(() => mainWindow),
    'files.stage': ({ name, bytes }) => ({ path: stageBytes(engine.storePath(), name, bytes) }),
    'shell.openExternal': ({ url }) => {
      if (!isAllowedExternalUrl(url)) return { opened: false };
      void shell.openExternal(url);
      return { opened: true };
    },
    'shell.showInFolder': ({ path: target }) => {
      if (!fs.existsSync(target)) throw badInput(`${target} does not exist`);
      shell.showItemInFolder(target);
      return { shown: true };
    },
    'app.info': () => ({ kind: 'electron', version: toolVersion, storePath: engine.storePath(), platform: process.platform, nativeDialogs: true }),
    'app.openStore': ({ path: storePath }) => openStoreOn(engine, storePath),
    'passphrase.status': ({ identity }) => keeper.status(identity),
    'passphrase.save': ({ identity, passphrase }) => keeper.save(identity, passphrase),
    'passphrase.get': ({ identity }) => keeper.get(identity),
    'passphrase.forget': ({ identity }) => keeper.forget(identity),
  };
}

function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler(permissionRequestPolicy);
  ses.setPermissionCheckHandler(permissionCheckPolicy);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isRequestAllowed(details.url) }));
  ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withCspHeader(details.responseHeaders) }));
}

async function start(): Promise<void> {
  await app.whenReady();
  lockDownSession();
  const rendererDir = defaultRendererDir();
  if (!rendererIsBuilt(rendererDir)) {
    process.stderr.write(`vaultproof: the UI is not built (${rendererDir} has no index.html): run \`npm run build:renderer\`\n`);
  }
  serveRenderer(session.defaultSession, rendererDir);
  pruneStaging(engine.storePath(), Date.now());
  void engine.ping(); // starts the engine thread while the window loads, not on the first click

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        platform: process.platform,
        development: !app.isPackaged,
        send: (action) => sendEvent(mainWindow, { type: 'menu', action }),
        showStoreFolder: () => void shell.openPath(path.dirname(engine.storePath())),
      }),
    ),
  );
  registerIpc({ window: () => mainWindow, engine: () => engine, shell: shellHandlers() });
  const icon = path.join(here, '..', '..', 'icon.png'); // copied from build/icons by build-main / stage
  mainWindow = createMainWindow({ preloadPath, openExternal, ...(fs.existsSync(icon) ? { icon } : {}) });
  mainWindow.on('closed', () => {
    mainWindow = null;
    engine.cancelAll(); // nobody is left to see what running jobs would produce
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another Vaultproof owns the store: hand over to it (second-instance below) and leave.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents: WebContents) => lockDownContents(contents, openExternal));
  app.on('window-all-closed', () => app.quit());
  let quitting = false;
  app.on('will-quit', (event) => {
    if (quitting) return;
    // Cancelled jobs wind down and the store closes cleanly on the engine's thread before the process ends.
    event.preventDefault();
    quitting = true;
    engine.cancelAll();
    void engine.close().finally(() => app.quit());
  });
  start().catch((err: unknown) => {
    process.stderr.write(terminalSafe(`vaultproof: the app could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`));
    app.exit(2);
  });
}
