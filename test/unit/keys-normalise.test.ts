import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from '../../electron/core/store/canonical.ts';
import { canonicalArmId, itemKeyFromId, parseArmId, vaultIdOf } from '../../shared/domain/keys.ts';
import { isoDurationHours, parseTime } from '../../shared/domain/normalise/fields.ts';
import { normaliseResource } from '../../shared/domain/normalise/index.ts';

const require = createRequire(import.meta.url);
const reference = require('canonicalize') as (v: unknown) => string;

const vmId = '/subscriptions/38304e13-357e-405e-9e9a-220351dcce8c/resourceGroups/hiagarg/providers/Microsoft.RecoveryServices/vaults/hiagaVault/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;hiagarg;hiaga-adhoc-vm/protectedItems/VM;iaasvmcontainerv2;hiagarg;hiaga-adhoc-vm';

describe('item keys', () => {
  it('one key whatever the casing of /Subscriptions/, container or item segments', () => {
    const upper = vmId.replace('/subscriptions/', '/Subscriptions/').replace('iaasvmcontainerv2', 'IaasVMContainerV2').replace('hiagaVault', 'HIAGAVAULT');
    assert.equal(itemKeyFromId(upper), itemKeyFromId(vmId));
    assert.equal(itemKeyFromId(vmId), vmId.toLowerCase());
  });

  it('the same key with or without /backupFabrics/Azure, with a host, a query or a trailing slash', () => {
    const noFabric = vmId.replace('/backupFabrics/Azure', '');
    assert.equal(itemKeyFromId(noFabric), itemKeyFromId(vmId));
    assert.equal(itemKeyFromId(`https://management.azure.com${vmId}/?api-version=2025-02-01`), itemKeyFromId(vmId));
  });

  it('parses ids keeping their casing, and finds the vault of an item', () => {
    const p = parseArmId(vmId);
    assert.equal(p.subscriptionId, '38304e13-357e-405e-9e9a-220351dcce8c');
    assert.equal(p.resourceGroup, 'hiagarg');
    assert.equal(p.provider, 'Microsoft.RecoveryServices');
    assert.deepEqual(p.segments[0], ['vaults', 'hiagaVault']);
    assert.equal(vaultIdOf(vmId), '/subscriptions/38304e13-357e-405e-9e9a-220351dcce8c/resourceGroups/hiagarg/providers/Microsoft.RecoveryServices/vaults/hiagaVault');
    assert.equal(canonicalArmId('//Subscriptions//X/'), '/subscriptions/x');
  });

  it('property: keys are stable under any re-casing of the id', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: vmId.length, maxLength: vmId.length }), (flips) => {
        const recased = [...vmId].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join('');
        return itemKeyFromId(recased) === itemKeyFromId(vmId);
      }),
    );
  });
});

describe('field parsing', () => {
  it('reads every date form the sources use', () => {
    assert.equal(parseTime('2025-10-27T23:08:44.4457362Z'), '2025-10-27T23:08:44.445Z');
    assert.equal(parseTime('2026-07-27T05:45:06.390629Z'), '2026-07-27T05:45:06.390Z');
    assert.equal(parseTime('2025-01-16T23:02:10.801858+00:00'), '2025-01-16T23:02:10.801Z');
    assert.equal(parseTime('2025-01-16T23:02:10+02:00'), '2025-01-16T21:02:10.000Z');
    assert.equal(parseTime('/Date(1761606524445)/'), '2025-10-27T23:08:44.445Z');
    assert.equal(parseTime('2017-12-05T19:00:00Z'), '2017-12-05T19:00:00.000Z');
    assert.equal(parseTime('not a date'), null);
    assert.equal(parseTime('2026-02-30T00:00:00Z') === null || parseTime('2026-02-30T00:00:00Z') === '2026-03-02T00:00:00.000Z', true);
  });

  it('ISO-8601 durations in hours', () => {
    assert.equal(isoDurationHours('P30D'), 720);
    assert.equal(isoDurationHours('PT4H'), 4);
    assert.equal(isoDurationHours('P1W'), 168);
    assert.equal(isoDurationHours('PT30M'), 0.5);
    assert.equal(isoDurationHours('nope'), null);
  });

  it('the 2001-01-01 placeholder means never backed up', () => {
    const it0 = normaliseResource({ id: vmId, type: 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems', properties: { friendlyName: 'vm', protectionState: 'IRPending', lastBackupTime: '2001-01-01T00:00:00Z', lastBackupStatus: '' } });
    assert.ok(it0 && it0.type === 'item');
    assert.equal(it0.data.lastBackupTime, null);
    assert.equal(it0.data.neverBackedUp, true);
    assert.equal(it0.data.lastBackupStatus, null, 'an empty status is absent');
  });

  it('softDeleteRetentionPeriodInDays (spec) wins over softDeleteRetentionPeriod (wire) when both are present', () => {
    const a = normaliseResource({ id: vmId, properties: { softDeleteRetentionPeriod: 14 } });
    const b = normaliseResource({ id: vmId, properties: { softDeleteRetentionPeriodInDays: 7, softDeleteRetentionPeriod: 14 } });
    const c = normaliseResource({ id: vmId, properties: { softDeleteRetentionPeriodInDays: null, softDeleteRetentionPeriod: 0 } });
    assert.equal(a?.type === 'item' && a.data.softDeleteRetentionDays, 14);
    assert.equal(b?.type === 'item' && b.data.softDeleteRetentionDays, 7);
    assert.equal(c?.type === 'item' && c.data.softDeleteRetentionDays, 0);
  });

  it('recognises nothing that is not backup data', () => {
    assert.equal(normaliseResource({ id: '/subscriptions/x/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/n', type: 'Microsoft.Network/networkInterfaces' }), null);
    assert.equal(normaliseResource(42), null);
    assert.equal(normaliseResource(null), null);
  });
});

describe('canonical JSON (RFC 8785)', () => {
  it('agrees with the reference implementation on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => canonicalJson(v) === reference(v)),
      { numRuns: 500 },
    );
  });

  it('sorts keys by UTF-16 code units and serialises numbers as ECMAScript does', () => {
    assert.equal(canonicalJson({ b: 1, a: [1e21, 0.1, -0], é: 'x', Z: null }), '{"Z":null,"a":[1e+21,0.1,0],"b":1,"é":"x"}');
  });
});

describe('soft-delete times across sources', () => {
  it('PowerShell DateOfPurge is the purge date: the deletion time is 14 days earlier', () => {
    const ps = normaliseResource({ Id: vmId, Name: 'VM;x', ProtectionState: 'ProtectionStopped', ContainerName: 'c', WorkloadType: 'AzureVM', DeleteState: 'ToBeDeleted', DateOfPurge: '/Date(1785131106390)/' });
    assert.ok(ps && ps.type === 'item');
    assert.equal(ps.data.softDeleted, true);
    // 1785131106390 ms = 2026-07-27T05:45:06.390Z (purge); minus 14 days
    assert.equal(ps.data.deferredDeleteTime, '2026-07-13T05:45:06.390Z');
  });
});
