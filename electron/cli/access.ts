/**
 * `vaultproof access`: per vault, who can delete backup data, stop protection,
 * change soft delete or immutability, restore, and grant access — with the
 * scope each right comes from (access.* methods).
 */
import type { AccessReport } from '../../shared/contract/methods/access.ts';
import { capabilities, capabilityLabel } from '../../shared/domain/access/vault-access.ts';
import type { AccessPrincipalRef } from '../../shared/domain/access/diff.ts';
import { terminalSafeName } from '../core/terminal-text.ts';
import { call, printJson, requirePositionals, strArg, withCore } from './run.ts';
import type { CliIo, CommandRuns } from './types.ts';

function yesNo(v: boolean | null, yes: string, no: string): string {
  return v === null ? 'not collected' : v ? yes : no;
}

export function printAccess(io: CliIo, r: AccessReport, baseline?: string): void {
  io.stdout(`access evidence of snapshot ${r.snapshot.id} (as of ${r.snapshot.asOf})\n`);
  io.stdout(`  ${r.assignments} role assignment(s), ${r.roleDefinitions} custom role definition(s); ${r.builtInRoles.count} built-in roles shipped (copied ${r.builtInRoles.retrieved.join(', ')})\n`);
  if (r.assignments === 0) io.stdout('  no role assignments in this snapshot: import `az role assignment list --all --include-inherited -o json` (see `vaultproof kit`)\n');
  for (const v of r.vaults) {
    io.stdout(`\n${v.vaultName} (${v.kind === 'BackupVault' ? 'Backup vault' : 'Recovery Services vault'})\n`);
    io.stdout(`  Resource Guard (MUA): ${yesNo(v.resourceGuard, 'protects critical operations', 'none')}; immutability: ${v.immutabilityState ?? 'not collected'}${v.immutabilityLocked ? ' (locked)' : ''}; soft delete: ${v.softDeleteState ?? 'not collected'}${v.softDeleteAlwaysOn ? ' (always on)' : ''}\n`);
    for (const c of capabilities) {
      const n = v.principalCounts[c];
      io.stdout(`  can ${capabilityLabel[c]}: ${n} principal(s)\n`);
      for (const g of v.grants.filter((x) => x.capabilities.includes(c))) {
        const who = g.principalName ?? g.principalId;
        const flags = [g.principalType ?? 'unknown type', g.guest ? 'guest' : null].filter(Boolean).join(', ');
        io.stdout(`    ${who} (${flags}) — ${g.role}${g.custom ? ' (custom)' : ''} at ${g.inheritedFrom ?? 'this vault'}\n`);
      }
    }
    if (v.unresolved.length > 0) {
      io.stdout(`  ${v.unresolved.length} assignment(s) with a role not in the snapshot nor among the built-ins (not counted):\n`);
      for (const u of v.unresolved) io.stdout(`    ${u.principalName ?? u.principalId} — ${u.roleName ?? u.roleId} at ${u.scope}\n`);
    }
  }
  if (r.changes) printChanges(io, r.changes, baseline ?? 'the baseline');
}

function who(p: AccessPrincipalRef): string {
  const name = p.name === null ? p.objectId : `${p.name} [${p.objectId}]`;
  return `${terminalSafeName(name)} (${terminalSafeName(p.role)} at ${terminalSafeName(p.inheritedFrom ?? 'this vault')})`;
}

/** Who gained (+) or lost (-) which right since the baseline; the sentence names the right and the vault. */
function printChanges(io: CliIo, d: NonNullable<AccessReport['changes']>, baseline: string): void {
  const count = d.changes.length === 0 ? 'no change' : `${d.changes.length} change(s)`;
  io.stdout(`\nchanges since baseline ${terminalSafeName(baseline)}: ${count}${d.rightsCompared ? '' : ' (rights not compared: a snapshot holds no role assignments; guards were)'}\n`);
  for (const c of d.changes) {
    io.stdout(`  ${terminalSafeName(c.sentence)}\n`);
    for (const p of c.added) io.stdout(`    + ${who(p)}\n`);
    for (const p of c.removed) io.stdout(`    - ${who(p)}\n`);
  }
}

export const runs: CommandRuns = {
  async 'access'(args, io) {
    const [snapshot] = requirePositionals(args, 1, this.usage);
    const vault = strArg(args, 'vault');
    const baseline = strArg(args, 'baseline');
    const r = await withCore(args, (core) => call(core, 'access.report', { snapshot, ...(vault ? { vault } : {}), ...(baseline ? { baseline } : {}) }));
    if (args.values.json) await printJson(io, r);
    else printAccess(io, r, baseline);
    return 0;
  },
};
