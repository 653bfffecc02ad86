/** Rules on alert routing: does a failed backup reach a named receiver? */
import { resourceTarget } from '../annotations.ts';
import { alertRouting } from '../alerts/routing.ts';
import type { RoutingVault } from '../alerts/routing.ts';
import type { FindingRule } from './rule.ts';

const notCollected =
  'the snapshot holds neither the vaults’ monitoring settings nor alert processing rules or action groups (import az monitor alert-processing-rule list and az monitor action-group list; see vaultproof kit)';

export const alertsReachNoOne: FindingRule = {
  id: 'alerts-reach-no-one',
  check(ctx) {
    const a = ctx.input.alerts;
    const routing = a ? a.actionGroups.length + a.alertProcessingRules.length : 0;
    const settings = ctx.input.vaults.some((v) => v.monitoringSettings?.jobFailureAlerts != null);
    if (ctx.input.vaults.length === 0) return 'the snapshot holds no vault records';
    return routing === 0 && !settings ? notCollected : null;
  },
  evaluate(ctx) {
    const vaults: RoutingVault[] = [];
    let noId = 0;
    for (const v of ctx.input.vaults) {
      if (!v.id || !v.kind) {
        noId++;
        continue;
      }
      vaults.push({ key: v.key, id: v.id, name: v.name, kind: v.kind, monitoringSettings: v.monitoringSettings ?? null });
    }
    const a = ctx.input.alerts ?? { actionGroups: [], alertProcessingRules: [] };
    let unknown = 0;
    for (const r of alertRouting({ vaults, actionGroups: a.actionGroups, alertProcessingRules: a.alertProcessingRules })) {
      if (r.verdict === 'unknown') unknown++;
      if (r.verdict !== 'noOne') continue;
      ctx.emit('alerts-reach-no-one', r.vaultKey, resourceTarget(r.vaultKey), {
        vault: r.vaultName,
        jobFailureAlerts: r.jobFailureAlerts,
        why: r.why,
        rules: r.rules.map((x) => ({ name: x.name, action: x.action, match: x.match, enabled: x.enabled, notes: x.notes })),
        receivers: 0,
      });
    }
    if (unknown + noId > 0) ctx.assumptions.push({ rule: 'alerts-reach-no-one', note: `${unknown + noId} vault(s) whose failure-alert routing the snapshot cannot settle; not judged` });
  },
};
