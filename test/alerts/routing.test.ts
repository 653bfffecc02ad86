import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { alertRouting, routingDiff, scopeCovers } from '../../shared/domain/alerts/routing.ts';
import type { RoutingVault } from '../../shared/domain/alerts/routing.ts';
import { evaluateFindings } from '../../shared/domain/findings.ts';
import { normaliseActionGroup } from '../../shared/domain/normalise/monitoring.ts';
import type { AlertProcessingRuleRecord } from '../../shared/domain/types.ts';
import { loadProfile } from '../../electron/core/analysis/assets.ts';

// The action groups are the documented REST example (test/fixtures/alerts/SOURCE.md): SampleActionGroup has John's email
// (Enabled), Jane's email (Disabled), John's SMS (Disabled), Jane's SMS (Enabled) and two webhooks that state no status.
const groups = (JSON.parse(fs.readFileSync(new URL('../fixtures/alerts/arm-action-groups.json', import.meta.url), 'utf8')) as { value: Array<Record<string, unknown> & { id: string }> }).value.map((g) =>
  normaliseActionGroup(g, g.id),
);
const SUB = '/subscriptions/187f412d-1758-44d9-b052-169e2564721d';
const sample = groups.find((g) => g.name === 'SampleActionGroup')!;

const vaultOf = (name: string, rg: string, kind: RoutingVault['kind'], jfa: string | null): RoutingVault => {
  const id = kind === 'BackupVault' ? `${SUB}/resourceGroups/${rg}/providers/Microsoft.DataProtection/backupVaults/${name}` : `${SUB}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${name}`;
  return { key: id.toLowerCase(), id, name, kind, monitoringSettings: jfa === null ? null : { jobFailureAlerts: jfa, classicCriticalOperationAlerts: null } };
};

function rule(name: string, scope: string, o: Partial<AlertProcessingRuleRecord> = {}): AlertProcessingRuleRecord {
  const id = `${SUB}/resourceGroups/rg-monitor/providers/Microsoft.AlertsManagement/actionRules/${name}`;
  return { key: id.toLowerCase(), id, name, subscriptionId: SUB.split('/')[2]!, resourceGroup: 'rg-monitor', enabled: true, description: null, scopes: [scope], conditions: [], actions: [], scheduled: false, ...o };
}

const prod = vaultOf('rsv-prod', 'rg-backup', 'RecoveryServices', 'Enabled');
const dev = vaultOf('rsv-dev', 'rg-dev', 'RecoveryServices', 'Enabled');
const off = vaultOf('rsv-off', 'rg-backup', 'RecoveryServices', 'Disabled');
const bv = vaultOf('bv-disks', 'rg-app', 'BackupVault', 'Enabled');
const unstated = vaultOf('rsv-old', 'rg-backup', 'RecoveryServices', null);
// Routes every Recovery Services vault's backup alerts in the subscription to SampleActionGroup (its id written in another case).
const toOps = rule('backup-to-ops', SUB, {
  conditions: [
    { field: 'MonitorService', operator: 'Equals', values: ['Azure Backup'] },
    { field: 'TargetResourceType', operator: 'Equals', values: ['Microsoft.RecoveryServices/vaults'] },
  ],
  actions: [{ actionType: 'AddActionGroups', actionGroupIds: [sample.id.toUpperCase()] }],
});
// Silences rg-dev all day, every day.
const muteDev = rule('mute-dev', `${SUB}/resourceGroups/rg-dev`, { actions: [{ actionType: 'RemoveAllActionGroups', actionGroupIds: [] }] });
const rules = [toOps, muteDev];

test('a scope covers the resource itself and what lies under it, by whole segments', () => {
  assert.ok(scopeCovers(`${SUB}/resourceGroups/rg-dev`, dev.id));
  assert.ok(scopeCovers(SUB.toUpperCase(), dev.id));
  assert.ok(!scopeCovers(`${SUB}/resourceGroups/rg-de`, dev.id));
  assert.ok(!scopeCovers(`${SUB}/resourceGroups/rg-dev`, `${SUB}/resourceGroups/rg-dev2/providers/Microsoft.RecoveryServices/vaults/x`));
});

