import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { itemTarget, resourceTarget } from '../../shared/domain/annotations.ts';
import { importOwners } from '../../electron/core/annotations/owners-import.ts';
import { loadAnnotationIndex, readLog } from '../../electron/core/annotations/repository.ts';
import type { Store } from '../../electron/core/store/store.ts';
import { runCli } from '../../electron/cli.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { addSnapshot, author, tmpDir, tmpStore, vmId, vmInventory, vmItem } from './helpers.ts';

const vm1 = vmItem('rg-app', 'vm1');
const vm2 = vmItem('rg-app', 'vm2');
const webA = vmItem('rg-web', 'web');
const webB = vmItem('rg-test', 'web');

/** Four protected VMs (two called "web") and one unprotected VM (db1) in the inventory. */
function estate(store: Store): void {
  addSnapshot(
    store,
    [vm1, vm2, webA, webB],
    [vmInventory('rg-app', 'vm1', { App: 'crm' }), vmInventory('rg-app', 'vm2', { app: 'crm' }), vmInventory('rg-web', 'web'), vmInventory('rg-test', 'web'), vmInventory('rg-data', 'db1', { App: 'erp' })],
  );
}

function csv(text: string): string {
  const file = path.join(tmpDir('vp-csv-'), 'cmdb.csv');
  fs.writeFileSync(file, text);
  return file;
}

const CMDB = [
  'Server,Owner,Team,Cost Centre,Email',
  'vm1,Bob,Ops,CC-1,bob@example.com',
  'WEB,Carol,Web,CC-2,carol@example.com',
  'db1,Dan,Data,CC-3,not-an-email',
  'ghost,Eve,,CC-4,',
  ',Nobody,,,',
  'vm2,Frank,Ops,CC-1,',
  'vm2,George,Ops,CC-1,',
  '',
].join('\n');

test('owners import by name reports matched, ambiguous and unmatched rows; a dry run writes nothing', () => {
  const store = tmpStore();
  try {
    estate(store);
    const file = csv(CMDB);
    const input = { path: file, match: { column: 'Server', by: 'name' }, columns: { owner: 'Owner', team: 'Team', costCentre: 'Cost Centre', ownerEmail: 'Email' }, dryRun: true };
    const dry = importOwners(store, input, author());
    assert.equal(dry.rows, 7);
    assert.deepEqual(dry.matched.map((r) => r.line), [2, 4]);
    assert.deepEqual(dry.ambiguous.map((r) => r.line), [3, 7, 8]);
    assert.deepEqual(dry.unmatched.map((r) => r.line), [5, 6]);
    const web = dry.ambiguous[0]!;
    assert.match(web.reason!, /2 workloads have this name/);
    assert.deepEqual(new Set(web.candidates), new Set([vmId('rg-web', 'web').toLowerCase(), vmId('rg-test', 'web').toLowerCase()]));
    assert.match(dry.ambiguous[1]!.reason!, /line\(s\) 8 give the same workload a different value/);
    assert.match(dry.ambiguous[2]!.reason!, /line\(s\) 7 give/);
    // the protected vm1 gets its item target, the unprotected db1 a resource target
    assert.deepEqual(dry.matched[0]!.targets, [itemTarget(vm1.key)]);
    assert.deepEqual(dry.matched[1]!.targets, [resourceTarget(vmId('rg-data', 'db1'))]);
    // vm1: owner, team, costCentre, e-mail; db1: owner, team, costCentre (its e-mail is not one)
    assert.equal(dry.changes.length, 7);
    assert.deepEqual(dry.warnings, ['line 4: Email "not-an-email" is not an email address; skipped']);
    assert.equal(dry.entriesWritten, 0);
    assert.equal(readLog(store).length, 0, 'dry run wrote nothing');

    const applied = importOwners(store, { ...input, dryRun: false }, author());
    assert.equal(applied.entriesWritten, 7);
    const idx = loadAnnotationIndex(store);
    const a1 = idx.get(itemTarget(vm1.key))!;
    assert.deepEqual([a1.owner, a1.team, a1.costCentre, a1.ownerEmail], ['Bob', 'Ops', 'CC-1', 'bob@example.com']);
    const db1 = idx.get(resourceTarget(vmId('rg-data', 'db1')))!;
    assert.deepEqual([db1.owner, db1.team, db1.costCentre, db1.ownerEmail], ['Dan', 'Data', 'CC-3', null]);
    assert.equal(idx.has(itemTarget(vm2.key)), false, 'disputed rows are not applied');
    assert.equal(readLog(store)[0]!.reason, 'owners import cmdb.csv line 2');
    // importing the same file again changes nothing
    assert.equal(importOwners(store, { ...input, dryRun: false }, author()).entriesWritten, 0);
  } finally {
    store.close();
  }
});

