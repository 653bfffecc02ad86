import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Annotation } from '../../shared/domain/annotations.ts';
import { restoreEntry } from '../../shared/domain/restore/catalog.ts';
import { restoreCommands } from '../../shared/domain/restore/commands.ts';
import { restoreOptionsFor } from '../../shared/domain/restore/options.ts';
import { indexPoints, summarisePoints } from '../../shared/domain/restore/points.ts';
import type { RecoveryPointGroup } from '../../shared/domain/restore/points.ts';
import type { BackupItem } from '../../shared/domain/types.ts';
import { itemId, vault, vmItem } from '../analysis/estate.ts';

const doc = JSON.parse(fs.readFileSync(new URL('../fixtures/restore/documented-parameters.json', import.meta.url), 'utf8')) as {
  az: Record<string, { required: string[]; optional: string[]; enums: Record<string, string[]> }>;
  powershell: Record<string, string[]>;
};

/** Splits a POSIX command line the way a shell would (single quotes only, which is all the catalog writes), stopping at a redirection. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '\\' && line[i + 1] === "'") {
      cur += "'";
      i++;
      inWord = true;
    } else if (c === ' ') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else if (c === '>' && !inWord) {
      break;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** Checks an az command line against the documented parameters: known command, every required flag, no undocumented flag, enum values in the enum. */
function checkAz(line: string): { command: string; flags: Map<string, string | null> } {
  const w = shellWords(line);
  assert.equal(w[0], 'az', line);
  const firstFlag = w.findIndex((x) => x.startsWith('--'));
  const command = w.slice(1, firstFlag).join(' ');
  const spec = doc.az[command];
  assert.ok(spec, `${command} is documented in the fixture`);
  const flags = new Map<string, string | null>();
  for (let i = firstFlag; i < w.length; i++) {
    const f = w[i]!;
    assert.ok(f.startsWith('--'), `${f} in "${line}" is a flag`);
    const v = w[i + 1] !== undefined && !w[i + 1]!.startsWith('--') ? w[++i]! : null;
    flags.set(f, v);
  }
  for (const r of spec.required) assert.ok(flags.has(r), `${command} has its required ${r}: ${line}`);
  for (const [f, v] of flags) {
    assert.ok(spec.required.includes(f) || spec.optional.includes(f), `${command} documents ${f}`);
    const allowed = spec.enums[f];
    if (allowed && v !== null && !v.startsWith('<')) assert.ok(allowed.includes(v), `${command} ${f} ${v} is one of ${allowed.join(', ')}`);
  }
  return { command, flags };
}

function checkPowerShell(line: string): void {
  for (const stmt of line.split(/;\s*|\|\s*/)) {
    const m = /^(?:\$\w+ = )?([A-Z][A-Za-z]+-Az[A-Za-z]+)(.*)$/.exec(stmt.trim());
    if (!m) continue;
    const params = doc.powershell[m[1]!];
    assert.ok(params, `${m[1]} is documented in the fixture`);
    for (const p of m[2]!.match(/ -[A-Z][A-Za-z]+/g) ?? []) assert.ok(params.includes(p.trim()), `${m[1]} documents ${p.trim()}`);
  }
}

const g = (itemKey: string, tiers: string[], latest: string, oldest: string, count: number, region: 'primary' | 'secondary' = 'primary', latestId: string | null = null): RecoveryPointGroup => ({
  itemKey,
  tiers,
  region,
  latest,
  oldest,
  count,
  latestId,
});

test('points fold by tier and region: a point in the snapshot and vault tiers counts in both, secondary points stay apart', () => {
  const k = vmItem('vm-a').key;
  const p = summarisePoints([
    g(k, ['HardenedRP', 'InstantRP'], '2025-03-10T02:00:00.000Z', '2025-03-10T02:00:00.000Z', 1, 'primary', `${itemId('vault1', 'vm-a')}/recoveryPoints/111`),
    g(k, ['HardenedRP'], '2025-03-09T02:00:00.000Z', '2025-02-01T02:00:00.000Z', 30, 'primary', `${itemId('vault1', 'vm-a')}/recoveryPoints/110`),
    g(k, ['ArchivedRP'], '2025-01-01T02:00:00.000Z', '2024-06-01T02:00:00.000Z', 7),
    g(k, [], '2025-03-08T02:00:00.000Z', '2025-03-08T02:00:00.000Z', 1),
    g(k, ['HardenedRP'], '2025-03-08T02:00:00.000Z', '2025-02-02T02:00:00.000Z', 29, 'secondary'),
  ]);
  // 1 + 30 + 7 + 1 primary points; the newest is 111 on 10 March, the oldest the archive's June 2024.
  assert.deepEqual(p.primary, { latest: '2025-03-10T02:00:00.000Z', oldest: '2024-06-01T02:00:00.000Z', count: 39, latestId: `${itemId('vault1', 'vm-a')}/recoveryPoints/111` });
  assert.deepEqual(p.byTier.snapshot, { latest: '2025-03-10T02:00:00.000Z', oldest: '2025-03-10T02:00:00.000Z', count: 1 });
  assert.deepEqual(p.byTier.vaultStandard, { latest: '2025-03-10T02:00:00.000Z', oldest: '2025-02-01T02:00:00.000Z', count: 31 });
  assert.deepEqual(p.byTier.archive, { latest: '2025-01-01T02:00:00.000Z', oldest: '2024-06-01T02:00:00.000Z', count: 7 });
  assert.equal(p.untiered, 1);
  assert.deepEqual(p.secondary, { latest: '2025-03-08T02:00:00.000Z', oldest: '2025-02-02T02:00:00.000Z', count: 29 });
});

