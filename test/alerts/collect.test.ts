import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routingOf } from '../../electron/core/alerts/routing.ts';
import { startArmEmulator, type ArmEmulator } from '../harness/arm-emulator/index.ts';
import { collectFromEmulator, tempStore } from '../collect/helpers.ts';

describe('live collection of action groups and alert processing rules (include "alerts")', () => {
  let emu: ArmEmulator;
  before(async () => {
    emu = await startArmEmulator();
  });
  after(async () => {
    await emu.close();
  });

  it('lists them per subscription through the generic ARM client and routes each vault', async () => {
    const { store } = tempStore();
    const { result } = await collectFromEmulator(emu, store, { include: new Set(['backup-vaults', 'alerts']) });
    assert.equal(result.complete, true);
    // One action group and one rule per subscription, two subscriptions.
    assert.equal(result.records.actionGroup, 2);
    assert.equal(result.records.alertProcessingRule, 2);
    for (const s of emu.estate.subscriptions) {
      assert.deepEqual(result.coverage.find((c) => c.scope === `alerts:subscription:${s.subscriptionId}`), { scope: `alerts:subscription:${s.subscriptionId}`, status: 'collected', error: null });
    }
    const versions = emu.requests.filter((r) => /actiongroups$|actionrules$/i.test(r.path)).map((r) => [r.path.split('/').pop()!.toLowerCase(), r.query['api-version']]);
    assert.deepEqual([...new Set(versions.map((v) => v.join(' ')))].sort(), ['actionGroups 2023-01-01'.toLowerCase(), 'actionrules 2021-08-08']);
    const routing = new Map(routingOf(store, result.snapshotId).vaults.map((v) => [v.vaultName, v]));
    // The rule covers each subscription's first Recovery Services vault: its enabled email (subscription index 0) is reached (the SMS is disabled);
    // the emulator's vaults do not state their job-failure alert setting, so that vault is "unknown", the others reach no one.
    const first = routing.get('rsv-s1-v001')!;
    assert.deepEqual(first.receivers.map((r) => [r.kind, r.target]), [['email', 'backup-oncall-0@contoso.example']]);
    assert.equal(first.verdict, 'unknown');
    assert.equal(routing.get('rsv-s1-v002')!.verdict, 'noOne');
  });

  it('records a failed alerts scope when action groups cannot be read', async () => {
    const failing = await startArmEmulator({ faults: [{ match: /actiongroups$/i, status: 403, code: 'AuthorizationFailed', message: 'no Microsoft.Insights/actionGroups/read' }] });
    try {
      const { store } = tempStore();
      const { result } = await collectFromEmulator(failing, store, { include: new Set(['backup-vaults', 'alerts']) });
      assert.equal(result.complete, false);
      const cov = result.coverage.filter((c) => c.scope.startsWith('alerts:'));
      assert.equal(cov.length, 2);
      for (const c of cov) assert.deepEqual([c.status, c.error?.code], ['failed', 'AuthorizationFailed']);
      assert.equal(result.records.actionGroup ?? 0, 0);
    } finally {
      await failing.close();
    }
  });
});
