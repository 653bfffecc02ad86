import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { actionMatches, permits } from '../../shared/domain/access/actions.ts';
import { holders, roleIndex, vaultAccess } from '../../shared/domain/access/vault-access.ts';
import { normaliseResource } from '../../shared/domain/normalise/index.ts';
import type { RoleAssignmentRecord, RoleDefinitionRecord, VaultRecord } from '../../shared/domain/types.ts';
import { builtInRoles } from '../../electron/core/access/builtin-roles.ts';
import { runFindings } from '../../electron/core/analysis/run.ts';
import { importFiles } from '../../electron/core/import/index.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { fixtures, tempDir } from '../harness/cli.ts';

const root = path.join(fixtures, '..', '..');
const demo = (name: string) => path.join(root, 'assets', 'demo', '2025-10-30', name);
const acc = (name: string) => path.join(fixtures, 'access', name);

function records<T>(file: string, type: string): T[] {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  const list = Array.isArray(doc) ? doc : [doc];
  return list.map((o) => normaliseResource(o)).filter((r) => r !== null && r.type === type).map((r) => r!.data as T);
}

const assignments = records<RoleAssignmentRecord>(acc('az-role-assignments.json'), 'roleAssignment');
const custom = records<RoleDefinitionRecord>(acc('az-role-definitions-custom.json'), 'roleDefinition');
const [prod] = records<VaultRecord>(demo('vault-rsv-prod-weu.json'), 'vault');
const [dev] = records<VaultRecord>(demo('vault-rsv-dev-weu.json'), 'vault');
const roles = roleIndex(custom, builtInRoles());
const names = (gs: Array<{ principalName: string | null }>) => gs.map((g) => g.principalName).sort();

