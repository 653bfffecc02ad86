/**
 * The "Access evidence" section (text is escaped by the typesetter, see typeset.ts): per vault, who can delete, stop, weaken, restore or grant, and whether MUA guards it.
 */
import { capabilities, capabilityLabel, type AccessGrant } from '../../../../shared/domain/access/vault-access.ts';
import type { PackModel } from '../model.ts';
import { COLORS, type PdfWriter } from './layout.ts';

function principalCell(g: AccessGrant): string {
  const who = g.principalName ?? g.principalId;
  return g.principalName && g.principalName !== g.principalId ? `${who}\n${g.principalId}` : who;
}

function typeCell(g: AccessGrant): string {
  return [g.principalType ?? 'unknown', g.guest ? 'guest' : null].filter(Boolean).join(', ');
}

export function accessSection(w: PdfWriter, m: PackModel): void {
  const a = m.access;
  if (a === undefined) return;
  w.section('Access evidence');
  if (!a || a.assignments === 0) {
    w.paragraph(
      'The snapshot holds no role assignments, so who can delete, stop or restore backups is not shown. Import `az role assignment list --all --include-inherited -o json` and `az role definition list --custom-role-only -o json` with the snapshot (`vaultproof kit` prints the commands).',
    );
    return;
  }
  w.paragraph(
    `From ${a.assignments} role assignment(s) at vault, resource group, subscription and management group scope, ${a.roleDefinitions} custom role definition(s) from the snapshot and ${a.builtInRoles.count} built-in role definitions shipped with Vaultproof (copied from Microsoft's built-in roles reference on ${a.builtInRoles.retrieved.join(', ')}). A role's actions less its NotActions decide each right. An assignment at a management group is counted for every vault of the snapshot.`,
  );
  if (a.redacted) {
    w.note(
      'Principals are shown as per-pack pseudonyms (pack --redact-principals): the same pseudonym is the same principal throughout this report, the workbook and data/findings.json. The snapshot data files (data/snapshot-*.json) carry the same pseudonyms in every record that named a principal, marked redacted; the snapshot content hash the pack states is that of the original snapshot and cannot be recomputed from them (verify says so; manifest.json records what was redacted).',
    );
  }
  if (a.changes) {
    w.subheading('Changes in access since the baseline');
    if (!a.changes.rightsCompared) w.note('Rights were not compared: one of the two snapshots holds no role assignments.');
    if (a.changes.changes.length === 0) w.paragraph('No change in who can delete, stop, weaken, restore or grant, nor in the guards.');
    for (const c of a.changes.changes) {
      const who = [...c.added.map((p) => `+ ${p.name ?? p.objectId} (${p.role})`), ...c.removed.map((p) => `− ${p.name ?? p.objectId} (${p.role})`)].join('; ');
      w.paragraph(`${c.sentence}${who ? `: ${who}` : ''}`);
    }
  }
  for (const v of a.vaults) {
    w.subheading(`${v.vaultName} — ${v.kind === 'BackupVault' ? 'Backup vault' : 'Recovery Services vault'}`);
    w.keyValues([
      ['Resource Guard (MUA)', v.resourceGuard === null ? 'not collected' : v.resourceGuard ? 'protects critical operations' : 'none: one person can delete alone'],
      ['Immutability', v.immutabilityState === null ? 'not collected' : `${v.immutabilityState}${v.immutabilityLocked ? ' (locked)' : ''}`],
      ['Soft delete', v.softDeleteState === null ? 'not collected' : `${v.softDeleteState}${v.softDeleteAlwaysOn ? ' (always on)' : ''}`],
      ...capabilities.map((c): [string, string] => [`Can ${capabilityLabel[c]}`, `${v.principalCounts[c]} principal(s)`]),
      // Wide enough for the longest label ("Can change soft delete or immutability").
    ], { labelWidth: 200 });
    w.table(
      [
        { header: 'Principal', width: 2.6, maxLines: 5 },
        { header: 'Type', width: 1.1, maxLines: 2 },
        { header: 'Role', width: 1.7, maxLines: 2 },
        { header: 'Inherited from', width: 2, maxLines: 3 },
        { header: 'Can', width: 2.6, maxLines: 5 },
      ],
      v.grants.map((g) => [
        { text: principalCell(g), weight: 'bold' },
        typeCell(g),
        `${g.role}${g.custom ? ' (custom)' : ''}${g.conditional ? ' (with a condition)' : ''}`,
        g.inheritedFrom ?? 'this vault',
        g.capabilities.includes('deleteBackupData')
          ? { text: g.capabilities.map((c) => capabilityLabel[c]).join(', '), color: COLORS.bad }
          : g.capabilities.map((c) => capabilityLabel[c]).join(', '),
      ]),
      { empty: 'No principal holds any of these rights on this vault.' },
    );
    if (v.unresolved.length > 0) w.note(`${v.unresolved.length} assignment(s) name a role that is neither in the snapshot nor among the shipped built-in roles; their holders are not counted.`);
  }
}
