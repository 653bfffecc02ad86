/**
 * Diff compares every judged field: each normalised field is either compared
 * (and a change of it is reported) or listed with the reason it is not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DiffItem } from '../../shared/domain/diff.ts';
import { diffFields, diffSnapshots, itemFieldsInDiff } from '../../shared/domain/diff.ts';
import type { BackupItem } from '../../shared/domain/types.ts';
import { readTruth } from './truth.ts';

test('every field of a normalised item is decided: compared (as which diff field) or not compared (why)', () => {
  // A real normalised item (the VM list from real traffic) names every field the normaliser writes.
  const item: BackupItem = readTruth('vm.rest.json').items[0]!;
  assert.deepEqual(Object.keys(itemFieldsInDiff).sort(), Object.keys(item).sort());
  for (const [field, d] of Object.entries(itemFieldsInDiff)) {
    if ('comparedAs' in d) assert.ok((diffFields as readonly string[]).includes(d.comparedAs), field);
    else assert.ok(d.notCompared.length > 10, `${field} needs a reason`);
  }
  // Every diff field is fed by at least one item field, or by a policy / vault record.
  const fed = new Set(Object.values(itemFieldsInDiff).flatMap((d) => ('comparedAs' in d ? [d.comparedAs] : [])));
  for (const f of diffFields) assert.ok(fed.has(f) || f === 'retention' || f === 'vaultRedundancy', f);
});

test('a change of protectionStatus, healthStatus or protectedItemHealthStatus alone is a change', () => {
  // hiagaNewVm1 in the real VM list: protectionStatus Unhealthy, healthStatus ActionRequired (VM not found).
  const [, sick] = readTruth('vm.rest.json').items;
  const healthy: DiffItem = { ...sick!, protectionStatus: 'Healthy', healthStatus: 'Passed' };
  const one = (before: DiffItem, after: DiffItem) => diffSnapshots({ items: [before], policies: [], vaults: [] }, { items: [after], policies: [], vaults: [], coverage: [] }).changed;
  assert.deepEqual(one(healthy, sick!), [{ key: sick!.key, fields: { protectionStatus: { before: 'Healthy', after: 'Unhealthy' }, healthStatus: { before: 'Passed', after: 'ActionRequired' } } }]);
  assert.deepEqual(one({ ...healthy }, { ...healthy, protectionStatus: 'Unhealthy' })[0]!.fields, { protectionStatus: { before: 'Healthy', after: 'Unhealthy' } });
  // A SQL database whose healthStatus is absent: its own health field still counts, and is not hidden behind healthStatus.
  const sql = readTruth('sql-in-vm.rest.json').items.find((i) => i.protectionState === 'Protected')!;
  assert.equal(sql.protectedItemHealthStatus, 'Healthy');
  assert.deepEqual(one(sql, { ...sql, protectedItemHealthStatus: 'Unhealthy' })[0]!.fields, { protectedItemHealthStatus: { before: 'Healthy', after: 'Unhealthy' } });
  // Only a case difference is no change.
  assert.deepEqual(one(sql, { ...sql, protectionStatus: 'HEALTHY' }), []);
});
