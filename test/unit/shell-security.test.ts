import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
// eslint-disable-next-line vaultproof/import-runtime -- types only: the menu template's shape
import type { MenuItemConstructorOptions } from 'electron';
// eslint-disable-next-line vaultproof/import-runtime -- the shell's policies are plain functions (no electron at run time), tested here with fake events
import {
  isAllowedExternalUrl,
  isAppUrl,
  isRequestAllowed,
  isTrustedSender,
  onWillAttachWebview,
  onWillNavigate,
  permissionCheckPolicy,
  permissionRequestPolicy,
  secureWebPreferences,
  storeFromArgv,
  windowOpenPolicy,
  withCspHeader,
} from '../../electron/main/security.ts';
// eslint-disable-next-line vaultproof/import-runtime -- the shell's policies are plain functions (no electron at run time), tested here with fake events
import { buildMenuTemplate } from '../../electron/main/menu.ts';
import type { MenuAction } from '../../shared/contract/shell.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** A fake Electron event that records preventDefault(). */
function fakeEvent(): { preventDefault(): void; prevented: boolean } {
  const e = {
    prevented: false,
    preventDefault() {
      e.prevented = true;
    },
  };
  return e;
}

function opener(): { open: (url: string) => void; opened: string[] } {
  const opened: string[] = [];
  return { open: (url) => opened.push(url), opened };
}

describe('navigation policy', () => {
  it('stops every navigation, including to our own origin and to http pages', () => {
    for (const url of ['app://vaultproof/index.html', 'https://example.com/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'javascript:alert(1)']) {
      const ev = fakeEvent();
      const o = opener();
      onWillNavigate(ev, url, o.open);
      assert.equal(ev.prevented, true, url);
      assert.deepEqual(o.opened, [], url);
    }
  });

  it('hands an Azure portal link to the system browser instead of navigating', () => {
    const ev = fakeEvent();
    const o = opener();
    onWillNavigate(ev, 'https://portal.azure.com/#@contoso/resource/subscriptions/x', o.open);
    assert.equal(ev.prevented, true);
    assert.deepEqual(o.opened, ['https://portal.azure.com/#@contoso/resource/subscriptions/x']);
  });
});

describe('external link allowlist', () => {
  it('allows the three Azure portal hosts over https only', () => {
    assert.equal(isAllowedExternalUrl('https://portal.azure.com/'), true);
    assert.equal(isAllowedExternalUrl('https://portal.azure.us/#blade'), true);
    assert.equal(isAllowedExternalUrl('https://PORTAL.AZURE.CN/x'), true);
  });

  it('refuses look-alikes, other schemes, credentials and ports', () => {
    for (const url of [
      'http://portal.azure.com/',
      'https://portal.azure.com.evil.example/',
      'https://evilportal.azure.com/',
      'https://evil.example/?portal.azure.com',
      'https://user:pw@portal.azure.com/',
      'https://portal.azure.com:8443/',
      'file:///portal.azure.com',
      'javascript://portal.azure.com/%0aalert(1)',
      'not a url',
    ]) {
      assert.equal(isAllowedExternalUrl(url), false, url);
    }
  });
});

describe('window.open policy', () => {
  it('denies every new window and opens only portal links externally', () => {
    const o = opener();
    assert.deepEqual(windowOpenPolicy({ url: 'https://example.com/' }, o.open), { action: 'deny' });
    assert.deepEqual(windowOpenPolicy({ url: 'app://vaultproof/index.html' }, o.open), { action: 'deny' });
    assert.deepEqual(windowOpenPolicy({ url: 'https://portal.azure.us/x' }, o.open), { action: 'deny' });
    assert.deepEqual(o.opened, ['https://portal.azure.us/x']);
  });
});

describe('permission policy', () => {
  it('refuses every permission request and check but clipboard writing from our page', () => {
    const ask = (permission: string, requestingUrl: string): boolean | undefined => {
      let answer: boolean | undefined;
      permissionRequestPolicy({}, permission, (granted) => {
        answer = granted;
      }, { requestingUrl });
      return answer;
    };
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'unknown']) {
      assert.equal(ask(p, 'app://vaultproof/index.html'), false, p);
      assert.equal(permissionCheckPolicy({}, p, 'app://vaultproof'), false, p);
    }
    assert.equal(ask('clipboard-sanitized-write', 'app://vaultproof/index.html'), true);
    assert.equal(permissionCheckPolicy({}, 'clipboard-sanitized-write', 'app://vaultproof'), true);
    assert.equal(ask('clipboard-sanitized-write', 'https://evil.example/'), false);
    assert.equal(ask('clipboard-sanitized-write', 'file:///tmp/x.html'), false);
    assert.equal(permissionCheckPolicy({}, 'clipboard-sanitized-write', 'https://evil.example'), false);
    let answer: boolean | undefined;
    permissionRequestPolicy({}, 'clipboard-sanitized-write', (g) => {
      answer = g;
    });
    assert.equal(answer, false, 'no requesting URL: refused');
  });

  it('refuses webviews', () => {
    const ev = fakeEvent();
    onWillAttachWebview(ev);
    assert.equal(ev.prevented, true);
  });
});

