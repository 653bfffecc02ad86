/**
 * The grid's reviewer questions from the command line (issue 15 item 1):
 * `items --no-success-in 48h`, one --where field given twice as either value,
 * --owner / --no-owner. Worked out by hand from test/fixtures/e2e/current
 * (as-of 2025-11-27T08:00Z, 13 items): see test/e2e/grid-questions.test.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { cli, fixtures, tempDir } from '../harness/cli.ts';

const env = { VAULTPROOF_USER: 'cli-tester' };
const current = path.join(fixtures, 'e2e', 'current');

describe('items answers the reviewer\'s questions', () => {
  let store: string;
  before(async () => {
    store = path.join(tempDir(), 's.db');
    const files = fs.readdirSync(current).filter((f) => f.endsWith('.json')).map((f) => path.join(current, f));
    const r = await cli(['import', ...files, '--store', store, '--json', '--label', 'Current', '--as-of', '2025-11-27T08:00:00Z'], env);
    assert.equal(r.code, 0, r.stderr);
  });

  const names = async (...args: string[]): Promise<string[]> => {
    const r = await cli(['items', 'latest', '--store', store, '--json', ...args], env);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as Array<{ name: string }>).map((i) => i.name).sort();
  };

  it('--no-success-in 48h: VMs with no successful backup in the 48 hours before the as-of time', async () => {
    // hiagaNewVm1's last good point is 2024-02-25 (its January 2025 backup failed); hiaga-adhoc-vm's point is 8 h 51 min old.
    assert.deepEqual(await names('--no-success-in', '48h', '--where', 'workloadType=VM'), ['hiagaNewVm1']);
    assert.equal((await names('--no-success-in', '2 days')).length, 10);
    assert.deepEqual(await names('--no-success-in', '6h', '--where', 'workloadType=VM'), ['hiaga-adhoc-vm', 'hiagaNewVm1']);
    const bad = await cli(['items', 'latest', '--store', store, '--no-success-in', 'soon'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--no-success-in "soon": write a number of hours or days, such as 48h or 7d/);
  });

  it('one field given twice means either value; --no-owner is the items nobody owns', async () => {
    assert.deepEqual(await names('--where', 'protectionState=Protected', '--where', 'protectionState=IRPending'), ['afs1hrtestfs2', 'afsbvtlonghaulcrrafsne', 'hiaga-adhoc-vm', 'master', 'msdb']);
    assert.equal((await names('--no-owner')).length, 13);
    assert.deepEqual(await names('--owner', 'Nobody'), []);
  });
});
