/**
 * `vaultproof alerts` and the alert-routing part of `vaultproof diff`, through
 * the shipped bin, over a store holding vault, action group and alert
 * processing rule records (the action group is the documented REST example).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { normaliseActionGroup } from '../../shared/domain/normalise/monitoring.ts';
import type { AlertProcessingRuleRecord, VaultRecord } from '../../shared/domain/types.ts';
import { openStore } from '../../electron/core/store/store.ts';
import type { Store } from '../../electron/core/store/store.ts';
import { cli, tempDir } from '../harness/cli.ts';
import { vault } from '../analysis/estate.ts';

const groups = (JSON.parse(fs.readFileSync(new URL('../fixtures/alerts/arm-action-groups.json', import.meta.url), 'utf8')) as { value: Array<Record<string, unknown> & { id: string }> }).value.map((g) =>
  normaliseActionGroup(g, g.id),
);
const sample = groups.find((g) => g.name === 'SampleActionGroup')!;
const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001';

function rule(name: string, scope: string, actions: AlertProcessingRuleRecord['actions']): AlertProcessingRuleRecord {
  const id = `${SUB}/resourceGroups/rg-monitor/providers/Microsoft.AlertsManagement/actionRules/${name}`;
  return { key: id.toLowerCase(), id, name, subscriptionId: null, resourceGroup: 'rg-monitor', enabled: true, description: null, scopes: [scope], conditions: [], actions, scheduled: false };
}

function snapshot(store: Store, asOf: string, vaults: VaultRecord[], rules: AlertProcessingRuleRecord[]): string {
  const w = store.snapshots.begin(Date.parse(asOf));
  for (const v of vaults) w.add({ type: 'vault', key: v.key, data: v, raw: { id: v.id } });
  for (const g of groups) w.add({ type: 'actionGroup', key: g.key, data: g, raw: { id: g.id } });
  for (const r of rules) w.add({ type: 'alertProcessingRule', key: r.key, data: r, raw: { id: r.id } });
  return w.commit({
    label: null,
    createdAt: asOf,
    asOf,
    source: 'import',
    complete: true,
    provenance: { toolVersion: 'test', source: 'import', user: 'test', createdAt: asOf, asOfSource: 'option', tenants: [], subscriptions: [] },
    coverage: [],
  }).id;
}

test('alerts prints per vault who hears a failed backup; diff reports a vault that now reaches no one', async () => {
  const dir = tempDir('vp-alerts-cli-');
  const storePath = path.join(dir, 'v.db');
  const on = { jobFailureAlerts: 'Enabled', classicCriticalOperationAlerts: null };
  const prod = { ...vault('rsv-prod'), monitoringSettings: on };
  const dev = { ...vault('rsv-dev'), monitoringSettings: on };
  const toOps = rule('backup-to-ops', SUB, [{ actionType: 'AddActionGroups', actionGroupIds: [sample.id] }]);
  const muteDev = rule('mute-dev', dev.id, [{ actionType: 'RemoveAllActionGroups', actionGroupIds: [] }]);
  const store = openStore(storePath);
  const before = snapshot(store, '2025-03-01T00:00:00.000Z', [prod, dev], [toOps]);
  const after = snapshot(store, '2025-03-10T00:00:00.000Z', [prod, dev], [toOps, muteDev]);
  store.close();

  const r = await cli(['alerts', after, '--store', storePath]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /2 action group\(s\), 2 alert processing rule\(s\)/);
  assert.match(r.stdout, /rsv-dev: FAILURES REACH NO ONE\n {2}job-failure alerts \(Azure Monitor\): Enabled\n {2}why: alert processing rule mute-dev removes all action groups/);
  assert.match(r.stdout, /rsv-prod: failures reach a named receiver/);
  assert.match(r.stdout, /email John Doe's email <johndoe@email\.com> via SampleActionGroup \(rule backup-to-ops\)/);
  assert.ok(!r.stdout.includes('janesmith@email.com'), 'a disabled receiver is not listed');

  const d = await cli(['diff', before, after, '--store', storePath]);
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, /alert routing: 1 change\(s\)\n {2}rsv-dev: failure alerts now reach no one \(alert processing rule mute-dev removes all action groups\); 4 receiver\(s\) fewer/);
  const j = await cli(['diff', before, after, '--store', storePath, '--json']);
  const dj = JSON.parse(j.stdout) as { alerts: { compared: boolean; changes: Array<{ vaultName: string; before: string; after: string }> } };
  assert.deepEqual(
    dj.alerts.changes.map((c) => [c.vaultName, c.before, c.after]),
    [['rsv-dev', 'reaches', 'noOne']],
  );
});