describe('CSP header', () => {
  it('replaces any CSP a response brings with ours, keeping other headers', () => {
    const headers = withCspHeader({
      'content-security-policy': ["default-src *; script-src 'unsafe-eval' https://cdn.example"],
      'Content-Security-Policy-Report-Only': 'default-src *',
      'Content-Type': 'text/html',
    });
    const keys = Object.keys(headers).map((k) => k.toLowerCase());
    assert.equal(keys.filter((k) => k === 'content-security-policy').length, 1);
    assert.equal(keys.includes('content-security-policy-report-only'), false);
    assert.deepEqual(headers['Content-Type'], ['text/html']);
    const csp = headers['Content-Security-Policy']![0]!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-eval|https?:|\*/);
    assert.deepEqual(headers['X-Content-Type-Options'], ['nosniff']);
  });
});

describe('IPC sender check', () => {
  it('serves only our window main frame showing our page', () => {
    assert.equal(isTrustedSender({ frameUrl: 'app://vaultproof/index.html', isMainFrame: true, isOurWindow: true }), true);
    assert.equal(isTrustedSender({ frameUrl: 'file:///opt/vaultproof/renderer/index.html', isMainFrame: true, isOurWindow: true }), false);
    assert.equal(isTrustedSender({ frameUrl: 'app://vaultproof/index.html', isMainFrame: false, isOurWindow: true }), false);
    assert.equal(isTrustedSender({ frameUrl: 'app://vaultproof/index.html', isMainFrame: true, isOurWindow: false }), false);
    assert.equal(isTrustedSender({ frameUrl: 'https://evil.example/', isMainFrame: true, isOurWindow: true }), false);
    assert.equal(isTrustedSender({ frameUrl: 'app://other/index.html', isMainFrame: true, isOurWindow: true }), false);
    assert.equal(isTrustedSender({ frameUrl: null, isMainFrame: true, isOurWindow: true }), false);
    assert.equal(isAppUrl('app://vaultproof.evil/x'), false);
  });
});

describe('network requests from the window', () => {
  it('allows our files, data and blobs; cancels the network', () => {
    assert.equal(isRequestAllowed('app://vaultproof/assets/index.js'), true);
    assert.equal(isRequestAllowed('data:image/png;base64,AAAA'), true);
    assert.equal(isRequestAllowed('blob:app://vaultproof/1234'), true);
    assert.equal(isRequestAllowed('https://portal.azure.com/'), false);
    assert.equal(isRequestAllowed('http://127.0.0.1:9999/rpc'), false);
    assert.equal(isRequestAllowed('file:///etc/passwd'), false);
    assert.equal(isRequestAllowed('ws://localhost/'), false);
  });
});

