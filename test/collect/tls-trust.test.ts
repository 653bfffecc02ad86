import assert from 'node:assert/strict';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { startArmEmulator, type ArmEmulator } from '../harness/arm-emulator/index.ts';
import { collectFromEmulator, emulatorOptions, tempStore } from './helpers.ts';

/*
 * The extra CA reaches the HTTP layer as one prebuilt secure context (not as
 * the agent's `ca` list, which node concatenates into every request's pool
 * name). It must still decide trust: the emulator's certificate is accepted
 * with its own CA and refused with any other.
 */
describe('extra CA trust', () => {
  let emu: ArmEmulator;
  before(async () => {
    emu = await startArmEmulator({ backupVaultsPerSubscription: 0 });
  });
  after(async () => {
    await emu.close();
  });

  it('another CA than the server’s: the handshake is refused, no request reaches the server, every subscription is failed', async () => {
    const { store } = tempStore();
    const base = emulatorOptions(emu, { include: new Set() });
    const otherCa = tls.rootCertificates[0]!;
    const { result } = await collectFromEmulator(emu, store, { cloud: { ...base.cloud, extraCa: [otherCa] }, include: new Set() });
    assert.equal(result.complete, false);
    assert.equal(result.itemCount, 0);
    const subs = result.coverage.filter((c) => c.scope.startsWith('subscription:'));
    assert.equal(subs.length, emu.estate.subscriptions.length);
    for (const c of subs) {
      assert.equal(c.status, 'failed');
      assert.match(`${c.error?.code} ${c.error?.message}`, /self[- ]signed|unable to verify|SELF_SIGNED|UNABLE_TO_VERIFY/i);
    }
    assert.equal(emu.requests.filter((r) => r.path.startsWith('/subscriptions')).length, 0);
    store.close();
  });

  it('the server’s own CA: collected', async () => {
    const { store } = tempStore();
    const { result } = await collectFromEmulator(emu, store, { include: new Set() });
    assert.equal(result.complete, true);
    assert.equal(result.itemCount, 36);
    store.close();
  });
});
