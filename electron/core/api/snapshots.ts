import type { HandlerTable } from './dispatch.ts';
import { importFiles } from '../import/index.ts';
import { verifyStore } from '../store/verify.ts';
import { storeVerifyChecks } from '../store/checks.ts';
import { notFound } from '../errors.ts';

export const snapshotHandlers: Pick<HandlerTable, 'snapshots.list' | 'snapshots.get' | 'import.files' | 'items.query' | 'items.get' | 'store.verify'> = {
  'snapshots.list': (_input, call) => call.core.store().snapshots.list(),
  'snapshots.get': (input, call) => {
    const repo = call.core.store().snapshots;
    const s = repo.resolve(input.snapshot);
    const d = repo.detail(s.id);
    return { ...d.summary, provenance: d.provenance, coverage: d.coverage, files: d.provenance.files ?? [], recordCounts: d.recordCounts };
  },
  'import.files': (input, call) =>
    importFiles(call.core.store(), input.paths, {
      ...(input.label !== undefined ? { label: input.label } : {}),
      ...(input.asOf !== undefined ? { asOf: input.asOf } : {}),
      now: call.core.now(),
      user: call.core.user(),
      onProgress: (e) => call.emit(e),
      signal: call.signal,
    }),
  'items.query': (input, call) => {
    const repo = call.core.store().snapshots;
    const s = repo.resolve(input.snapshot);
    return repo.query(s.id, input);
  },
  'items.get': (input, call) => {
    const repo = call.core.store().snapshots;
    const s = repo.resolve(input.snapshot);
    const found = repo.getItem(s.id, input.key.toLowerCase()) ?? repo.getItem(s.id, input.key);
    if (!found) throw notFound(`snapshot ${s.id} has no item "${input.key}"`);
    return found;
  },
  'store.verify': (_input, call) => {
    const store = call.core.store();
    return verifyStore(store, storeVerifyChecks);
  },
};
