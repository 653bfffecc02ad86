/**
 * The one entrance (electron/core/api/dispatch.ts) and its handler table:
 * repeated names fail at start-up, each handler module registers only its own
 * prefix, and the files of core/api import each other without a cycle.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { methods } from '../../shared/contract/index.ts';
import { mergeUnique } from '../../shared/contract/merge.ts';
import { zodMessage } from '../../shared/contract/zod-message.ts';
import { createRegistry, domainLoaders, handlerRegistry, prefixOf } from '../../electron/core/api/handlers.ts';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { createCoreContext } from '../../electron/core/context.ts';

const apiDir = path.resolve(import.meta.dirname, '../../electron/core/api');

/** Relative imports (static, re-exports and dynamic import()) of one file, resolved to absolute paths. */
function relativeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'|\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)|^import\s+'(\.{1,2}\/[^']+)'/gm)].map((m) => m[1] ?? m[2] ?? m[3]!);
  return specs.map((s) => path.resolve(path.dirname(file), s));
}

/** The first import cycle among the .ts files of one folder, as a list of file names, or null. */
function findCycle(dir: string): string[] | null {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
  const inDir = new Set(files);
  const edges = new Map(files.map((f) => [f, relativeImports(f).filter((t) => inDir.has(t))]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): string[] | null => {
    if (state.get(f) === 'done') return null;
    if (state.get(f) === 'open') return [...stack.slice(stack.indexOf(f)), f].map((x) => path.basename(x));
    state.set(f, 'open');
    stack.push(f);
    for (const t of edges.get(f) ?? []) {
      const c = visit(t);
      if (c) return c;
    }
    stack.pop();
    state.set(f, 'done');
    return null;
  };
  for (const f of files) {
    const c = visit(f);
    if (c) return c;
  }
  return null;
}

describe('the one entrance', () => {
  it('merging contract tables refuses a repeated method name', () => {
    const a = { 'snapshots.list': 1, 'snapshots.get': 2 };
    const b = { 'items.get': 3, 'snapshots.list': 4 };
    assert.throws(() => mergeUnique<object>([a, b]), { message: 'Conflicting method name snapshots.list' });
    assert.deepEqual(mergeUnique<object>([a, { 'items.get': 3 }]), { 'snapshots.list': 1, 'snapshots.get': 2, 'items.get': 3 });
  });

  it('registering handler modules refuses a repeated prefix, a repeated name and a method without a module', () => {
    const load = async () => ({ handlers: {} });
    assert.throws(
      () =>
        createRegistry(
          [
            ['items', load],
            ['items', load],
          ],
          ['items.get'],
        ),
      { message: /^Conflicting method name prefix items/ },
    );
    assert.throws(() => createRegistry([['items', load]], ['items.get', 'items.get']), { message: 'Conflicting method name items.get' });
    assert.throws(() => createRegistry([['items', load]], ['items.get', 'packs.build']), { message: /no handler module registered for packs\.build/ });
    assert.throws(() => createRegistry([['items', load], ['packs', load]], ['items.get']), { message: /"packs" is registered but the contract has no packs\.\* method/ });
  });

  it('a loaded module may register only the methods of its own prefix, and all of them', async () => {
    const fn = () => null;
    const foreign = createRegistry([['items', async () => ({ handlers: { 'items.get': fn, 'snapshots.list': fn } })]], ['items.get']);
    await assert.rejects(foreign.handler('items.get'), { message: /registers "snapshots\.list", which is not one of the contract's items\.\* methods/ });
    const short = createRegistry([['items', async () => ({ handlers: { 'items.get': fn } })]], ['items.get', 'items.query']);
    await assert.rejects(short.handler('items.query'), { message: 'handler module "items" has no handler for items.query' });
  });

  it('the real table: one module per contract prefix, each registering exactly its methods', async () => {
    const contractPrefixes = new Set(Object.keys(methods).map(prefixOf));
    assert.deepEqual(new Set(domainLoaders.map(([p]) => p)), contractPrefixes);
    for (const [prefix] of domainLoaders) assert.ok(fs.existsSync(path.join(apiDir, `${prefix}.ts`)), `electron/core/api/${prefix}.ts`);
    await handlerRegistry.loadAll();
  });

  it('each prefix has one contract file, shared/contract/methods/<prefix>.ts, declaring only <prefix>.* methods', async () => {
    const dir = path.resolve(import.meta.dirname, '../../shared/contract/methods');
    const declared: string[] = [];
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const prefix = f.replace(/\.ts$/, '');
      const mod = (await import(path.join(dir, f))) as Record<string, unknown>;
      const table = mod[`${prefix}Methods`] as Record<string, unknown> | undefined;
      for (const [k, v] of Object.entries(mod)) {
        if (k.endsWith('Methods') && k !== `${prefix}Methods` && v && typeof v === 'object' && !Array.isArray(v)) assert.fail(`methods/${f} declares ${k}: methods belong in the file named after their prefix`);
      }
      for (const name of Object.keys(table ?? {})) {
        assert.equal(prefixOf(name), prefix, `methods/${f} declares ${name}`);
        declared.push(name);
      }
    }
    assert.deepEqual(declared.sort(), Object.keys(methods).sort());
  });

  it('the files of electron/core/api import each other without a cycle (and the check finds one)', () => {
    assert.equal(findCycle(apiDir), null);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-cycle-'));
    fs.writeFileSync(path.join(tmp, 'a.ts'), "import type { B } from './b.ts';\nexport type A = B;\n");
    fs.writeFileSync(path.join(tmp, 'b.ts'), "export const load = () => import('./c.ts');\nexport type B = 1;\n");
    fs.writeFileSync(path.join(tmp, 'c.ts'), "export { x } from './a.ts';\n");
    assert.deepEqual(findCycle(tmp), ['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  });

  it('one zod message helper: path or "input", then the message', () => {
    assert.equal(
      zodMessage([
        { path: [], message: 'Required' },
        { path: ['sample', 0, 'seed'], message: 'Expected string' },
      ]),
      'input: Required; sample.0.seed: Expected string',
    );
  });

  it('checks the call before anything runs, and routes shell methods to the host', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-entrance-'));
    const core = createCoreContext({ storePath: path.join(dir, 'store.db') });
    try {
      const code = (r: { ok: boolean; error?: { code: string; message: string } }) => (r.ok ? 'ok' : `${r.error!.code}: ${r.error!.message}`);
      assert.equal(code(await dispatch(core, { method: 42, input: {} })), 'BAD_INPUT: method must be a string such as "snapshots.list"');
      assert.equal(code(await dispatch(core, { method: 'nope.nothing', input: {} })), 'BAD_INPUT: unknown method "nope.nothing"');
      assert.equal(code(await dispatch(core, { method: 'snapshots.list', input: {}, job: '' })), 'BAD_INPUT: job must be a non-empty string of at most 200 characters');
      assert.match(code(await dispatch(core, { method: 'snapshots.get', input: {} })), /^BAD_INPUT: invalid input for snapshots\.get: snapshot: \S/);
      assert.equal(code(await dispatch(core, { method: 'app.info', input: {} })), 'BAD_INPUT: app.info is not available in this host');
      const info = { kind: 'web', version: 'x', storePath: 's', platform: 'linux', nativeDialogs: false } as const;
      const viaHost = await dispatch(core, { method: 'app.info', input: {} }, { shell: { name: 'a test', handlers: { 'app.info': () => info } } });
      assert.deepEqual(viaHost, { ok: true, value: info });
      assert.deepEqual(await dispatch(core, { method: 'snapshots.list' }), { ok: true, value: [] });
    } finally {
      core.close();
    }
  });
});
