/** annotations.* handlers. The logic lives in electron/core/annotations. */
import path from 'node:path';
import type { CallContext } from '../context.ts';
import { labelsFor } from '../analysis/labels.ts';
import { verifyAnnotationLogAgainst } from '../annotations/against-pack.ts';
import { verifyAnnotationLog } from '../annotations/chain.ts';
import { exportAnnotations, mergeAnnotations } from '../annotations/exchange.ts';
import { readLog } from '../annotations/repository.ts';
import {
  addRestoreTest,
  authorFor,
  displayName,
  getAnnotation,
  listAnnotations,
  setAnnotations,
  setDisplayName,
  type Author,
} from '../annotations/service.ts';
import { parseTarget } from '../annotations/validate.ts';
import { readTrustAnchors } from '../packs/sign/trust.ts';
import type { DomainHandlers } from './types.ts';

function author(call: CallContext): Author {
  return authorFor(call.core.store(), call.core.user(), call.core.now());
}

export const handlers: DomainHandlers<'annotations'> = {
  'annotations.set': (input, call) => setAnnotations(call.core.store(), input, author(call)),
  'annotations.restoreTest': (input, call) => addRestoreTest(call.core.store(), input, author(call)),
  'annotations.list': (_input, call) => listAnnotations(call.core.store()),
  'annotations.get': (input, call) => {
    const store = call.core.store();
    const row = getAnnotation(store, input.target);
    return { ...row, log: readLog(store, { target: row.target }) };
  },
  'annotations.log': (input, call) => {
    const opts: { target?: string; afterSeq?: number; limit?: number } = {};
    if (input.target !== undefined) opts.target = input.target.startsWith('snapshot:') ? input.target : parseTarget(input.target).target;
    if (input.afterSeq !== undefined) opts.afterSeq = input.afterSeq;
    if (input.limit !== undefined) opts.limit = input.limit;
    return readLog(call.core.store(), opts);
  },
  'annotations.verifyLog': (input, call) =>
    input.against
      ? verifyAnnotationLogAgainst(call.core.store(), path.resolve(input.against), { trust: readTrustAnchors(input.trust ?? []) })
      : verifyAnnotationLog(call.core.store()),
  'annotations.identity': (input, call) => {
    const store = call.core.store();
    if (input.displayName !== undefined) setDisplayName(store, input.displayName);
    return { user: call.core.user(), ...displayName(store) };
  },
  'annotations.targetNames': (input, call) => {
    const store = call.core.store();
    // The newest three snapshots by as-of (as `latest` resolves): a log outlives items, and each extra snapshot walked costs a scan.
    const ids = store.snapshots
      .list()
      .sort((a, b) => Date.parse(b.asOf) - Date.parse(a.asOf) || Date.parse(b.createdAt) - Date.parse(a.createdAt))
      .slice(0, 3)
      .map((s) => s.id);
    const items = input.targets.filter((t) => t.startsWith('item:'));
    const labels = ids.length > 0 ? labelsFor(store.db, ids, items.map((t) => t.slice(5))) : {};
    const out: Record<string, string> = {};
    for (const t of items) {
      const name = labels[t.slice(5)];
      if (name) out[t] = name;
    }
    return out;
  },
  'annotations.export': (input, call) => exportAnnotations(call.core.store(), input.path, author(call), { force: input.force }),
  'annotations.merge': (input, call) => mergeAnnotations(call.core.store(), input.path, author(call), { dryRun: input.dryRun ?? false }),
};
