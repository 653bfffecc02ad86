/**
 * `vaultproof diff` (diff.* methods). `--json` prints the issue's shape first;
 * roll-ups and provenance follow.
 */
import type { DiffReport } from '../../shared/contract/methods/analysis.ts';
import { terminalSafeName } from '../core/terminal-text.ts';
import { call, printJson, requirePositionals, withCore } from './run.ts';
import type { CliIo, CommandRuns } from './types.ts';

function diffJson(d: DiffReport): unknown {
  return {
    added: d.added,
    removed: d.removed,
    changed: d.changed,
    unchanged: d.unchanged,
    notCompared: d.notCompared,
    rollups: d.rollups,
    baseline: d.baseline,
    current: d.current,
    ...(d.access ? { access: d.access } : {}),
    ...(d.alerts ? { alerts: d.alerts } : {}),
  };
}

function printDiff(io: CliIo, d: DiffReport): void {
  io.stdout(`diff ${d.baseline.id} (as of ${d.baseline.asOf}) → ${d.current.id} (as of ${d.current.asOf})\n`);
  io.stdout(`  added ${d.added.length}, removed ${d.removed.filter((r) => r.reason !== 'notCollected').length}, not collected ${d.removed.filter((r) => r.reason === 'notCollected').length}, changed ${d.changed.length}, unchanged ${d.unchanged}\n`);
  for (const n of d.notCompared) io.stdout(`  not compared: ${n.field} (${n.reason})\n`);
  // Items by name (with server and vault where a name repeats); the keys are in --json.
  const name = (k: string) => terminalSafeName(d.labels?.[k] ?? k);
  for (const k of d.added) io.stdout(`+ ${name(k)}\n`);
  for (const r of d.removed) io.stdout(`- ${name(r.key)} [${r.reason}]\n`);
  for (const c of d.changed) {
    io.stdout(`~ ${name(c.key)}\n`);
    for (const [f, v] of Object.entries(c.fields)) io.stdout(`    ${f}: ${JSON.stringify(v.before)} → ${JSON.stringify(v.after)}\n`);
  }
  if (d.access) {
    io.stdout(`access: ${d.access.changes.length === 0 ? 'no change' : `${d.access.changes.length} change(s)`}${d.access.rightsCompared ? '' : ' (rights not compared: a snapshot holds no role assignments)'}\n`);
    for (const c of d.access.changes) {
      io.stdout(`  ${c.sentence}\n`);
      for (const p of c.added) io.stdout(`    + ${p.name ?? p.objectId} (${p.role} at ${p.inheritedFrom ?? 'the vault'})\n`);
      for (const p of c.removed) io.stdout(`    - ${p.name ?? p.objectId} (${p.role} at ${p.inheritedFrom ?? 'the vault'})\n`);
    }
  }
  if (d.alerts) {
    io.stdout(`alert routing: ${!d.alerts.compared ? 'not compared (a snapshot holds no action groups or alert processing rules)' : d.alerts.changes.length === 0 ? 'no change' : `${d.alerts.changes.length} change(s)`}\n`);
    if (d.alerts.compared) for (const c of d.alerts.changes) io.stdout(`  ${c.sentence}\n`);
  }
}

export const runs: CommandRuns = {
  async 'diff'(args, io) {
    const [baseline, current] = requirePositionals(args, 2, this.usage);
    const d = await withCore(args, (core) => call(core, 'diff.run', { baseline, current, ...(args.values.json ? { labels: false } : {}) }));
    if (args.values.json) await printJson(io, diffJson(d));
    else printDiff(io, d);
    return 0;
  },
};