describe('action matching', () => {
  it('treats * as any run of characters and ignores case', () => {
    assert.equal(actionMatches('*/read', 'Microsoft.RecoveryServices/Vaults/read'), true);
    assert.equal(actionMatches('*/read', 'Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/delete'), false);
    assert.equal(actionMatches('Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/*', 'microsoft.recoveryservices/vaults/BACKUPFABRICS/protectionContainers/protectedItems/delete'), true);
    assert.equal(actionMatches('Microsoft.RecoveryServices/Vaults/backupstorageconfig/*', 'Microsoft.RecoveryServices/Vaults/backupconfig/write'), false);
    // A dot in a pattern is literal, not "any character".
    assert.equal(actionMatches('Microsoft.Authorization/*', 'MicrosoftXAuthorization/roleAssignments/write'), false);
  });

  it('subtracts notActions per permission block', () => {
    const contributor = builtInRoles().find((r) => r.roleName === 'Contributor')!;
    assert.equal(permits(contributor.permissions, 'Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/delete'), true);
    assert.equal(permits(contributor.permissions, 'Microsoft.Authorization/roleAssignments/write'), false);
    // notActions only narrow their own block: a second block granting the action still grants it.
    assert.equal(permits([{ actions: ['*'], notActions: ['*/delete'], dataActions: [], notDataActions: [] }, { actions: ['Microsoft.X/a/delete'], notActions: [], dataActions: [], notDataActions: [] }], 'Microsoft.X/a/delete'), true);
  });

  it('ships the documented built-in roles with a source and date each', () => {
    const byName = new Map(builtInRoles().map((r) => [r.roleName, r]));
    for (const n of ['Owner', 'Contributor', 'Reader', 'User Access Administrator', 'Role Based Access Control Administrator', 'Backup Contributor', 'Backup Operator', 'Backup Reader']) {
      const r = byName.get(n);
      assert.ok(r, n);
      assert.match(r.source.url, /^https:\/\/github\.com\/MicrosoftDocs\/azure-docs\/blob\/main\/articles\/role-based-access-control\/built-in-roles\//);
      assert.match(r.source.retrieved, /^\d{4}-\d{2}-\d{2}$/);
    }
    assert.equal(byName.get('Backup Operator')!.key, '00c29273-979b-4161-815c-10b084fb9324');
  });
});

describe('who can do what to a vault', () => {
  it('rsv-prod-weu: hand-worked from az-role-assignments.json and the two custom roles', () => {
    const a = vaultAccess(prod!, assignments, roles);
    // mg.admin (Owner at mg-contoso: *), alice (Owner at the subscription: *), Backup Admins (Backup Contributor at rg-backup:
    // Vaults/backupFabrics/protectionContainers/* covers protectedItems/delete) and bob (custom role naming protectedItems/delete at the vault).
    // carol's custom role grants Vaults/* but its NotActions remove protectedItems/delete; erin is Reader; frank's Contributor is on rg-other.
    assert.deepEqual(names(holders(a, 'deleteBackupData')), ['Backup Admins', 'alice@contoso.com', 'bob@contoso.com', 'mg.admin@contoso.com']);
    assert.equal(a.principalCounts.deleteBackupData, 4);
    // carol keeps restore (Vaults/* less her two NotActions) and stop protection (protectedItems/write).
    assert.deepEqual(names(holders(a, 'restore')), ['Backup Admins', 'alice@contoso.com', 'carol@contoso.com', 'mg.admin@contoso.com']);
    assert.deepEqual(names(holders(a, 'stopProtection')), ['Backup Admins', 'alice@contoso.com', 'bob@contoso.com', 'carol@contoso.com', 'mg.admin@contoso.com']);
    // Vaults/write is in carol's NotActions, but Vaults/backupconfig/write (legacy soft-delete switch) still matches Vaults/*.
    assert.deepEqual(names(holders(a, 'changeSecuritySettings')), ['Backup Admins', 'alice@contoso.com', 'carol@contoso.com', 'mg.admin@contoso.com']);
    // The User Access Administrator service principal can grant itself any of these.
    assert.deepEqual(names(holders(a, 'grantAccess')), ['alice@contoso.com', 'mg.admin@contoso.com', 'sp-iam-automation']);
    const alice = a.grants.find((g) => g.principalName === 'alice@contoso.com')!;
    assert.equal(alice.inheritedFrom, 'subscription 5b1f4c2a-7d3e-4f60-9a8b-1c2d3e4f5a6b');
    assert.equal(alice.via.deleteBackupData, '*');
    assert.equal(a.grants.find((g) => g.principalName === 'mg.admin@contoso.com')!.inheritedFrom, 'management group mg-contoso');
    const bob = a.grants.find((g) => g.principalName === 'bob@contoso.com')!;
    assert.deepEqual([bob.inheritedFrom, bob.custom, bob.role], [null, true, 'Backup Item Deleter']);
    assert.equal(a.grants.find((g) => g.principalName === 'Backup Admins')!.group, true);
    assert.deepEqual([a.resourceGuard, a.softDeleteAlwaysOn, a.immutabilityLocked], [false, false, false]);
  });

  it('rsv-dev-weu: the guest Backup Operator can restore and stop protection but not delete', () => {
    const a = vaultAccess(dev!, assignments, roles);
    assert.deepEqual(names(holders(a, 'deleteBackupData')), ['Backup Admins', 'alice@contoso.com', 'mg.admin@contoso.com']);
    const dave = a.grants.find((g) => g.principalName?.startsWith('dave_'))!;
    assert.equal(dave.guest, true);
    assert.deepEqual(dave.capabilities, ['stopProtection', 'restore']);
  });

  it('marks a grant whose assignment carries a condition, and still counts it', () => {
    const withCondition = assignments.map((x) => (x.principalName === 'bob@contoso.com' ? { ...x, condition: "@Resource[Microsoft.RecoveryServices/vaults:name] StringEquals 'rsv-prod-weu'" } : x));
    const a = vaultAccess(prod!, withCondition, roles);
    assert.equal(a.grants.find((g) => g.principalName === 'bob@contoso.com')!.conditional, true);
    assert.equal(a.grants.find((g) => g.principalName === 'alice@contoso.com')!.conditional, false);
    assert.equal(a.principalCounts.deleteBackupData, 4);
  });

  it('lists an assignment whose role it cannot resolve instead of guessing', () => {
    const a = vaultAccess(prod!, assignments, roleIndex([], builtInRoles()));
    assert.deepEqual(a.unresolved.map((u) => u.roleName).sort(), ['Backup Item Deleter', 'Backup Vault Operator (no delete)']);
    assert.equal(a.principalCounts.deleteBackupData, 3);
  });
});

describe('access findings', () => {
  it('flags delete rights over the limit, without MUA, through a group or a guest, and soft delete that is not always-on', async () => {
    const store = openStore(path.join(tempDir(), 's.db'));
    try {
      const res = await importFiles(store, [demo('protected-items-rsv-prod-weu.json'), demo('protected-items-rsv-dev-weu.json'), demo('vault-rsv-prod-weu.json'), demo('vault-rsv-dev-weu.json'), acc('az-role-assignments.json'), acc('az-role-definitions-custom.json')], { now: new Date('2026-11-24T10:00:00Z'), user: 'a', asOf: '2025-10-30T06:00:00Z' });
      const r = runFindings(store, res.snapshotId);
      const of = (rule: string) => r.findings.filter((f) => f.rule === rule);
      const over = of('access-delete-over-limit');
      // Default limit 2: prod has 4 principals with delete rights, dev 3.
      assert.deepEqual(over.map((f) => [f.evidence.vault, f.evidence.count, f.evidence.limit]).sort(), [['rsv-dev-weu', 3, 2], ['rsv-prod-weu', 4, 2]]);
      const prodOver = over.find((f) => f.evidence.vault === 'rsv-prod-weu')!;
      const alice = (prodOver.evidence.principals as Array<Record<string, unknown>>).find((p) => p.name === 'alice@contoso.com');
      assert.deepEqual(alice, {
        objectId: '11111111-aaaa-4bbb-8ccc-000000000002',
        name: 'alice@contoso.com',
        type: 'User',
        role: 'Owner',
        scope: '/subscriptions/5b1f4c2a-7d3e-4f60-9a8b-1c2d3e4f5a6b',
        inheritedFrom: 'subscription 5b1f4c2a-7d3e-4f60-9a8b-1c2d3e4f5a6b',
      });
      // Both demo vaults say multiUserAuthorization Disabled.
      assert.deepEqual(of('access-delete-without-mua').map((f) => [f.evidence.vault, f.evidence.count, f.evidence.resourceGuard]).sort(), [['rsv-dev-weu', 3, false], ['rsv-prod-weu', 4, false]]);
      const broad = of('access-broad-or-guest');
      assert.deepEqual(broad.map((f) => [f.evidence.vault, f.evidence.groups, f.evidence.guests]).sort(), [['rsv-dev-weu', 1, 1], ['rsv-prod-weu', 1, 0]]);
      // prod: soft delete Enabled (not AlwaysON) → finding; dev: Disabled → vault-soft-delete-disabled's finding, not this one.
      assert.deepEqual(of('vault-soft-delete-not-always-on').map((f) => f.evidence.vault), ['rsv-prod-weu']);
      assert.ok(of('vault-soft-delete-disabled').some((f) => f.evidence.vault === 'rsv-dev-weu'));
    } finally {
      store.close();
    }
  });

  it('takes the delete limit and the approved groups from the audit profile', async () => {
    const dir = tempDir();
    const store = openStore(path.join(dir, 's.db'));
    try {
      const res = await importFiles(store, [demo('protected-items-rsv-prod-weu.json'), demo('vault-rsv-prod-weu.json'), acc('az-role-assignments.json'), acc('az-role-definitions-custom.json')], { now: new Date('2026-11-24T10:00:00Z'), user: 'a', asOf: '2025-10-30T06:00:00Z' });
      const profile = JSON.parse(fs.readFileSync(path.join(root, 'assets', 'profiles', 'default.json'), 'utf8')) as Record<string, unknown>;
      profile.access = { maxDeletePrincipals: 4, approvedGroups: ['BACKUP ADMINS'] };
      const file = path.join(dir, 'profile.json');
      fs.writeFileSync(file, JSON.stringify(profile));
      const r = runFindings(store, res.snapshotId, { profilePath: file });
      // rsv-prod-weu: 4 principals can delete, the limit is now 4; the only group is approved (names compared case-insensitively).
      assert.equal(r.findings.filter((f) => f.rule === 'access-delete-over-limit').length, 0);
      assert.equal(r.findings.filter((f) => f.rule === 'access-broad-or-guest').length, 0);
      assert.equal(r.findings.filter((f) => f.rule === 'access-delete-without-mua').length, 1);
    } finally {
      store.close();
    }
  });

  it('says the access rules were not evaluated when the snapshot holds no role assignments', async () => {
    const store = openStore(path.join(tempDir(), 's.db'));
    try {
      const res = await importFiles(store, [demo('protected-items-rsv-prod-weu.json'), demo('vault-rsv-prod-weu.json')], { now: new Date('2026-11-24T10:00:00Z'), user: 'a', asOf: '2025-10-30T06:00:00Z' });
      const r = runFindings(store, res.snapshotId);
      const reason = r.notEvaluated.find((n) => n.rule === 'access-delete-without-mua')?.reason ?? '';
      assert.match(reason, /no role assignments .*az role assignment list --all --include-inherited/);
      assert.equal(r.findings.filter((f) => f.rule.startsWith('access-')).length, 0);
    } finally {
      store.close();
    }
  });
});

describe('the demo estate', () => {
  it('rsv-prod-weu: three people can delete backups and no Resource Guard guards them', async () => {
    const store = openStore(path.join(tempDir(), 's.db'));
    try {
      const dir = path.join(root, 'assets', 'demo', '2025-10-30');
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f));
      const res = await importFiles(store, files, { now: new Date('2026-11-24T10:00:00Z'), user: 'a', asOf: '2025-10-30T06:00:00Z' });
      const r = runFindings(store, res.snapshotId);
      const prodFinding = r.findings.find((f) => f.rule === 'access-delete-without-mua' && f.evidence.vault === 'rsv-prod-weu')!;
      // j.keller (Owner, subscription), m.osei (Backup Contributor, rg-backup), a.lindqvist (Backup Contributor, the vault).
      assert.deepEqual((prodFinding.evidence.principals as Array<{ name: string }>).map((p) => p.name).sort(), ['a.lindqvist@contoso.com', 'j.keller@contoso.com', 'm.osei@contoso.com']);
      assert.ok(r.findings.some((f) => f.rule === 'access-delete-over-limit' && f.evidence.vault === 'rsv-prod-weu' && f.evidence.count === 3));
      assert.ok(r.findings.some((f) => f.rule === 'access-broad-or-guest' && f.evidence.vault === 'rsv-dev-weu' && f.evidence.guests === 1));
    } finally {
      store.close();
    }
  });
});
