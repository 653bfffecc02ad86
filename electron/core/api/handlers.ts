/**
 * The handler table. Each method prefix has one module, electron/core/api/<prefix>.ts,
 * exporting `handlers` for exactly the contract's <prefix>.* methods. A module
 * is imported on the first call of one of its methods, so a caller pays only for
 * the domains it uses (the CLI's start-up time depends on it).
 *
 * Everything that can be checked without loading a module is checked when this
 * file loads: a repeated prefix, a contract method with no module, a module with
 * no method. A loaded module may register only methods of its own prefix.
 * Repeated method names are refused when the contract tables merge
 * (shared/contract/merge.ts).
 */
import { methods } from '../../../shared/contract/index.ts';
import type { MethodName } from '../../../shared/contract/index.ts';
import type { Handler } from './types.ts';

export type HandlerModule = { handlers: object };
export type DomainLoader = () => Promise<HandlerModule>;

// Literal import() specifiers: the CLI bundler splits each domain into its own chunk.
export const domainLoaders: ReadonlyArray<readonly [prefix: string, load: DomainLoader]> = [
  ['snapshots', () => import('./snapshots.ts')],
  ['import', () => import('./import.ts')],
  ['items', () => import('./items.ts')],
  ['store', () => import('./store.ts')],
  ['jobs', () => import('./jobs.ts')],
  ['annotations', () => import('./annotations.ts')],
  ['owners', () => import('./owners.ts')],
  ['diff', () => import('./diff.ts')],
  ['findings', () => import('./findings.ts')],
  ['cost', () => import('./cost.ts')],
  ['sample', () => import('./sample.ts')],
  ['sizes', () => import('./sizes.ts')],
  ['adherence', () => import('./adherence.ts')],
  ['profiles', () => import('./profiles.ts')],
  ['ratecards', () => import('./ratecards.ts')],
  ['collect', () => import('./collect.ts')],
  ['packs', () => import('./packs.ts')],
  ['identities', () => import('./identities.ts')],
  ['demo', () => import('./demo.ts')],
  ['access', () => import('./access.ts')],
  ['restore', () => import('./restore.ts')],
  ['alerts', () => import('./alerts.ts')],
  ['policy', () => import('./policy.ts')],
];

export function prefixOf(method: string): string {
  const dot = method.indexOf('.');
  return dot < 0 ? method : method.slice(0, dot);
}

export type HandlerRegistry = {
  handler<M extends MethodName>(method: M): Promise<Handler<M>>;
  /** Loads every module (tests: proves each one registers what the contract says). */
  loadAll(): Promise<void>;
};

type LoadedTable = Record<string, (input: never, call: never) => unknown>;

function checkModule(prefix: string, table: object, expected: readonly string[]): LoadedTable {
  for (const name of Object.keys(table)) {
    if (!expected.includes(name)) throw new Error(`handler module "${prefix}" registers "${name}", which is not one of the contract's ${prefix}.* methods`);
  }
  for (const name of expected) {
    if (typeof (table as Record<string, unknown>)[name] !== 'function') throw new Error(`handler module "${prefix}" has no handler for ${name}`);
  }
  return table as LoadedTable;
}

/** Registers one loader per prefix against the contract's method names; throws on any mismatch. */
export function createRegistry(entries: ReadonlyArray<readonly [string, DomainLoader]>, methodNames: readonly string[]): HandlerRegistry {
  const loaders = new Map<string, DomainLoader>();
  for (const [prefix, load] of entries) {
    if (loaders.has(prefix)) throw new Error(`Conflicting method name prefix ${prefix}: two handler modules registered for it`);
    loaders.set(prefix, load);
  }
  const byPrefix = new Map<string, string[]>();
  for (const name of methodNames) {
    const prefix = prefixOf(name);
    const list = byPrefix.get(prefix) ?? [];
    if (list.includes(name)) throw new Error(`Conflicting method name ${name}`);
    if (!loaders.has(prefix)) throw new Error(`no handler module registered for ${name} (prefix "${prefix}")`);
    byPrefix.set(prefix, [...list, name]);
  }
  for (const prefix of loaders.keys()) {
    if (!byPrefix.has(prefix)) throw new Error(`handler module "${prefix}" is registered but the contract has no ${prefix}.* method`);
  }
  const loaded = new Map<string, Promise<LoadedTable>>();
  function load(prefix: string): Promise<LoadedTable> {
    let table = loaded.get(prefix);
    if (!table) {
      table = loaders.get(prefix)!().then((m) => checkModule(prefix, m.handlers, byPrefix.get(prefix)!));
      // A failed load is not remembered: the next call tries again.
      table.catch(() => loaded.delete(prefix));
      loaded.set(prefix, table);
    }
    return table;
  }
  return {
    async handler(method) {
      const table = await load(prefixOf(method));
      return table[method] as unknown as Handler<typeof method>;
    },
    async loadAll() {
      await Promise.all([...loaders.keys()].map(load));
    },
  };
}

export const handlerRegistry: HandlerRegistry = createRegistry(domainLoaders, Object.keys(methods));