test('Backup vault data stores map to the same tiers (OperationalStore = snapshot, VaultStore = vault-standard)', () => {
  const p = summarisePoints([g('k', ['OperationalStore'], '2025-03-10T00:00:00.000Z', '2025-03-05T00:00:00.000Z', 6), g('k', ['VaultStore'], '2025-03-09T00:00:00.000Z', '2025-01-09T00:00:00.000Z', 9)]);
  assert.equal(p.byTier.snapshot?.count, 6);
  assert.equal(p.byTier.vaultStandard?.latest, '2025-03-09T00:00:00.000Z');
  assert.equal(p.byTier.archive, null);
});

test('a VM item: list, show and restore commands name its vault, container, item and latest point, and only the target is a placeholder', () => {
  const it = vmItem('vm-a');
  const c = restoreCommands(it, '111');
  assert.equal(
    c.list.az,
    "az backup recoverypoint list --resource-group rg-backup --vault-name vault1 --container-name 'IaasVMContainer;iaasvmcontainerv2;rg-app;vm-a' --item-name 'VM;iaasvmcontainerv2;rg-app;vm-a' --backup-management-type AzureIaasVM --workload-type VM --output json",
  );
  assert.equal(
    c.show.az,
    "az backup recoverypoint show --resource-group rg-backup --vault-name vault1 --container-name 'IaasVMContainer;iaasvmcontainerv2;rg-app;vm-a' --item-name 'VM;iaasvmcontainerv2;rg-app;vm-a' --backup-management-type AzureIaasVM --workload-type VM --name 111 --output json",
  );
  assert.deepEqual(c.restore.az, [
    "az backup restore restore-disks --resource-group rg-backup --vault-name vault1 --container-name 'IaasVMContainer;iaasvmcontainerv2;rg-app;vm-a' --item-name 'VM;iaasvmcontainerv2;rg-app;vm-a' --rp-name 111 --storage-account <staging-storage-account> --target-resource-group <target-resource-group>",
  ]);
  for (const line of [c.list.az!, c.show.az!, ...c.restore.az]) checkAz(line);
  for (const line of [c.list.powershell!, c.show.powershell!, ...c.restore.powershell]) checkPowerShell(line);
  assert.match(c.list.powershell!, /Where-Object \{ \$_\.Name -eq 'VM;iaasvmcontainerv2;rg-app;vm-a' \}; Get-AzRecoveryServicesBackupRecoveryPoint -Item \$item -VaultId \$vault\.ID$/);
  const placeholders = c.restore.az.join(' ').match(/<[^>]+>/g);
  assert.deepEqual(placeholders, ['<staging-storage-account>', '<target-resource-group>']);
});

