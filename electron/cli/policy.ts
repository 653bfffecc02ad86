/**
 * `vaultproof policy`: what Azure Policy says about backup coverage, state by
 * state, against the snapshot's own items; each disagreement is also a
 * finding (policy-disagrees-with-coverage) in `findings` (policy.* methods).
 */
import type { PolicyReport } from '../../shared/contract/methods/policy.ts';
import { call, printJson, requirePositionals, withCore } from './run.ts';
import type { CliIo, CommandRuns } from './types.ts';

export function printPolicy(io: CliIo, r: PolicyReport): void {
  io.stdout(`Azure Policy evidence of snapshot ${r.snapshot.id} (as of ${r.snapshot.asOf}): ${r.states} policy state(s), ${r.backupStates} for backup definitions Vaultproof knows\n`);
  if (r.states === 0) io.stdout('  no policy states in this snapshot: import `az policy state list -o json` (see `vaultproof kit`)\n');
  io.stdout(`  agree with the items: ${r.agree}; disagree: ${r.disagree}; not checked: ${r.notChecked}\n`);
  for (const d of r.disagreements) {
    io.stdout(`\n${d.resourceId}\n`);
    io.stdout(`  ${d.kind === 'policyNonCompliant' ? 'Azure Policy says NOT backed up, but a backup item protects it' : 'Azure Policy says backed up, but no backup item in the snapshot protects it'}\n`);
    for (const s of d.states) io.stdout(`    ${s.complianceState ?? '?'}: ${s.definition} (assignment ${s.assignment ?? '?'}, evaluated ${s.timestamp ?? '?'})\n`);
    for (const p of d.protectors) io.stdout(`    item ${p.name} in ${p.vault ?? '?'}\n`);
  }
}

export const runs: CommandRuns = {
  async 'policy'(args, io) {
    const [snapshot] = requirePositionals(args, 1, this.usage);
    const r = await withCore(args, (core) => call(core, 'policy.reconcile', { snapshot }));
    if (args.values.json) await printJson(io, r);
    else printPolicy(io, r);
    return 0;
  },
};
