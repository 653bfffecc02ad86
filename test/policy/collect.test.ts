import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { policyStatesQuery } from '../../electron/core/collect/graph.ts';
import { policyReport } from '../../electron/core/policy/report.ts';
import { startArmEmulator, type ArmEmulator } from '../harness/arm-emulator/index.ts';
import { collectFromEmulator, tempStore } from '../collect/helpers.ts';

/*
 * Expected figures, worked out from the emulator's default estate
 * (test/harness/arm-emulator/estate.ts): 2 subscriptions × 3 Recovery Services
 * vaults × 6 items, item kinds dealt vm, vm, afs, sql, vmUnhealthy, vm, so
 * items 1, 2, 5 and 6 of each vault are VMs backed up as VMs: 12 per
 * subscription; plus 2 unprotected VMs per subscription. One state each for
 * the VM backup definition: 14 per subscription, 28 in all.
 * Compliant for each backed-up VM except the first of the first vault
 * (NonCompliant: disagrees, policy says no backup where an item is);
 * NonCompliant for the unprotected VMs (agrees: no item either).
 */
describe('live collection of Azure Policy compliance states (include "policy")', () => {
  let emu: ArmEmulator;
  before(async () => {
    emu = await startArmEmulator();
  });
  after(async () => {
    await emu.close();
  });

  it('asks Resource Graph for the backup definitions only, and the snapshot reconciles them with its items', async () => {
    const { store } = tempStore();
    const { result } = await collectFromEmulator(emu, store, { include: new Set(['policy']) });
    assert.equal(result.complete, true);
    assert.deepEqual(result.coverage.find((c) => c.scope === 'resource-graph:policy-states'), { scope: 'resource-graph:policy-states', status: 'collected', error: null });
    assert.equal(result.records.policyState, 28);

    const graphCalls = emu.requests.filter((r) => /resourcegraph\/resources$/i.test(r.path));
    assert.equal(graphCalls.length, 1);
    const query = String((graphCalls[0]!.body as { query?: unknown }).query);
    assert.match(query, /^PolicyResources \| where type =~ 'microsoft\.policyinsights\/policystates'/);
    // The five built-in backup definitions of assets/azure/backup-policy-definitions.json, by id.
    for (const name of ['013e242c-8828-4970-87b3-ab247555486d', '09ce66bc-1220-4153-8104-e3f51c936913', 'a25a41a7-a769-4271-841d-7ce0297be0c0']) {
      assert.ok(query.includes(`'/providers/microsoft.authorization/policydefinitions/${name}'`), query);
    }

    const r = policyReport(store, result.snapshotId);
    assert.equal(r.states, 28);
    assert.equal(r.backupStates, 28);
    assert.equal(r.disagree, 2);
    assert.equal(r.agree, 26);
    assert.equal(r.notChecked, 0);
    const first = emu.estate.subscriptions.map((s) => `/subscriptions/${s.subscriptionId}/resourcegroups/rg-workload-${s.index + 1}/providers/microsoft.compute/virtualmachines/vm-s${s.index + 1}v1i1`);
    assert.deepEqual(r.disagreements.map((d) => [d.resourceKey, d.kind]).sort(), first.map((k) => [k, 'policyNonCompliant']).sort());
  });

  it('a refused Resource Graph query leaves the policy scope failed and keeps no state', async () => {
    const failing = await startArmEmulator({ faults: [{ match: /resourcegraph\/resources$/i, status: 403, code: 'AuthorizationFailed', message: 'no Microsoft.ResourceGraph/resources/read' }] });
    try {
      const { store } = tempStore();
      const { result } = await collectFromEmulator(failing, store, { include: new Set(['policy']) });
      assert.equal(result.complete, false);
      const cov = result.coverage.find((c) => c.scope === 'resource-graph:policy-states');
      assert.deepEqual([cov?.status, cov?.error?.code], ['failed', 'AuthorizationFailed']);
      assert.equal(result.records.policyState ?? 0, 0);
    } finally {
      await failing.close();
    }
  });

  it('the query names definitions only by their GUID', () => {
    assert.throws(() => policyStatesQuery(["x') or true or ('"]), /not a policy definition name/);
  });
});
