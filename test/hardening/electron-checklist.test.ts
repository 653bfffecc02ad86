/**
 * The Electron security checklist (electronjs.org/docs/latest/tutorial/security),
 * item by item, as checks on the sources: the Electron binary cannot run
 * here, so what can be proved statically is proved statically. The policies
 * themselves are tested as plain functions in test/unit/shell-security.test.ts
 * and test/unit/preload.test.ts; these tests prove they are the ones wired in,
 * and that nothing anywhere turns a protection off.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { contentSecurityPolicy } from '../../electron/core/web/static-files.ts';
// eslint-disable-next-line vaultproof/import-runtime -- the shell's policies are plain functions (no electron at run time)
import { appEntryUrl, isAllowedExternalUrl, isAppUrl, isRequestAllowed, secureWebPreferences } from '../../electron/main/security.ts';
import { repoRoot } from '../harness/cli.ts';

function sources(dir: string, exts = /\.(ts|tsx|cjs|mjs|js|html)$/): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'out' || e.name === 'dist') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (exts.test(e.name)) out.push({ file: path.relative(repoRoot, p), text: fs.readFileSync(p, 'utf8') });
    }
  };
  walk(path.join(repoRoot, dir));
  return out;
}

const app = [...sources('electron'), ...sources('renderer'), ...sources('shared')];
const main = fs.readFileSync(path.join(repoRoot, 'electron', 'main', 'index.ts'), 'utf8');

function offenders(pattern: RegExp, files = app): string[] {
  return files.filter((f) => pattern.test(f.text)).map((f) => f.file);
}

describe('Electron security checklist', () => {
  it('1. only secure content: the window loads app://vaultproof/index.html, and the session cancels every request outside it', () => {
    assert.equal(appEntryUrl, 'app://vaultproof/index.html');
    const loads = app.flatMap((f) => [...f.text.matchAll(/\.(loadURL|loadFile)\(([^)]*)\)/g)].map((m) => `${f.file}: ${m[0]}`));
    assert.deepEqual(loads, ['electron/main/window.ts: .loadURL(appEntryUrl)']);
    assert.match(main, /webRequest\.onBeforeRequest\(\(details, callback\) => callback\(\{ cancel: !isRequestAllowed\(details\.url\) \}\)\)/);
    for (const url of ['http://example.com/x.js', 'https://cdn.example/x.js', 'file:///etc/passwd', 'ftp://x/y']) assert.equal(isRequestAllowed(url), false, url);
  });

  it('2–3, 6, 8–11. no source turns a protection off, enables Blink features, or uses webviews', () => {
    const forbidden: Array<[string, RegExp]> = [
      ['nodeIntegration: true', /nodeIntegration(InSubFrames|InWorker)?\s*:\s*true/],
      ['contextIsolation: false', /contextIsolation\s*:\s*false/],
      ['sandbox: false', /sandbox\s*:\s*false/],
      ['webSecurity: false', /webSecurity\s*:\s*false/],
      ['allowRunningInsecureContent: true', /allowRunningInsecureContent\s*:\s*true/],
      ['experimentalFeatures: true', /experimentalFeatures\s*:\s*true/],
      ['enableBlinkFeatures', /enableBlinkFeatures/],
      ['webviewTag: true', /webviewTag\s*:\s*true/],
      ['<webview', /<webview/i],
      ['allowpopups', /allowpopups/i],
      ['disable-web-security', /disable-web-security|ignore-certificate-errors/],
    ];
    for (const [what, re] of forbidden) assert.deepEqual(offenders(re), [], what);
    assert.deepEqual(
      Object.entries(secureWebPreferences).filter(([k]) => ['contextIsolation', 'sandbox', 'webSecurity'].includes(k)),
      [['contextIsolation', true], ['sandbox', true], ['webSecurity', true]],
    );
  });

  it('4. process sandboxing for every renderer: app.enableSandbox() before the app is ready', () => {
    const at = main.indexOf('app.enableSandbox();');
    assert.ok(at > 0, 'app.enableSandbox() is called');
    assert.ok(at < main.indexOf('app.whenReady()'), 'and before whenReady');
  });

  it('5. permission requests, checks and device access are all answered by the policies', () => {
    assert.match(main, /setPermissionRequestHandler\(permissionRequestPolicy\)/);
    assert.match(main, /setPermissionCheckHandler\(permissionCheckPolicy\)/);
    assert.match(main, /setDevicePermissionHandler\(\(\) => false\)/);
  });

  it('7. a strict Content-Security-Policy on every response, from the protocol handler and the session', () => {
    const d = Object.fromEntries(contentSecurityPolicy.split(';').map((x) => x.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    assert.deepEqual(d['default-src'], ["'none'"]);
    assert.deepEqual(d['script-src'], ["'self'"], 'no inline or eval script, no remote script');
    assert.deepEqual(d['object-src'], ["'none'"]);
    assert.deepEqual(d['base-uri'], ["'none'"]);
    assert.deepEqual(d['frame-ancestors'], ["'none'"]);
    assert.deepEqual(d['connect-src'], ["'self'"]);
    assert.match(main, /onHeadersReceived\(\(details, callback\) => callback\(\{ responseHeaders: withCspHeader\(details\.responseHeaders\) \}\)\)/);
    assert.match(fs.readFileSync(path.join(repoRoot, 'electron', 'main', 'protocol.ts'), 'utf8'), /'content-security-policy': contentSecurityPolicy/);
    const html = fs.readFileSync(path.join(repoRoot, 'renderer', 'index.html'), 'utf8');
    assert.deepEqual([...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g)].map((m) => m[0]), [], 'no inline script in index.html');
  });

  it('12–14. navigation, new windows and webviews are refused on every web contents, not only the main window', () => {
    assert.match(main, /app\.on\('web-contents-created', \(_event, contents: WebContents\) => lockDownContents\(contents, openExternal\)\)/);
    const win = fs.readFileSync(path.join(repoRoot, 'electron', 'main', 'window.ts'), 'utf8');
    for (const hook of ["'will-navigate'", "'will-frame-navigate'", "'will-redirect'", "'will-attach-webview'", 'setWindowOpenHandler(']) assert.ok(win.includes(hook), hook);
  });

  it('15. shell.openExternal is only ever called on an allowlisted URL', () => {
    const calls = app.flatMap((f) => {
      const lines = f.text.split('\n');
      return lines.flatMap((line, i) => (line.includes('shell.openExternal(') ? [{ at: `${f.file}:${i + 1}`, guard: lines.slice(Math.max(0, i - 2), i + 1).join('\n') }] : []));
    });
    assert.ok(calls.length >= 1);
    for (const c of calls) assert.match(c.guard, /isAllowedExternalUrl\(/, `${c.at} is not guarded by isAllowedExternalUrl`);
    for (const url of ['https://portal.azure.com/#blade', 'https://portal.azure.com.evil.example/', 'http://portal.azure.com/', 'https://user@portal.azure.com/', 'javascript:alert(1)', 'file:///etc/passwd']) {
      assert.equal(isAllowedExternalUrl(url), url === 'https://portal.azure.com/#blade', url);
    }
  });

  it('17. one IPC channel, registered in one place, and its handler checks the sender', () => {
    assert.deepEqual(offenders(/ipcMain\.(handle|on|once|handleOnce)\(/), ['electron/main/ipc.ts']);
    const handler = fs.readFileSync(path.join(repoRoot, 'electron', 'main', 'ipc-handler.ts'), 'utf8');
    assert.match(handler, /if \(!isTrustedSender\(describeSender\(event, win\)\)\)/);
    assert.deepEqual(offenders(/exposeInMainWorld\(/), ['electron/preload/index.ts']);
    assert.equal((fs.readFileSync(path.join(repoRoot, 'electron', 'preload', 'index.ts'), 'utf8').match(/exposeInMainWorld\(/g) ?? []).length, 1);
  });

  it('18. no file:// — a custom protocol serves the UI, and a file:// page is not ours', () => {
    assert.deepEqual(offenders(/registerFileProtocol|interceptFileProtocol|loadFile\(/), []);
    assert.equal(isAppUrl('file:///opt/vaultproof/renderer/index.html'), false);
    assert.equal(isAppUrl('app://vaultproof/index.html'), true);
    assert.equal(isAppUrl('app://other/index.html'), false);
  });

  it('19. no remote module', () => {
    assert.deepEqual(offenders(/@electron\/remote|enableRemoteModule|require\(['"]electron['"]\)\.remote/), []);
  });

  it('20. the renderer never turns text into code or markup', () => {
    const renderer = sources('renderer', /\.(ts|tsx)$/);
    assert.deepEqual(offenders(/dangerouslySetInnerHTML|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write\(|\beval\(|new Function\(/, renderer), []);
  });

  it('21. a current Electron, pinned exactly, and the same version packaged', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const pinned = pkg.devDependencies.electron!;
    assert.match(pinned, /^\d+\.\d+\.\d+$/, 'an exact version, not a range');
    assert.ok(Number(pinned.split('.')[0]) >= 45, `Electron ${pinned}`);
    const yml = fs.readFileSync(path.join(repoRoot, 'build', 'electron-builder.yml'), 'utf8');
    assert.match(yml, new RegExp(`^electronVersion: ${pinned.replace(/\./g, '\\.')}$`, 'm'));
  });

  it('22. Electron fuses: RunAsNode, NODE_OPTIONS and --inspect off, code only from an integrity-checked app.asar — and nothing relies on what they turn off', () => {
    const yml = fs.readFileSync(path.join(repoRoot, 'build', 'electron-builder.yml'), 'utf8');
    const block = /^electronFuses:\n((?: {2}\w+: \w+\n)+)/m.exec(yml);
    assert.ok(block, 'an electronFuses block in build/electron-builder.yml');
    const fuses = Object.fromEntries(block[1]!.trim().split('\n').map((l) => l.trim().split(': ') as [string, string]));
    assert.deepEqual(fuses, {
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      enableCookieEncryption: 'true',
      grantFileProtocolExtraPrivileges: 'false',
      loadBrowserProcessSpecificV8Snapshot: 'false',
    });
    assert.match(yml, /^asar: true$/m, 'onlyLoadAppFromAsar needs the app packed as app.asar');
    // --cli mode runs the CLI in the main process; the launcher must not need ELECTRON_RUN_AS_NODE, nor any code fork() (which needs it).
    const launcher = fs.readFileSync(path.join(repoRoot, 'build', 'linux', 'vaultproof'), 'utf8');
    assert.match(launcher, /--cli "\$@"/);
    assert.deepEqual(offenders(/^[^#*]*ELECTRON_RUN_AS_NODE/m, [{ file: 'build/linux/vaultproof', text: launcher }]), []);
    assert.deepEqual(offenders(/\bfork\(|ELECTRON_RUN_AS_NODE\s*[:=]|NODE_OPTIONS\s*[:=]|--inspect/, sources('electron', /\.(ts|mts|cts)$/)), []);
  });
});
