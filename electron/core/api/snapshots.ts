/** snapshots.* handlers. */
import { authorFor, deleteSnapshot } from '../annotations/service.ts';
import { completenessOf } from '../../../shared/domain/coverage.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'snapshots'> = {
  'snapshots.list': (_input, call) => call.core.store().snapshots.list().map((s) => ({ ...s, completeness: completenessOf(s) })),
  'snapshots.get': (input, call) => {
    const repo = call.core.store().snapshots;
    const s = repo.resolve(input.snapshot);
    const d = repo.detail(s.id);
    return { ...d.summary, completeness: completenessOf(d.summary), provenance: d.provenance, coverage: d.coverage, files: d.provenance.files ?? [], recordCounts: d.recordCounts };
  },
  'snapshots.delete': (input, call) => {
    const store = call.core.store();
    return deleteSnapshot(store, input.snapshot, input.reason, authorFor(store, call.core.user(), call.core.now()));
  },
};
