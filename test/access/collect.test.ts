import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { accessReport } from '../../electron/core/access/snapshot.ts';
import { startArmEmulator, type ArmEmulator } from '../harness/arm-emulator/index.ts';
import { collectFromEmulator, tempStore } from '../collect/helpers.ts';

describe('live collection of role assignments and custom roles (include "access")', () => {
  let emu: ArmEmulator;
  before(async () => {
    // Two assignments a page, so the role assignment lists span pages (nextLink followed by core-client).
    emu = await startArmEmulator({ pageSize: 2 });
  });
  after(async () => {
    await emu.close();
  });

  it('lists them per subscription through the generic ARM client and works out who can delete', async () => {
    const { store } = tempStore();
    const { result } = await collectFromEmulator(emu, store, { include: new Set(['jobs', 'inventory', 'backup-vaults', 'access']) });
    assert.equal(result.complete, true);
    // Per subscription: the management-group Owner, the subscription Owner, the Backup Contributor group on rg-backup-N,
    // the custom role on the first vault = 4; the management-group assignment is the same in both lists, so 7 in all.
    assert.equal(result.records.roleAssignment, 7);
    assert.equal(result.records.roleDefinition, 2);
    for (const s of emu.estate.subscriptions) {
      assert.deepEqual(result.coverage.find((c) => c.scope === `access:subscription:${s.subscriptionId}`), { scope: `access:subscription:${s.subscriptionId}`, status: 'collected', error: null });
    }
    const paths = emu.requests.filter((r) => /roleassignments$/i.test(r.path)).map((r) => r.query.api_version ?? r.query['api-version']);
    assert.ok(paths.length >= 4, 'two pages per subscription');
    assert.ok(paths.every((v) => v === '2022-04-01'));
    const access = new Map(accessReport(store, result.snapshotId).vaults.map((v) => [v.vaultName, v.principalCounts.deleteBackupData]));
    assert.equal(access.get('rsv-s1-v001'), 4);
    assert.equal(access.get('rsv-s1-v002'), 3);
    assert.equal(access.get('bv-s1-1'), 2);
  });

  it('records a failed access scope (and an incomplete snapshot) when role assignments cannot be read', async () => {
    const failing = await startArmEmulator({ faults: [{ match: /roleassignments$/i, status: 403, code: 'AuthorizationFailed', message: 'no Microsoft.Authorization/roleAssignments/read' }] });
    try {
      const { store } = tempStore();
      const { result } = await collectFromEmulator(failing, store, { include: new Set(['backup-vaults', 'access']) });
      assert.equal(result.complete, false);
      const cov = result.coverage.filter((c) => c.scope.startsWith('access:'));
      assert.equal(cov.length, 2);
      for (const c of cov) assert.deepEqual([c.status, c.error?.code], ['failed', 'AuthorizationFailed']);
      assert.equal(result.records.roleAssignment ?? 0, 0);
    } finally {
      await failing.close();
    }
  });
});
