/**
 * `vaultproof alerts`: per vault, whether a failed backup reaches a named
 * receiver — job-failure alerts on or off, the alert processing rules that
 * cover the vault and the action groups' enabled receivers (alerts.* methods).
 */
import type { AlertRoutingReport } from '../../shared/contract/methods/alerts.ts';
import { call, printJson, requirePositionals, strArg, withCore } from './run.ts';
import type { CliIo, CommandRuns } from './types.ts';

const verdictWords = { reaches: 'failures reach a named receiver', noOne: 'FAILURES REACH NO ONE', unknown: 'cannot tell from this snapshot' } as const;

export function printRouting(io: CliIo, r: AlertRoutingReport): void {
  io.stdout(`alert routing of snapshot ${r.snapshot.id} (as of ${r.snapshot.asOf}): ${r.actionGroups} action group(s), ${r.alertProcessingRules} alert processing rule(s)\n`);
  if (r.actionGroups + r.alertProcessingRules === 0) io.stdout('  no action groups or alert processing rules in this snapshot: export them with the commands `vaultproof kit` prints\n');
  for (const v of r.vaults) {
    io.stdout(`\n${v.vaultName}: ${verdictWords[v.verdict]}\n`);
    io.stdout(`  job-failure alerts (Azure Monitor): ${v.jobFailureAlerts ?? 'not stated'}\n`);
    io.stdout(`  why: ${v.why}\n`);
    for (const rule of v.rules) {
      const state = rule.enabled === false ? 'disabled' : rule.match === 'excluded' ? 'does not apply' : rule.action === 'remove' ? 'removes all action groups' : 'adds action groups';
      io.stdout(`  rule ${rule.name}: ${state}${rule.notes.length > 0 ? ` (${rule.notes.join('; ')})` : ''}\n`);
    }
    for (const rc of v.receivers) io.stdout(`    ${rc.kind} ${rc.name ?? ''}${rc.target ? ` <${rc.target}>` : ''} via ${rc.actionGroup} (rule ${rc.rule})\n`);
  }
}

export const runs: CommandRuns = {
  async 'alerts'(args, io) {
    const [snapshot] = requirePositionals(args, 1, this.usage);
    const vault = strArg(args, 'vault');
    const r = await withCore(args, (core) => call(core, 'alerts.routing', { snapshot, ...(vault ? { vault } : {}) }));
    if (args.values.json) await printJson(io, r);
    else printRouting(io, r);
    return 0;
  },
};