test('every workload family writes commands the documented reference accepts', () => {
  const base = vmItem('x');
  const vaultPath = '/subscriptions/s1/resourceGroups/rg-b/providers/Microsoft.RecoveryServices/vaults/rsv';
  const cases: BackupItem[] = [
    { ...base, id: `${vaultPath}/backupFabrics/Azure/protectionContainers/StorageContainer;Storage;rg;acct/protectedItems/AzureFileShare;share1`, workloadType: 'AzureFileShare', backupManagementType: 'AzureStorage', vaultResourceGroup: 'rg-b', vaultName: 'rsv' },
    { ...base, id: `${vaultPath}/backupFabrics/Azure/protectionContainers/VMAppContainer;compute;rg;sqlvm/protectedItems/SQLDataBase;mssqlserver;db1`, workloadType: 'SQLDataBase', backupManagementType: 'AzureWorkload', vaultResourceGroup: 'rg-b', vaultName: 'rsv' },
    { ...base, id: `${vaultPath}/backupFabrics/Azure/protectionContainers/VMAppContainer;compute;rg;hana/protectedItems/SAPHanaDatabase;h01;db1`, workloadType: 'SAPHanaDatabase', backupManagementType: 'AzureWorkload', vaultResourceGroup: 'rg-b', vaultName: 'rsv' },
    { ...base, id: `${vaultPath}/backupFabrics/Azure/protectionContainers/VMAppContainer;compute;rg;ase/protectedItems/SAPAseDatabase;ase;db1`, workloadType: 'SAPAseDatabase', backupManagementType: 'AzureWorkload', vaultResourceGroup: 'rg-b', vaultName: 'rsv' },
    {
      ...base,
      id: '/subscriptions/s1/resourceGroups/rg-b/providers/Microsoft.DataProtection/backupVaults/bv1/backupInstances/disk1-disk1-6c3f',
      vaultKind: 'BackupVault',
      workloadType: 'Microsoft.Compute/disks',
      backupManagementType: 'AzureDataProtection',
      vaultResourceGroup: 'rg-b',
      vaultName: 'bv1',
    },
  ];
  for (const it of cases) {
    const c = restoreCommands(it, 'rp-1', it.vaultKind === 'BackupVault' ? 'OperationalStore' : null);
    assert.ok(c.list.az && c.show.az && c.restore.az.length > 0, it.workloadType!);
    for (const line of [c.list.az, c.show.az, ...c.restore.az]) checkAz(line);
    for (const line of [c.list.powershell, c.show.powershell, ...c.restore.powershell]) if (line) checkPowerShell(line);
  }
  const ase = restoreCommands(cases[3]!, 'rp-1');
  assert.ok(!ase.list.az!.includes('--workload-type'), 'SAP ASE is not in the list command enum, so the flag is left out');
  const disk = restoreCommands(cases[4]!, 'rp-1', 'OperationalStore');
  assert.equal(disk.list.az, 'az dataprotection recovery-point list --resource-group rg-b --vault-name bv1 --backup-instance-name disk1-disk1-6c3f --output json');
  assert.match(disk.restore.az[0]!, /--datasource-type AzureDisk .*--source-datastore OperationalStore --recovery-point-id rp-1 --target-resource-id <target-resource-id>/);
  assert.equal(disk.list.powershell, "Get-AzDataProtectionRecoveryPoint -ResourceGroupName 'rg-b' -VaultName 'bv1' -BackupInstanceName 'disk1-disk1-6c3f'");
});

test('a name with a quote stays one shell word and one PowerShell string', () => {
  const it = { ...vmItem('x'), vaultName: "o'brien", vaultResourceGroup: 'rg b' };
  const c = restoreCommands(it, null);
  const { flags } = checkAz(c.list.az!);
  assert.equal(flags.get('--vault-name'), "o'brien");
  assert.equal(flags.get('--resource-group'), 'rg b');
  assert.ok(c.list.powershell!.includes("-Name 'o''brien'"), c.list.powershell!);
  assert.ok(c.show.az!.includes('--name <recovery-point-name>'), c.show.az!);
  assert.ok(c.notes.some((n) => n.includes('no recovery point')), c.notes.join('; '));
});

