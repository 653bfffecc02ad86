import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cli, fixtures, tempDir } from '../harness/cli.ts';

const dir = path.join(fixtures, 'import');
const f = (name: string) => path.join(dir, name);
const env = { VAULTPROOF_NOW: '2026-11-24T10:00:00Z', VAULTPROOF_USER: 'auditor1' };

type Item = Record<string, unknown> & { key: string; name: string };

async function importJson(store: string, files: string[], extra: string[] = []) {
  const r = await cli(['import', ...files, '--store', store, '--json', ...extra], env);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { snapshotId: string; itemCount: number; contentHash: string; asOf: string; files: Array<{ path: string; format: string; records: number }>; warnings: string[] };
}

async function items(store: string, snap: string, where: string[] = []): Promise<Item[]> {
  const r = await cli(['items', snap, '--store', store, '--json', ...where.flatMap((w) => ['--where', w])], env);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Item[];
}

describe('import formats', () => {
  it('reads ARM list pages, az CLI, PowerShell UTF-16, Resource Graph and CSV exports into one snapshot', async () => {
    const store = path.join(tempDir(), 's.db');
    const res = await importJson(store, [
      f('arm-items-iaasvm.json'),
      f('arm-items-afs-softdeleted.json'),
      f('az-cli-items.json'),
      f('arg-rest-dpp-instances.json'),
      f('arm-dpp-deleted-instances.json'),
      f('arg-explorer-items.csv'),
      f('collected-at.txt'),
    ]);
    const formats = Object.fromEntries(res.files.map((x) => [path.basename(x.path), [x.format, x.records]]));
    assert.deepEqual(formats['arm-items-iaasvm.json'], ['arm-list', 3]);
    assert.deepEqual(formats['arm-items-afs-softdeleted.json'], ['arm-list', 3]);
    assert.deepEqual(formats['az-cli-items.json'], ['az-cli', 1]);
    assert.deepEqual(formats['arg-rest-dpp-instances.json'], ['resource-graph-rest', 4]);
    assert.deepEqual(formats['arm-dpp-deleted-instances.json'], ['arm-list', 1]);
    assert.deepEqual(formats['arg-explorer-items.csv'], ['resource-graph-csv', 8]);
    assert.deepEqual(formats['collected-at.txt'], ['collection-time', 0]);
    // 3 VMs + 3 file shares + 1 CLI file share + 4 blob/AKS instances + 1 deleted instance + 8 SQL databases
    assert.equal(res.itemCount, 20);
    assert.equal(res.asOf, '2026-11-20T08:00:00.000Z');

    const all = await items(store, res.snapshotId);
    const byName = (n: string) => all.filter((i) => i.name === n);
    const vm = byName('hiagaNewVm1')[0]!;
    assert.equal(vm.protectionState, 'Protected');
    assert.equal(vm.healthStatus, 'ActionRequired');
    assert.equal(vm.lastBackupStatus, 'Failed');
    assert.equal(vm.policyName, 'DefaultPolicy');
    assert.equal(vm.vaultName, 'hiagaVault');
    assert.equal(vm.vaultKind, 'RecoveryServices');

    const stopped = byName('afs1hrtestfs')[0]!;
    assert.equal(stopped.softDeleted, true);
    assert.equal(stopped.protectionState, 'ProtectionStopped');
    assert.equal(stopped.deferredDeleteTime, '2026-07-27T05:45:06.390Z');
    assert.equal(stopped.softDeleteRetentionDays, 14, 'the service sends softDeleteRetentionPeriod, not ...InDays');
    assert.equal(stopped.policyName, null);
    assert.equal(stopped.sizeGb, null, 'no source gave a size: null, never 0');

    const cliItem = byName('afs0')[0]!;
    assert.equal(cliItem.lastBackupTime, '2025-01-16T23:02:10.801Z', 'Python isoformat with +00:00');
    assert.equal(cliItem.softDeleteRetentionDays, 0);
    assert.equal(cliItem.policyName, 'vaultpol', 'policy name derived from the id when absent');

    const deleted = byName('testInstance1')[0]!;
    assert.equal(deleted.vaultKind, 'BackupVault');
    assert.equal(deleted.softDeleted, true);
    assert.equal(deleted.deferredDeleteTime, '2022-05-20T00:00:36.666Z');

    const soft = await items(store, res.snapshotId, ['softDeleted=true']);
    assert.deepEqual(soft.map((i) => i.name).sort(), ['afs1hrtestfs', 'testInstance1']);
  });

  it('reads Windows PowerShell 5.1 output (UTF-16 LE BOM, CRLF, /Date(ms)/, integer enums) as the same items as ARM', async () => {
    const store = path.join(tempDir(), 's.db');
    const ps = await importJson(store, [f('powershell-items-utf16.json')], ['--as-of', '2026-11-01T00:00:00Z']);
    assert.equal(ps.files[0]!.format, 'powershell (utf-16le-bom)');
    assert.equal(ps.itemCount, 3);
    const psItems = await items(store, ps.snapshotId);
    const arm = await importJson(store, [f('arm-items-iaasvm.json')], ['--as-of', '2026-11-01T00:00:00Z']);
    const armItems = await items(store, arm.snapshotId);
    assert.deepEqual(psItems.map((i) => i.key), armItems.map((i) => i.key));
    const adhoc = psItems.find((i) => i.name === 'hiaga-adhoc-vm')!;
    assert.equal(adhoc.lastBackupTime, '2025-10-27T23:08:44.445Z');
    assert.equal(adhoc.protectionState, 'Protected', 'enum 2 is Protected');
    assert.equal(adhoc.workloadType, 'VM');
    assert.equal(adhoc.backupManagementType, 'AzureIaasVM');
  });

  it('gives one key per item whatever the casing, and dedupes pages of the same list with a warning', async () => {
    const store = path.join(tempDir(), 's.db');
    const res = await importJson(store, [f('arm-items-page1.json'), f('arm-items-page2.json'), f('arm-items-iaasvm.json')], ['--as-of', '2026-11-01T00:00:00Z']);
    assert.equal(res.itemCount, 3);
    assert.equal(res.warnings.filter((w) => w.includes('more than once')).length, 3);
    const it = await items(store, res.snapshotId);
    for (const i of it) assert.equal(i.key, i.key.toLowerCase());
    assert.ok(it.every((i) => i.key.includes('/backupfabrics/azure/protectioncontainers/')));
  });

  it('the same input always gives the same content hash, whatever the file order', async () => {
    const files = [f('arm-items-iaasvm.json'), f('arm-vault.json'), f('arm-policies.json'), f('arm-recoverypoints-afs.json'), f('arm-jobs.json'), f('arg-cli-inventory-vms.json')];
    const a = await importJson(path.join(tempDir(), 'a.db'), files, ['--as-of', '2026-11-01T00:00:00Z']);
    const b = await importJson(path.join(tempDir(), 'b.db'), [...files].reverse(), ['--as-of', '2026-11-01T00:00:00Z']);
    assert.equal(a.contentHash, b.contentHash);
    assert.match(a.contentHash, /^[0-9a-f]{64}$/);
    // Without the inventory: another content hash (an import without items is refused, so the items file stays).
    const c = await importJson(path.join(tempDir(), 'c.db'), files.slice(0, -1), ['--as-of', '2026-11-01T00:00:00Z']);
    assert.notEqual(a.contentHash, c.contentHash);
  });

  it('records vaults, policies, recovery points, jobs and inventory as typed records', async () => {
    const store = path.join(tempDir(), 's.db');
    const res = await importJson(store, [f('arm-items-iaasvm.json'), f('arm-vault.json'), f('arm-policies.json'), f('arm-recoverypoints-afs.json'), f('arm-jobs.json'), f('az-cli-jobs.json'), f('arg-cli-inventory-vms.json'), f('arm-dpp-policies.json')], ['--as-of', '2026-11-01T00:00:00Z']);
    const r = await cli(['snapshot', res.snapshotId, '--store', store, '--json'], env);
    const d = JSON.parse(r.stdout) as { recordCounts: Record<string, number> };
    // 3 VM items; 1 vault; 2 RSV + 1 DPP policies; 14 recovery points; 1 ARM job + 2 CLI jobs; 3 protected VMs + 1 unprotected VM
    assert.deepEqual(d.recordCounts, { item: 3, vault: 1, policy: 3, recoveryPoint: 14, job: 3, inventory: 4 });
  });

  it('asOf comes from the file, else --as-of, else the earliest file modification time — and provenance says which', async () => {
    const store = path.join(tempDir(), 's.db');
    const tmp = tempDir();
    const copy = path.join(tmp, 'items.json');
    fs.copyFileSync(f('arm-items-iaasvm.json'), copy);
    const t = new Date('2026-10-05T12:00:00Z');
    fs.utimesSync(copy, t, t);
    const byMtime = await importJson(store, [copy]);
    assert.equal(byMtime.asOf, '2026-10-05T12:00:00.000Z');
    const byOption = await importJson(store, [copy], ['--as-of', '2026-10-06T00:00:00Z']);
    assert.equal(byOption.asOf, '2026-10-06T00:00:00.000Z');
    const byFile = await importJson(store, [copy, f('collected-at.txt')], ['--as-of', '2026-10-06T00:00:00Z']);
    assert.equal(byFile.asOf, '2026-11-20T08:00:00.000Z');
    const show = async (id: string) => (JSON.parse((await cli(['snapshot', id, '--store', store, '--json'], env)).stdout) as { provenance: { asOfSource: string } }).provenance.asOfSource;
    assert.equal(await show(byMtime.snapshotId), 'mtime');
    assert.equal(await show(byOption.snapshotId), 'option');
    assert.equal(await show(byFile.snapshotId), 'file');
  });

  it('files from two tenants in one import are allowed and both are recorded in provenance', async () => {
    const store = path.join(tempDir(), 's.db');
    const res = await importJson(store, [f('arg-cli-items.json'), f('arg-rest-dpp-instances.json')], ['--as-of', '2026-11-01T00:00:00Z']);
    const d = JSON.parse((await cli(['snapshot', res.snapshotId, '--store', store, '--json'], env)).stdout) as { provenance: { tenants: string[]; user: string; files: Array<{ name: string; sha256: string; size: number; format: string }> } };
    assert.deepEqual(d.provenance.tenants, ['11111111-2222-3333-4444-555555555555', '72f988bf-86f1-41af-91ab-2d7cd011db47']);
    assert.equal(d.provenance.user, 'auditor1');
    const bytes = fs.readFileSync(f('arg-cli-items.json'));
    const { createHash } = await import('node:crypto');
    assert.equal(d.provenance.files[0]!.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(d.provenance.files[0]!.size, bytes.length);
  });
});
