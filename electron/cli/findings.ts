/**
 * `vaultproof findings` (findings.* methods). `--fail-on SEVERITY` exits 3
 * when findings at or above it exist that are not excepted (an exception is
 * accepted risk, so it never fails the gate); the report is printed either
 * way.
 */
import type { FindingsRun } from '../../shared/contract/methods/analysis.ts';
import type { Finding } from '../../shared/domain/findings.ts';
import { resourceGroupOfId, vaultLabels } from '../../shared/domain/names.ts';
import { severities } from '../../shared/domain/profile.ts';
import { toErrorInfo, UserError } from '../core/errors.ts';
import { terminalSafeName } from '../core/terminal-text.ts';
import { methods } from '../../shared/contract/index.ts';
import { zodMessage } from '../../shared/contract/zod-message.ts';
import { FindingsHalf, findingsJson } from '../core/analysis/findings-split.ts';
import { printPieces } from './json-out.ts';
import { call, isOneOf, requirePositionals, strArg, table, withCore } from './run.ts';
import type { CommandRuns } from './types.ts';

/**
 * What each finding is about, as a reader names it: the item's label (its
 * name, with server and vault where the name repeats), a vault's name (with
 * its resource group where two vaults share it), else the resource's name.
 */
function findingNames(r: FindingsRun): (f: Finding) => string {
  const lastSegment = (id: string) => id.split('/').filter(Boolean).pop() ?? id;
  const vaultFindings = r.findings.filter((f) => typeof f.evidence.vault === 'string' && !f.target.startsWith('item:'));
  const vaults = vaultLabels([...new Map(vaultFindings.map((f) => [f.key, { key: f.key, name: f.evidence.vault as string, resourceGroup: resourceGroupOfId(f.key) }])).values()]);
  return (f) => {
    const label = r.labels?.[f.key] ?? vaults.get(f.key) ?? (typeof f.evidence.name === 'string' ? f.evidence.name : lastSegment(f.key));
    return terminalSafeName(label);
  };
}

export const runs: CommandRuns = {
  async 'findings'(args, io) {
    const [snapshot] = requirePositionals(args, 1, this.usage);
    const failOn = strArg(args, 'fail-on');
    if (failOn !== undefined && !isOneOf(severities, failOn)) {
      throw new UserError('BAD_INPUT', `--fail-on ${JSON.stringify(failOn)}: expected one of ${severities.join(', ')}`);
    }
    const profilePath = strArg(args, 'profile');
    const input = { snapshot, ...(profilePath ? { profilePath } : {}), ...(failOn ? { failOn } : {}), ...(args.values.json ? { labels: false } : {}) };
    if (args.values.json) {
      // The text is written as it is made (a big snapshot's on two threads: findings-split.ts), not through findings.run's object.
      const parsed = methods['findings.run'].input.safeParse(input);
      if (!parsed.success) throw new UserError('BAD_INPUT', `invalid input for findings.run: ${zodMessage(parsed.error.issues)}`);
      // Its second thread starts now, while the store is opened (loading its code takes 0.1-0.2 s).
      const half = FindingsHalf.start();
      const gate = await withCore(args, async (core) => {
        try {
          const j = await findingsJson(core.store(), parsed.data.snapshot, { ...(parsed.data.profilePath ? { profilePath: parsed.data.profilePath } : {}), ...(parsed.data.failOn ? { failOn: parsed.data.failOn } : {}), half });
          await printPieces(io, j.pieces);
          return j.gate;
        } catch (e) {
          const { code, message, ...where } = toErrorInfo(e, core.storePath);
          throw new UserError(code, message, where);
        } finally {
          await half?.stop();
        }
      });
      return gate?.failed ? 3 : 0;
    }
    const r = await withCore(args, (core) => call(core, 'findings.run', input));
    io.stdout(`findings for ${r.snapshot.id}, judged at ${r.asOf} with ${r.profile.name} ${r.profile.version} (sha256 ${r.profileHash.slice(0, 16)}…)\n`);
    io.stdout(`  ${r.counts.total} findings (${r.counts.excepted} excepted): ${severities.map((s) => `${s} ${r.counts.bySeverity[s]}`).join(', ')}\n`);
    if (r.findings.length > 0) {
      const names = findingNames(r);
      io.stdout(table(r.findings.map((f) => ({ severity: f.severity, rule: f.rule, excepted: f.excepted ? `until ${f.exception?.expires}` : '', target: names(f) })), ['severity', 'rule', 'excepted', 'target']));
    }
    for (const n of r.notEvaluated) io.stdout(`  not evaluated: ${n.rule} — ${n.reason}\n`);
    for (const a of r.assumptions) io.stdout(`  note: ${a.rule} — ${a.note}\n`);
    if (r.gate) io.stdout(`  --fail-on ${r.gate.failOn}: ${r.gate.failed ? `FAILED (${r.gate.count} finding(s) not excepted)` : 'passed'}\n`);
    return r.gate?.failed ? 3 : 0;
  },
};