test('owners import by resource group (semicolon CSV with BOM and CRLF), by tag and by resource id', () => {
  const store = tmpStore();
  try {
    estate(store);
    const byRg = importOwners(store, { path: csv('\uFEFFRG;Owner\r\nRG-APP;Ops Lead\r\nrg-none;x\r\n'), match: { column: 'RG', by: 'resourceGroup' }, columns: { owner: 'Owner' } }, author());
    assert.deepEqual(byRg.matched.map((r) => [r.line, [...r.targets].sort()]), [[2, [itemTarget(vm1.key), itemTarget(vm2.key)].sort()]]);
    assert.deepEqual(byRg.unmatched.map((r) => r.line), [3]);
    assert.equal(byRg.entriesWritten, 2);

    const byTag = importOwners(store, { path: csv('Application,Centre\ncrm,CC-CRM\nerp,CC-ERP\nhr,CC-HR\n'), match: { column: 'Application', by: 'tag:APP' }, columns: { costCentre: 'Centre' } }, author());
    assert.deepEqual(byTag.matched.map((r) => r.line), [2, 3]);
    assert.deepEqual(byTag.unmatched.map((r) => r.line), [4]);
    const idx = loadAnnotationIndex(store);
    assert.equal(idx.get(itemTarget(vm2.key))!.costCentre, 'CC-CRM');
    assert.equal(idx.get(resourceTarget(vmId('rg-data', 'db1')))!.costCentre, 'CC-ERP');

    const byId = importOwners(
      store,
      { path: csv(`Id,Crit\n${vmId('RG-WEB', 'WEB').toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/')},High\n${webB.id},urgent\nnot-an-id,low\n`), match: { column: 'Id', by: 'resourceId' }, columns: { criticality: 'Crit' } },
      author(),
    );
    assert.deepEqual(byId.matched.map((r) => [r.line, r.targets]), [
      [2, [itemTarget(webA.key)]],
      [3, [itemTarget(webB.key)]],
    ]);
    assert.deepEqual(byId.unmatched.map((r) => r.line), [4]);
    assert.deepEqual(byId.warnings, ['line 3: Crit "urgent" is not high, medium or low; skipped']);
    assert.equal(loadAnnotationIndex(store).get(itemTarget(webA.key))!.criticality, 'high');
  } finally {
    store.close();
  }
});

test('owners import names the file and the column it cannot find, and refuses a bad --match', () => {
  const store = tmpStore();
  try {
    estate(store);
    const file = csv('Server,Owner\nvm1,Bob\n');
    assert.throws(() => importOwners(store, { path: file, match: { column: 'Host', by: 'name' }, columns: { owner: 'Owner' } }, author()), /cmdb\.csv: column "Host" \(the column to match on\) is not in the header; the columns are: Server, Owner/);
    assert.throws(() => importOwners(store, { path: file, match: { column: 'Server', by: 'name' }, columns: { team: 'Squad' } }, author()), /column "Squad" \(the team column\)/);
    assert.throws(() => importOwners(store, { path: file, match: { column: 'Server', by: 'hostname' }, columns: { owner: 'Owner' } }, author()), /resourceId\|name\|resourceGroup\|tag:NAME/);
    assert.throws(() => importOwners(store, { path: path.join(tmpDir(), 'missing.csv'), match: { column: 'Server', by: 'name' }, columns: { owner: 'Owner' } }, author()), /cannot read/);
  } finally {
    store.close();
  }
});

test('`owners import` CLI: --dry-run previews, then the import applies', async () => {
  const file = path.join(tmpDir(), 'v.db');
  const s = openStore(file);
  estate(s);
  s.close();
  const input = csv(CMDB);
  let out = '';
  const io = { stdout: (t: string) => void (out += t), stderr: () => {} };
  const args = ['owners', 'import', input, '--match', 'Server=name', '--column', 'owner=Owner', '--column', 'costCentre=Cost Centre', '--store', file];
  assert.equal(await runCli([...args, '--dry-run', '--json'], io), 0);
  const dry = JSON.parse(out) as { dryRun: boolean; matched: unknown[]; ambiguous: unknown[]; unmatched: unknown[]; changes: unknown[]; entriesWritten: number };
  assert.deepEqual([dry.dryRun, dry.matched.length, dry.ambiguous.length, dry.unmatched.length, dry.changes.length, dry.entriesWritten], [true, 2, 3, 2, 4, 0]);
  out = '';
  assert.equal(await runCli(args, io), 0);
  assert.match(out, /7 rows: 2 matched, 3 ambiguous, 2 unmatched/);
  assert.match(out, /AMBIGUOUS line 3 "WEB"/);
  assert.match(out, /UNMATCHED line 5 "ghost"/);
  assert.match(out, /4 field changes, 4 log entries written/);
});
