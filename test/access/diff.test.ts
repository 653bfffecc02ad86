import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cli, fixtures, tempDir } from '../harness/cli.ts';

const root = path.join(fixtures, '..', '..');
const env = { VAULTPROOF_NOW: '2026-11-24T10:00:00Z', VAULTPROOF_USER: 'auditor1' };

async function importDemo(store: string, day: string): Promise<string> {
  const dir = path.join(root, 'assets', 'demo', day);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f));
  const r = await cli(['import', ...files, '--as-of', `${day}T06:00:00Z`, '--store', store, '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { snapshotId: string }).snapshotId;
}

test('diff says who gained the right to delete backups between the two demo snapshots', async () => {
  const store = path.join(tempDir('vp-access-diff-'), 's.db');
  const before = await importDemo(store, '2025-09-30');
  const after = await importDemo(store, '2025-10-30');
  const r = await cli(['diff', before, after, '--store', store], env);
  assert.equal(r.code, 0, r.stderr);
  // a.lindqvist was given Backup Contributor on rsv-prod-weu in October: delete rights 2 (j.keller, m.osei) → 3.
  assert.match(r.stdout, /1 more principal can delete backup data in rsv-prod-weu \(2 → 3\)\n\s+\+ a\.lindqvist@contoso\.com \(Backup Contributor at the vault\)/);
  assert.match(r.stdout, /1 more principal can restore in rsv-prod-weu \(2 → 3\)/);
  assert.doesNotMatch(r.stdout, /in rsv-dev-weu/);
  const j = JSON.parse((await cli(['diff', before, after, '--store', store, '--json'], env)).stdout) as { access: { rightsCompared: boolean; changes: Array<{ vault: string; what: string; before: number; after: number; added: Array<{ objectId: string }> }> } };
  assert.equal(j.access.rightsCompared, true);
  const del = j.access.changes.find((c) => c.what === 'deleteBackupData')!;
  assert.deepEqual([del.vault, del.before, del.after, del.added.map((a) => a.objectId)], ['rsv-prod-weu', 2, 3, ['a3c1e5f7-0b2d-4e6f-8a9b-1c2d3e4f5a06']]);
});

test('accessDiff words losses and guard changes', async () => {
  const { accessDiff } = await import('../../shared/domain/access/diff.ts');
  const grant = (id: string) => ({ principalId: id, principalName: `${id}@x`, principalType: 'User', guest: false, group: false, role: 'Owner', roleId: 'r', custom: false, scope: '/', scopeLevel: 'root' as const, inheritedFrom: 'tenant root (/)', capabilities: ['deleteBackupData' as const], conditional: false, via: {}, assignmentId: id });
  const vault = (ids: string[], guard: boolean) => ({
    vaultKey: '/v', vaultName: 'rsv-a', kind: 'RecoveryServices' as const, resourceGuard: guard, immutabilityState: null, immutabilityLocked: null, softDeleteState: null, softDeleteAlwaysOn: null,
    grants: ids.map(grant), principalCounts: { deleteBackupData: ids.length, stopProtection: 0, changeSecuritySettings: 0, restore: 0, grantAccess: 0 }, unresolved: [],
  });
  const d = accessDiff([vault(['a', 'b', 'c'], false)], [vault(['a'], true)], true);
  assert.deepEqual(d.changes.map((c) => c.sentence), ['2 fewer principals can delete backup data in rsv-a (3 → 1)', 'a Resource Guard (MUA) now protects rsv-a']);
  assert.deepEqual(d.changes[0]!.removed.map((r) => r.objectId), ['b', 'c']);
});