describe('store override on the command line', () => {
  it('reads --store PATH and --store=PATH, else nothing', () => {
    assert.equal(storeFromArgv(['/usr/bin/vaultproof', '--store', '/data/audit.db']), '/data/audit.db');
    assert.equal(storeFromArgv(['electron', '.', '--store=/x/y.db']), '/x/y.db');
    assert.equal(storeFromArgv(['electron', '.', '--store', '--inspect']), undefined);
    assert.equal(storeFromArgv(['electron', '.']), undefined);
  });
});

describe('the one window', () => {
  it('has the locked-down web preferences', () => {
    assert.equal(secureWebPreferences.contextIsolation, true);
    assert.equal(secureWebPreferences.sandbox, true);
    assert.equal(secureWebPreferences.nodeIntegration, false);
    assert.equal(secureWebPreferences.webviewTag, false);
    assert.equal(secureWebPreferences.webSecurity, true);
    assert.equal(secureWebPreferences.allowRunningInsecureContent, false);
  });

  it('is created in window.ts only, with those preferences', () => {
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) files.push(p);
      }
    };
    walk(path.join(root, 'electron'));
    const creating = files.filter((f) => /new BrowserWindow\(|webPreferences\s*:/.test(fs.readFileSync(f, 'utf8')));
    assert.deepEqual(creating.map((f) => path.relative(root, f)), [path.join('electron', 'main', 'window.ts')]);
    const src = fs.readFileSync(path.join(root, 'electron', 'main', 'window.ts'), 'utf8');
    assert.match(src, /webPreferences: \{ \.\.\.secureWebPreferences, preload: opts\.preloadPath \}/);
  });

  it('only electron/main and electron/preload import electron', () => {
    const offenders: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts') && /from 'electron'/.test(fs.readFileSync(p, 'utf8'))) offenders.push(path.relative(root, p));
      }
    };
    for (const dir of ['electron/core', 'electron/cli', 'shared']) walk(path.join(root, dir));
    assert.deepEqual(offenders, []);
  });
});

describe('menu', () => {
  function collect(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
    const out: MenuItemConstructorOptions[] = [];
    for (const item of template) {
      out.push(item);
      if (Array.isArray(item.submenu)) out.push(...collect(item.submenu));
    }
    return out;
  }

  it('has File, Edit, View, Help; File items send their action to the renderer', () => {
    const sent: MenuAction[] = [];
    const template = buildMenuTemplate({ platform: 'linux', development: false, send: (a) => sent.push(a), showStoreFolder: () => {} });
    assert.deepEqual(template.map((m) => m.label), ['&File', '&Edit', '&View', '&Help']);
    const file = template[0]!.submenu as MenuItemConstructorOptions[];
    const labels = file.filter((i) => i.label).map((i) => i.label!.replace('&', ''));
    for (const l of ['Import…', 'Collect…', 'New pack…', 'Verify pack…', 'Open store…']) assert.ok(labels.includes(l), l);
    for (const i of file) if (i.click && i.label !== 'Show store folder') (i.click as () => void)();
    assert.deepEqual(sent, ['import', 'collect', 'newPack', 'verifyPack', 'openStore']);
  });

  it('gives every command a distinct accelerator and hides dev tools when packaged', () => {
    const all = collect(buildMenuTemplate({ platform: 'win32', development: false, send: () => {}, showStoreFolder: () => {} }));
    const accels = all.map((i) => i.accelerator).filter((a): a is string => typeof a === 'string');
    assert.ok(accels.length >= 13);
    assert.equal(new Set(accels).size, accels.length);
    assert.equal(all.some((i) => i.role === 'toggleDevTools'), false);
    const dev = collect(buildMenuTemplate({ platform: 'linux', development: true, send: () => {}, showStoreFolder: () => {} }));
    assert.equal(dev.some((i) => i.role === 'toggleDevTools'), true);
  });

  it('adds the application menu on macOS', () => {
    const template = buildMenuTemplate({ platform: 'darwin', development: false, send: () => {}, showStoreFolder: () => {} });
    assert.equal(template[0]!.label, 'Vaultproof');
  });
});
