/**
 * `vaultproof restore-catalog`: per item, what can be restored (latest and
 * oldest point by tier and region), how (the workload's restore options), the
 * last drill, and the commands that list its recovery points and restore it
 * (restore.* methods). It prints commands; it never runs one.
 */
import type { RestoreCatalogRun } from '../../shared/contract/methods/restore.ts';
import { describeSpan } from '../../shared/domain/restore/catalog.ts';
import type { RestoreEntry } from '../../shared/domain/restore/catalog.ts';
import { call, numArg, printJson, requirePositionals, strArg, withCore } from './run.ts';
import type { CliIo, CommandRuns } from './types.ts';

function utc(t: string | null): string {
  return t ? `${t.slice(0, 16).replace('T', ' ')} UTC` : 'none';
}

export function printEntry(io: CliIo, e: RestoreEntry): void {
  io.stdout(`\n${e.name} (${e.vault ?? 'no vault'}, ${e.workload ?? 'workload not stated'}, ${e.softDeleted ? 'soft-deleted' : (e.protectionState ?? 'state not stated')})\n`);
  if (e.container) io.stdout(`  container ${e.container}; item ${e.itemName ?? '?'}\n`);
  else if (e.itemName) io.stdout(`  backup instance ${e.itemName}\n`);
  const p = e.points;
  if (!p) {
    io.stdout(`  recovery points not listed for this vault; the item record says latest ${utc(e.itemSays.latest)}, oldest ${utc(e.itemSays.oldest)}${e.itemSays.count === null ? '' : `, ${e.itemSays.count} point(s)`}\n`);
  } else {
    io.stdout(`  latest point ${utc(p.primary.latest)}, oldest ${utc(p.primary.oldest)} (${p.primary.count} listed)\n`);
    io.stdout(`  snapshot: ${describeSpan(p.byTier.snapshot)}; vault-standard: ${describeSpan(p.byTier.vaultStandard)}; archive: ${describeSpan(p.byTier.archive)}\n`);
  }
  const crr = e.crossRegionRestore === null ? 'not stated' : e.crossRegionRestore ? 'on' : 'off';
  const secondary = e.crossRegionRestore !== true ? '' : !p?.secondaryCollected ? '; secondary-region points not listed' : `; secondary region: ${describeSpan(p.secondary)}`;
  io.stdout(`  cross-region restore: ${crr}${secondary}\n`);
  io.stdout(`  restore options: ${e.options.map((o) => o.label).join('; ') || 'none known for this workload'}\n`);
  io.stdout(`  last drill: ${e.lastDrill ? `${e.lastDrill.date} ${e.lastDrill.outcome} (${e.lastDrill.id})` : 'none recorded'}\n`);
  const c = e.commands;
  if (c.list.az) io.stdout(`  list points:   ${c.list.az}\n`);
  if (c.list.powershell) io.stdout(`                 ${c.list.powershell}\n`);
  if (c.show.az) io.stdout(`  show a point:  ${c.show.az}\n`);
  c.restore.az.forEach((line, i) => io.stdout(`  ${i === 0 ? 'restore:      ' : '              '} ${line}\n`));
  for (const line of c.restore.powershell) io.stdout(`                 ${line}\n`);
  for (const n of c.notes) io.stdout(`  note: ${n}\n`);
}

export function printCatalog(io: CliIo, r: RestoreCatalogRun): void {
  io.stdout(`restore catalog of snapshot ${r.snapshot.id} (as of ${r.snapshot.asOf}): ${r.total} item(s)${r.entries.length < r.total ? `, the first ${r.entries.length} shown (--limit)` : ''}\n`);
  if (r.listedVaults === 0) io.stdout('  the snapshot lists no recovery points: latest points are what each item record says (import `az backup recoverypoint list` output or collect with recovery points)\n');
  io.stdout('  commands only read, except the restore lines; <...> marks the restore target to fill in\n');
  for (const e of r.entries) printEntry(io, e);
}

export const runs: CommandRuns = {
  async 'restore-catalog'(args, io) {
    const [snapshot, key] = requirePositionals(args, 1, this.usage);
    const vault = strArg(args, 'vault');
    const limit = numArg(args, 'limit', { integer: true });
    const r = await withCore(args, (core) => call(core, 'restore.catalog', { snapshot, ...(key ? { key } : {}), ...(vault ? { vault } : {}), ...(limit !== undefined ? { limit } : {}) }));
    if (args.values.json) await printJson(io, r);
    else printCatalog(io, r);
    return 0;
  },
};
