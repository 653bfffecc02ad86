import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { collectionKit } from '../../shared/domain/collection-kit.ts';

test('the kit exports role assignments (inherited too), custom roles, action groups, alert processing rules and policy states per subscription', () => {
  const kit = collectionKit({ subscriptions: ['5b1f4c2a-7d3e-4f60-9a8b-1c2d3e4f5a6b'] });
  const step = (id: string) => kit.steps.find((s) => s.id === id)!.commands.join('\n');
  // The flags are those of `az role assignment list` (--all, --include-inherited) and `az role definition list` (--custom-role-only) in the az CLI reference.
  assert.ok(step('access').includes('az role assignment list --all --include-inherited --subscription "$SUB" -o json > "role-assignments-$SUB.json"'));
  assert.ok(step('access').includes('az role definition list --custom-role-only true --subscription "$SUB" -o json > "role-definitions-$SUB.json"'));
  assert.ok(step('alerts').includes('az monitor action-group list --subscription "$SUB" -o json'));
  assert.ok(step('alerts').includes('/providers/Microsoft.AlertsManagement/actionRules?api-version=2021-08-08'));
  assert.ok(step('policy').includes('az policy state list --subscription "$SUB" -o json > "policy-states-$SUB.json"'));
  const syntax = spawnSync('bash', ['-n'], { input: kit.script, encoding: 'utf8' });
  assert.equal(syntax.status, 0, syntax.stderr);
  // Everything the new steps write is picked up by the import command the kit prints.
  assert.match(kit.importCommand, /vaultproof-export\/\*\.json/);
});
