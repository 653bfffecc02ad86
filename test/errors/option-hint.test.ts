import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { createCoreContext } from '../../electron/core/context.ts';
import { cli, fixtures, tempDir } from '../harness/cli.ts';

/**
 * The core words a bad option for anyone and names it by its input field in
 * details.option; only the CLI turns that into a flag. Shown with the import
 * "as of" time, which the window's import dialog and `vaultproof import
 * --as-of` both pass.
 */
const file = path.join(fixtures, 'import', 'arm-items-iaasvm.json');
const words = 'the "as of" time "yesterday" is not an ISO-8601 time (e.g. 2026-11-01T08:00:00Z)';

describe('an error about an option', () => {
  it('reaches the window in words, with the option named in details and no CLI flag', async () => {
    const core = createCoreContext({ storePath: path.join(tempDir('vp-hint-'), 'vaultproof.db') });
    try {
      const r = await dispatch(core, { method: 'import.files', input: { paths: [file], asOf: 'yesterday' } });
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.deepEqual(r.error, { code: 'BAD_INPUT', message: words, details: { option: 'asOf' } });
      assert.doesNotMatch(r.error.message, /--/);
    } finally {
      core.close();
    }
  });

  it('reaches the CLI with the flag in front of the same words, and --json keeps the hint', async () => {
    const store = path.join(tempDir('vp-hint-'), 'vaultproof.db');
    const r = await cli(['import', file, '--as-of', 'yesterday', '--store', store]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `vaultproof: --as-of: ${words}\n`);
    const j = await cli(['import', file, '--as-of', 'yesterday', '--store', store, '--json']);
    assert.equal(j.code, 1);
    assert.deepEqual(JSON.parse(j.stderr), { error: { code: 'BAD_INPUT', message: words, details: { option: 'asOf' } } });
  });

  it('an error that asks for one of several options lists them in details; the CLI ends it with their flags', async () => {
    const store = path.join(tempDir('vp-hint-'), 'vaultproof.db');
    const target = 'resource:/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm1';
    const want = 'nothing to annotate: give at least one of an owner, an e-mail address, a team, a cost centre, a criticality, an exception, a decision, a front-end or storage size, a note or a tag';
    const core = createCoreContext({ storePath: store });
    try {
      const r = await dispatch(core, { method: 'annotations.set', input: { target } });
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.error.message, want);
      assert.deepEqual(r.error.details, { anyOf: ['owner', 'ownerEmail', 'team', 'costCentre', 'criticality', 'exception', 'decision', 'frontEndGb', 'storageGb', 'note', 'tags'] });
    } finally {
      core.close();
    }
    // The flags as `vaultproof annotate --help` lists them.
    const c = await cli(['annotate', target, '--store', store]);
    assert.equal(c.code, 1);
    assert.equal(c.stderr, `vaultproof: ${want} (--owner, --email, --team, --cost-centre, --criticality, --exception, --decision, --front-end-gb, --storage-gb, --note, --tag)\n`);
  });
});