test('a typographic quote cannot end a PowerShell string: each of the five single quotes PowerShell knows is doubled', () => {
  // PowerShell reads ' and U+2018, U+2019, U+201A, U+201B as single quotes; a lone one would end the literal.
  const name = 'a\u2019; Remove-AzRecoveryServicesVault -Name x; \u2018b\u201A\u201B\'c';
  const it = { ...vmItem('x'), vaultName: name };
  const ps = restoreCommands(it, null).list.powershell!;
  assert.ok(ps.includes("-Name 'a\u2019\u2019; Remove-AzRecoveryServicesVault -Name x; \u2018\u2018b\u201A\u201A\u201B\u201B''c'"), ps);
  // Scanned as PowerShell does: inside the literal every quote character comes in pairs, so the literal ends only at the last quote.
  const start = ps.indexOf("-Name '") + 6;
  let i = start + 1;
  for (; i < ps.length; i++) {
    if (/['\u2018\u2019\u201A\u201B]/.test(ps[i]!)) {
      if (/['\u2018\u2019\u201A\u201B]/.test(ps[i + 1] ?? '')) i++;
      else break;
    }
  }
  assert.equal(ps.slice(start, i + 1), "'a\u2019\u2019; Remove-AzRecoveryServicesVault -Name x; \u2018\u2018b\u201A\u201A\u201B\u201B''c'");
});

test('agent backups get no CLI command and say why', () => {
  const c = restoreCommands({ ...vmItem('x'), workloadType: 'FileFolder', backupManagementType: 'MAB' }, 'rp');
  assert.equal(c.list.az, null);
  assert.match(c.notes[0]!, /agent/);
});

test('restore options follow the workload; cross-region restore only where the vault has it on', () => {
  const ids = (o: Array<{ id: string }>) => o.map((x) => x.id);
  assert.deepEqual(ids(restoreOptionsFor(vmItem('x'), false)), ['new-vm', 'restore-disks', 'replace-existing', 'file-recovery']);
  assert.deepEqual(ids(restoreOptionsFor(vmItem('x'), true)), ['new-vm', 'restore-disks', 'replace-existing', 'file-recovery', 'cross-region']);
  assert.deepEqual(ids(restoreOptionsFor({ vaultKind: 'RecoveryServices', workloadType: 'SQLDataBase', backupManagementType: 'AzureWorkload' }, null)), [
    'original-location',
    'alternate-location',
    'restore-as-files',
    'point-in-time',
  ]);
  assert.deepEqual(ids(restoreOptionsFor({ vaultKind: 'RecoveryServices', workloadType: 'AzureFileShare', backupManagementType: 'AzureStorage' }, null)), ['full-share-original', 'full-share-alternate', 'item-level']);
  assert.deepEqual(ids(restoreOptionsFor({ vaultKind: 'BackupVault', workloadType: 'Microsoft.Compute/disks', backupManagementType: null }, null)), ['restore-as-disk']);
  assert.deepEqual(ids(restoreOptionsFor({ vaultKind: 'BackupVault', workloadType: 'Microsoft.Storage/storageAccounts/blobServices', backupManagementType: null }, null)), ['point-in-time', 'another-account']);
});

test('a catalog entry: listed points, the latest point in the commands, the last drill on or before asOf', () => {
  const it = vmItem('vm-a');
  const test1 = { id: 'rt-1', date: '2025-02-01', recoveryPoint: '100', target: null, durationMin: 30, outcome: 'passed' as const, tester: 'ana', ticket: null };
  const test2 = { id: 'rt-2', date: '2025-03-01', recoveryPoint: '105', target: null, durationMin: null, outcome: 'failed' as const, tester: 'ben', ticket: 'INC-9' };
  const future = { ...test1, id: 'rt-3', date: '2025-04-01' };
  const a: Annotation = { target: `item:${it.key}`, owner: null, ownerEmail: null, team: null, costCentre: null, criticality: 'high', exceptions: [], decision: null, frontEndGb: null, storageGb: null, notes: [], tags: {}, restoreTests: [test1, test2, future] };
  const index = indexPoints([g(it.key, ['InstantRP', 'HardenedRP'], '2025-03-10T02:00:00.000Z', '2025-03-01T02:00:00.000Z', 10, 'primary', `${it.id}/recoveryPoints/111`)]);
  const v = vault('vault1', { crossRegionRestore: true });
  const e = restoreEntry(it, index.byItem.get(it.key)!, {
    vaults: new Map([[v.key, v]]),
    vaultsWithPoints: index.vaultsWithPoints,
    vaultsWithSecondary: index.vaultsWithSecondary,
    annotations: new Map([[a.target, a]]),
    asOfMs: Date.parse('2025-03-10T12:00:00.000Z'),
  });
  assert.equal(e.container, 'IaasVMContainer;iaasvmcontainerv2;rg-app;vm-a');
  assert.equal(e.itemName, 'VM;iaasvmcontainerv2;rg-app;vm-a');
  assert.equal(e.points!.latestName, '111');
  assert.equal(e.points!.secondaryCollected, false);
  assert.ok(e.commands.restore.az[0]!.includes('--rp-name 111'), e.commands.restore.az[0]);
  assert.deepEqual(e.lastDrill, { date: '2025-03-01', outcome: 'failed', id: 'rt-2' });
  assert.ok(e.options.some((o) => o.id === 'cross-region'), 'cross-region restore is offered');
  // The same item in a vault whose points were not listed: nothing is claimed from points.
  const unlisted = restoreEntry({ ...it, vaultKey: 'other' }, null, { vaults: new Map(), vaultsWithPoints: new Set(), vaultsWithSecondary: new Set(), annotations: new Map(), asOfMs: 0 });
  assert.equal(unlisted.points, null);
  assert.equal(unlisted.itemSays.latest, it.lastRecoveryPoint);
});

test('the kit lists the recovery points of Backup vault instances too (the catalog needs them), and the script still parses', async () => {
  const { collectionKit } = await import('../../shared/domain/collection-kit.ts');
  const { spawnSync } = await import('node:child_process');
  const kit = collectionKit({ subscriptions: ['00000000-0000-0000-0000-000000000001'] });
  const bv = kit.steps.find((s) => s.id === 'backup-vaults')!.commands.join('\n');
  assert.match(bv, /while read -r BI; do\n {8}az rest --method get --url "\$BI\/recoveryPoints\?api-version=[0-9-]+" -o json > "rp-/);
  assert.equal(spawnSync('bash', ['-n'], { input: kit.script, encoding: 'utf8' }).status, 0);
});