test('per vault: who hears a failed backup, and why nobody does', () => {
  const r = new Map(alertRouting({ vaults: [prod, dev, off, bv, unstated], actionGroups: groups, alertProcessingRules: rules }).map((v) => [v.vaultName, v]));
  const p = r.get('rsv-prod')!;
  assert.equal(p.verdict, 'reaches');
  // 2 of 4 named receivers are Disabled; the webhooks state no status and count as on.
  assert.deepEqual(p.receivers.map((x) => `${x.kind}:${x.name}`).sort(), ["email:John Doe's email", "sms:Jane Smith's mobile", 'webhook:Sample webhook', 'webhook:Sample webhook 2']);
  assert.ok(p.receivers.every((x) => x.actionGroup === 'SampleActionGroup' && x.rule === 'backup-to-ops'));
  assert.equal(r.get('rsv-dev')!.verdict, 'noOne');
  assert.equal(r.get('rsv-dev')!.why, 'alert processing rule mute-dev removes all action groups');
  assert.equal(r.get('rsv-off')!.verdict, 'noOne');
  assert.equal(r.get('rsv-off')!.why, 'built-in Azure Monitor alerts for job failures are off');
  // The only rule covering the Backup vault names Recovery Services vaults as its target type.
  const b = r.get('bv-disks')!;
  assert.equal(b.verdict, 'noOne');
  assert.equal(b.rules[0]!.match, 'excluded');
  assert.equal(b.why, 'no covering rule adds an action group with an enabled receiver');
  assert.equal(r.get('rsv-old')!.verdict, 'unknown');
});

test('a scheduled suppression does not silence the vault; a condition on severity is an assumption, said so', () => {
  const sched = rule('mute-nights', `${SUB}/resourceGroups/rg-dev`, { scheduled: true, actions: [{ actionType: 'RemoveAllActionGroups', actionGroupIds: [] }] });
  const sev = rule('sev-to-ops', SUB, { conditions: [{ field: 'Severity', operator: 'Equals', values: ['Sev1'] }], actions: [{ actionType: 'AddActionGroups', actionGroupIds: [sample.id] }] });
  const [d] = alertRouting({ vaults: [dev], actionGroups: groups, alertProcessingRules: [sched, sev] });
  assert.equal(d!.verdict, 'reaches');
  assert.deepEqual(d!.rules.find((x) => x.name === 'sev-to-ops')!.notes, ['condition on Severity assumed to include backup job failures']);
  assert.deepEqual(d!.rules.find((x) => x.name === 'mute-nights')!.notes, ['applies only at scheduled times']);
});

test('without any routing records a vault with alerts on is unknown, not "no one"', () => {
  const [p] = alertRouting({ vaults: [prod], actionGroups: [], alertProcessingRules: [] });
  assert.equal(p!.verdict, 'unknown');
});

test('the diff names a vault that now reaches no one and the receivers lost', () => {
  const before = alertRouting({ vaults: [prod, dev], actionGroups: groups, alertProcessingRules: [toOps] });
  const after = alertRouting({ vaults: [prod, dev], actionGroups: groups, alertProcessingRules: rules });
  const d = routingDiff(before, after);
  assert.equal(d.length, 1);
  assert.equal(d[0]!.vaultName, 'rsv-dev');
  assert.equal(d[0]!.before, 'reaches');
  assert.equal(d[0]!.after, 'noOne');
  assert.equal(d[0]!.removed.length, 4);
  assert.match(d[0]!.sentence, /^rsv-dev: failure alerts now reach no one \(alert processing rule mute-dev removes all action groups\); 4 receiver\(s\) fewer: /);
});

test('findings: alerts-reach-no-one for each vault whose failures reach nobody; the unsettled ones are noted', () => {
  const profile = loadProfile();
  const vault = (v: RoutingVault) => ({ ...v, storageRedundancy: null, crossRegionRestore: null, softDeleteState: null, immutabilityState: null });
  const r = evaluateFindings({
    asOf: '2025-03-10T12:00:00.000Z',
    profile: profile.value,
    profileHash: profile.hash,
    items: [],
    vaults: [prod, dev, off, bv, unstated].map(vault),
    policies: [],
    inventory: [],
    protectionConfiguredAt: null,
    annotations: new Map(),
    alerts: { actionGroups: groups, alertProcessingRules: rules },
  });
  const found = r.findings.filter((f) => f.rule === 'alerts-reach-no-one');
  assert.deepEqual(found.map((f) => f.evidence.vault).sort(), ['bv-disks', 'rsv-dev', 'rsv-off']);
  assert.equal(found[0]!.target.startsWith('resource:'), true);
  assert.ok(r.assumptions.some((a) => a.rule === 'alerts-reach-no-one' && a.note.startsWith('1 vault(s)')), JSON.stringify(r.assumptions));
  const none = evaluateFindings({ asOf: '2025-03-10T12:00:00.000Z', profile: profile.value, profileHash: profile.hash, items: [], vaults: [vault(unstated)], policies: [], inventory: [], protectionConfiguredAt: null, annotations: new Map() });
  assert.match(none.notEvaluated.find((n) => n.rule === 'alerts-reach-no-one')?.reason ?? '', /monitoring settings/);
});
