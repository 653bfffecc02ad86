import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../harness/cli.ts';
import { emulatorTls, startArmEmulator, type ArmEmulator } from '../harness/arm-emulator/index.ts';
import { tempDir } from './helpers.ts';

const audience = 'https://management.vaultproof.test/';

describe('vaultproof collect / kit (CLI)', () => {
  let emu: ArmEmulator;
  let caFile: string;
  let env: Record<string, string>;
  before(async () => {
    emu = await startArmEmulator({
      servicePrincipals: [{ clientId: 'app-vaultproof', secret: 'not-a-real-secret-7f' }],
      // A custom cloud whose ARM token audience is not its URL (as Azure Stack Hub): found through /metadata/endpoints.
      audience,
    });
    caFile = path.join(tempDir(), 'emulator-ca.pem');
    fs.writeFileSync(caFile, emu.ca);
    env = { VAULTPROOF_NOW: new Date(emu.estate.baseTimeMs).toISOString(), VAULTPROOF_USER: 'auditor1', VP_TEST_SECRET: 'not-a-real-secret-7f' };
  });
  after(async () => {
    await emu.close();
  });

  const spArgs = (store: string, extra: string[] = []) => [
    'collect',
    '--cloud', 'custom',
    '--arm-endpoint', emu.url,
    '--authority-host', emu.url,
    '--ca-file', caFile,
    '--auth', 'sp',
    '--tenant', emu.estate.tenantId,
    '--client-id', 'app-vaultproof',
    ...extra,
    '--subscription', emu.estate.subscriptions[0]!.subscriptionId,
    '--subscription', emu.estate.subscriptions[1]!.subscriptionId,
    '--include', 'jobs,backup-vaults',
    '--label', 'July review',
    '--store', store,
    '--json',
  ];

  it('--cloud custom --auth sp signs in through the real ClientSecretCredential against the fake authority and prints the documented JSON', async () => {
    const store = path.join(tempDir(), 's.db');
    const before = emu.requests.length;
    const r = await cli(spArgs(store, ['--client-secret-env', 'VP_TEST_SECRET']), env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { snapshotId: string; itemCount: number; complete: boolean; coverage: Array<Record<string, unknown>> };
    assert.deepEqual(Object.keys(out), ['snapshotId', 'itemCount', 'complete', 'coverage']);
    assert.equal(out.itemCount, 42);
    assert.equal(out.complete, true);
    assert.equal(out.coverage.length, 2 + 8);
    for (const c of out.coverage) {
      assert.deepEqual(Object.keys(c), ['scope', 'status', 'error']);
      assert.equal(c.status, 'collected');
      assert.equal(c.error, null);
    }
    // MSAL read the OpenID configuration and asked the token endpoint for the advertised audience.
    const mine = emu.requests.slice(before);
    assert.ok(mine.some((q) => /\/v2\.0\/\.well-known\/openid-configuration$/.test(q.path)), 'MSAL read the OpenID configuration');
    assert.ok(mine.some((q) => q.path === '/metadata/endpoints'), 'the audience was asked at /metadata/endpoints');
    const tokens = emu.authority.tokenRequests.filter((t) => t.clientId === 'app-vaultproof');
    assert.deepEqual(tokens.at(-1), { tenant: emu.estate.tenantId, grantType: 'client_credentials', clientId: 'app-vaultproof', scope: `${audience}.default`, ok: true });
    // Every ARM call went to the given endpoint with the service principal's token.
    const arm = mine.filter((q) => q.path.startsWith('/subscriptions') || q.path.startsWith('/providers'));
    assert.ok(arm.length > 20, 'ARM calls were made');
    assert.ok(arm.every((q) => q.principal === 'app-vaultproof' && q.host === `127.0.0.1:${emu.port}`));

    const list = JSON.parse((await cli(['snapshots', '--store', store, '--json'], env)).stdout) as Array<{ id: string; source: string; complete: boolean; label: string }>;
    assert.deepEqual(list.map((s) => [s.id, s.source, s.complete, s.label]), [[out.snapshotId, 'live', true, 'July review']]);
    // Only the non-secret sign-in material may be on disk: never the secret.
    const storeDir = path.dirname(store);
    for (const f of fs.readdirSync(storeDir, { recursive: true }) as string[]) {
      const p = path.join(storeDir, f);
      if (fs.statSync(p).isFile()) assert.ok(!fs.readFileSync(p).includes('not-a-real-secret-7f'), `${f} holds the secret`);
    }
  });

  it('a 403 vault: exit 4, the JSON is still printed, and `snapshots` shows the snapshot incomplete', async () => {
    const store = path.join(tempDir(), 's.db');
    emu.forbidVault('rsv-s2-v003');
    try {
      const r = await cli(spArgs(store, ['--client-secret-env', 'VP_TEST_SECRET']), env);
      assert.equal(r.code, 4, r.stderr);
      const out = JSON.parse(r.stdout) as { complete: boolean; itemCount: number; coverage: Array<{ scope: string; status: string; error: { code: string; message: string } | null }> };
      assert.equal(out.complete, false);
      assert.equal(out.itemCount, 36);
      const failed = out.coverage.filter((c) => c.status === 'failed');
      assert.deepEqual(failed.map((c) => [c.scope.split('/').pop(), c.error?.code]), [['rsv-s2-v003', 'AuthorizationFailed']]);
      const list = JSON.parse((await cli(['snapshots', '--store', store, '--json'], env)).stdout) as Array<{ complete: boolean }>;
      assert.equal(list[0]!.complete, false);
    } finally {
      emu.clearFaults();
    }
  });

  it('a client certificate signs in through the real ClientCertificateCredential', async () => {
    const dir = tempDir();
    const pem = path.join(dir, 'sp.pem');
    const t = emulatorTls();
    fs.writeFileSync(pem, `${t.cert}${t.key}`);
    const store = path.join(dir, 's.db');
    const r = await cli(spArgs(store, ['--client-certificate', pem]), env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { itemCount: number }).itemCount, 42);
  });

  it('--auth device shows the code once (stderr) and keeps only the AuthenticationRecord next to the store', async () => {
    const dir = tempDir();
    const store = path.join(dir, 's.db');
    const args = spArgs(store).map((a) => (a === 'sp' ? 'device' : a)).filter((a, i, all) => a !== 'app-vaultproof' && all[i + 1] !== 'app-vaultproof');
    assert.ok(!args.includes('--client-id'), 'no client id for device sign-in');
    const r = await cli(args, env);
    assert.equal(r.code, 0, r.stderr);
    const prompts = r.stderr.split('\n').filter((l) => /enter the code [0-9A-F]{9} to authenticate/.test(l));
    assert.equal(prompts.length, 1, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { itemCount: number }).itemCount, 42);
    const records = fs.readdirSync(path.join(dir, 'auth'));
    assert.equal(records.length, 1);
    const record = JSON.parse(fs.readFileSync(path.join(dir, 'auth', records[0]!), 'utf8')) as Record<string, unknown>;
    assert.equal(record.username, 'auditor@contoso.example');
    assert.equal(record.tenantId, emu.estate.tenantId);
    assert.equal(record.clientId, '04b07795-8ddb-461a-bbee-02f9e1bf7b46');
    assert.ok(!JSON.stringify(record).includes('eyJ'), 'no token in the record');
  });

  it('a wrong secret fails the sign-in with the directory message (exit 1) and stores nothing', async () => {
    const store = path.join(tempDir(), 's.db');
    const r = await cli(spArgs(store, ['--client-secret-env', 'VP_WRONG']), { ...env, VP_WRONG: 'nope' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /sign-in failed \(sp\): .*AADSTS7000215/);
    assert.equal(r.stdout, '');
    const list = JSON.parse((await cli(['snapshots', '--store', store, '--json'], env)).stdout) as unknown[];
    assert.deepEqual(list, []);
  });

  it('refuses unclear arguments before signing in', async () => {
    const store = path.join(tempDir(), 's.db');
    const none = await cli(['collect', '--store', store], env);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /--subscription ID .* or --all-subscriptions/);
    const badInclude = await cli(['collect', '--all-subscriptions', '--include', 'jobs,vms', '--store', store], env);
    assert.equal(badInclude.code, 1);
    assert.match(badInclude.stderr, /--include vms: expected a comma-separated list of recovery-points, jobs, inventory, backup-vaults/);
    const noSecret = await cli(['collect', '--all-subscriptions', '--auth', 'sp', '--tenant', 't', '--client-id', 'c', '--client-secret-env', 'VP_UNSET_VAR', '--store', store], env);
    assert.equal(noSecret.code, 1);
    assert.match(noSecret.stderr, /environment variable VP_UNSET_VAR is not set or empty/);
    const halfCustom = await cli(['collect', '--all-subscriptions', '--cloud', 'custom', '--arm-endpoint', emu.url, '--store', store], env);
    assert.equal(halfCustom.code, 1);
    assert.match(halfCustom.stderr, /--cloud custom needs --arm-endpoint URL and --authority-host URL/);
  });

  it('kit prints the az CLI and Resource Graph commands as a bash script that parses', async () => {
    const sub = emu.estate.subscriptions[0]!.subscriptionId;
    const r = await cli(['kit', '--subscription', sub, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const kit = JSON.parse(r.stdout) as { steps: Array<{ id: string; commands: string[] }>; script: string; importCommand: string };
    assert.deepEqual(kit.steps.map((s) => s.id), ['prepare', 'time', 'rsv', 'recovery-points', 'backup-vaults', 'access', 'alerts', 'policy', 'inventory', 'fast-path']);
    assert.ok(kit.script.includes(`SUBS="${sub}"`));
    assert.ok(kit.script.includes('az backup item list --subscription "$SUB" -g "$RG" -v "$VAULT" -o json'), 'kit lists items per vault');
    assert.ok(kit.script.includes("az graph query -q 'Resources | where type in~ ('\\''microsoft.compute/virtualmachines'\\''"), 'kit queries the inventory');
    assert.match(kit.importCommand, /^vaultproof import vaultproof-export\/\*\.json vaultproof-export\/collected-at\.txt/);
    const syntax = spawnSync('bash', ['-n'], { input: kit.script, encoding: 'utf8' });
    assert.equal(syntax.status, 0, syntax.stderr);
    const text = await cli(['kit'], env);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^#!\/usr\/bin\/env bash\n# Run these commands in Azure Cloud Shell/);
    assert.equal(spawnSync('bash', ['-n'], { input: text.stdout, encoding: 'utf8' }).status, 0);
    assert.ok(text.stdout.includes('date -u +%Y-%m-%dT%H:%M:%SZ > collected-at.txt'), 'kit records the collection time');
  });
});
