/**
 * After a live collection (ARM emulator, service principal secret from an
 * environment variable), a signed pack (passphrase from an environment
 * variable) and a web-mode session, no secret is anywhere on disk in clear:
 * not the client secret, an access token, the pack passphrase, the web
 * token, nor an unencrypted private key — in the store folder (database,
 * write-ahead log, backups, identities, staging), the pack, the home folder
 * the SDKs may cache in, or the temporary folders the run used.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startWebServer } from '../../electron/core/web/server.ts';
import { startArmEmulator, type ArmEmulator } from '../harness/arm-emulator/index.ts';
import { cli, tempDir } from '../harness/cli.ts';

const PRIVATE_KEY_MARKERS = ['-----BEGIN PRIVATE KEY-----', 'BEGIN RSA PRIVATE KEY', 'BEGIN EC PRIVATE KEY', 'BEGIN OPENSSH PRIVATE KEY'];

/** Every regular file under these folders (symlinks not followed). */
function filesUnder(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/** Each secret as written, in base64, base64url and UTF-16 (how it could end up in a file or a p12). */
function needles(secrets: Record<string, string>): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  for (const [name, s] of Object.entries(secrets)) {
    out.push([name, Buffer.from(s, 'utf8')], [`${name} (base64)`, Buffer.from(Buffer.from(s).toString('base64').replace(/=+$/, ''))], [`${name} (UTF-16)`, Buffer.from(s, 'utf16le')]);
    if (!/^[A-Za-z0-9_-]+$/.test(s)) out.push([`${name} (base64url)`, Buffer.from(Buffer.from(s).toString('base64url'))]);
  }
  for (const m of PRIVATE_KEY_MARKERS) out.push([`an unencrypted private key (${m})`, Buffer.from(m)]);
  return out;
}

function scan(dirs: string[], secrets: Record<string, string>): { files: number; found: string[] } {
  const files = filesUnder(dirs);
  const found: string[] = [];
  const list = needles(secrets);
  for (const f of files) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(f);
    } catch (e) {
      // A SQLite sidecar (-shm, -journal) may go between listing and reading.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    for (const [name, n] of list) if (bytes.includes(n)) found.push(`${f}: ${name}`);
  }
  return { files: files.length, found };
}

function post(port: number, token: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: '/rpc', headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json', authorization: `Bearer ${token}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('no secret is written in clear', () => {
  const secret = `vp-sp-secret-${randomBytes(12).toString('hex')}`;
  const passphrase = `vp pack passphrase ${randomBytes(12).toString('hex')}`;
  let emu: ArmEmulator;
  let dir: string;
  let home: string;
  let savedHome: string | undefined;
  before(async () => {
    emu = await startArmEmulator({ servicePrincipals: [{ clientId: 'app-vaultproof', secret }] });
    dir = tempDir('vp-secrets-');
    // Anything an SDK caches under the home folder lands where this test can look.
    home = path.join(dir, 'home');
    fs.mkdirSync(home);
    savedHome = process.env.HOME;
    process.env.HOME = home;
  });
  after(async () => {
    process.env.HOME = savedHome;
    await emu.close();
  });

  it('after collecting, signing a pack and a web session: the store folder, the pack, the home and temp folders hold none', async (t) => {
    const storeDir = path.join(dir, 'store');
    const store = path.join(storeDir, 'vaultproof.db');
    const caFile = path.join(dir, 'emulator-ca.pem');
    fs.writeFileSync(caFile, emu.ca);
    const tmpBefore = new Set(fs.readdirSync(os.tmpdir()));
    const env = { VAULTPROOF_NOW: new Date(emu.estate.baseTimeMs).toISOString(), VAULTPROOF_USER: 'auditor1', VP_SP_SECRET: secret, VP_PASSPHRASE: passphrase };

    const collect = await cli(
      ['collect', '--cloud', 'custom', '--arm-endpoint', emu.url, '--authority-host', emu.url, '--ca-file', caFile, '--auth', 'sp', '--tenant', emu.estate.tenantId, '--client-id', 'app-vaultproof', '--client-secret-env', 'VP_SP_SECRET', '--subscription', emu.estate.subscriptions[0]!.subscriptionId, '--store', store, '--json'],
      env,
    );
    assert.equal(collect.code, 0, collect.stderr);
    const snapshotId = (JSON.parse(collect.stdout) as { snapshotId: string }).snapshotId;
    const tokens = [...emu.authority.issued.keys()];
    assert.ok(tokens.length > 0, 'the service principal was issued tokens');

    const pack = path.join(dir, 'pack');
    const built = await cli(['pack', snapshotId, '--out', pack, '--sign-self-signed', '--signer-name', 'Ada Auditor', '--passphrase-env', 'VP_PASSPHRASE', '--store', store, '--json'], env);
    assert.equal(built.code, 0, built.stderr);

    const rendererDir = path.join(dir, 'renderer');
    fs.mkdirSync(rendererDir);
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Vaultproof</title>');
    const server = await startWebServer({ storePath: store, rendererDir });
    let serverOpen = true;
    t.after(async () => {
      if (serverOpen) await server.close();
    });
    const secrets: Record<string, string> = { 'the client secret': secret, 'the pack passphrase': passphrase, 'the web token': server.token };
    tokens.forEach((t, i) => {
      secrets[`access token ${i + 1}`] = t;
      secrets[`access token ${i + 1} (header and claims)`] = t.split('.').slice(0, 2).join('.');
    });
    const items = JSON.parse((await post(server.port, server.token, { method: 'items.query', input: { snapshot: snapshotId, limit: 1 } })).body) as { ok: boolean; value: { items: Array<{ key: string }> } };
    assert.equal(items.ok, true);
    const set = await post(server.port, server.token, { method: 'annotations.set', input: { target: items.value.items[0]!.key, owner: 'Web Owner', reason: 'web session' } });
    assert.equal(set.status, 200, set.body);

    // Of the temp folder, what Vaultproof itself makes there (collection spools, demo packs) — other tests run beside this one.
    const tmpNew = fs.readdirSync(os.tmpdir()).filter((f) => !tmpBefore.has(f) && f.startsWith('vaultproof-')).map((f) => path.join(os.tmpdir(), f));
    const dirs = [storeDir, pack, home, ...tmpNew];
    // Once while the web session holds the store open (its write-ahead log is live), once after.
    const open = scan(dirs, secrets);
    await server.close();
    serverOpen = false;
    const closed = scan(dirs, secrets);
    assert.ok(open.files >= 10 && closed.files >= 10, `scanned ${open.files} and ${closed.files} files`);
    assert.deepEqual([...open.found, ...closed.found], []);
    // The scan does see a secret where there is one (here: base64, as a careless log line might write it).
    const canary = path.join(dir, 'canary');
    fs.mkdirSync(canary);
    fs.writeFileSync(path.join(canary, 'debug.log'), `auth=${Buffer.from(passphrase).toString('base64')}\n`);
    assert.ok(scan([canary], secrets).found.includes(`${path.join(canary, 'debug.log')}: the pack passphrase (base64)`));
    // The signing key is on disk only inside the passphrase-encrypted PKCS#12.
    const identities = fs.readdirSync(path.join(storeDir, 'identities'));
    assert.ok(identities.some((f) => f.endsWith('.p12')), identities.join(', '));
  });
});
