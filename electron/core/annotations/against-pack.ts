import type { X509Certificate } from 'node:crypto';
import type { LogVerifyResult } from '../../../shared/contract/methods/annotations.ts';
import { verifyPack } from '../packs/verify.ts';
import { parseManifest } from '../packs/write/manifest.ts';
import { openPack } from '../packs/write/zip.ts';
import type { Store } from '../store/store.ts';
import { verifyAnnotationLog } from './chain.ts';

/**
 * `log verify --against PACK`: the chain proves by itself that nothing in the
 * middle changed and that no recorded head was cut off, but a log rewritten
 * whole — every hash recomputed, the triggers dropped and recreated, the
 * recorded heads rewritten — chains perfectly. A head kept outside the store
 * (in a signed pack's manifest) is what catches that: the store's entry at
 * the pack's position must have exactly the pack's hash, and since each entry
 * hashes the one before it, nothing before it can have changed either.
 */
export async function verifyAnnotationLogAgainst(store: Store, packPath: string, opts: { trust?: readonly X509Certificate[] } = {}): Promise<LogVerifyResult> {
  const own = verifyAnnotationLog(store);
  const pack = await verifyPack(packPath, { ...(opts.trust ? { trust: opts.trust } : {}) });
  const fail = (reason: string, seq: number, packId: string | null, head: { count: number; hash: string } | null): LogVerifyResult => {
    const problem = { seq, reason };
    return { ...own, ok: false, firstBad: own.firstBad && own.firstBad.seq < seq ? own.firstBad : problem, problems: [...own.problems, problem].sort((a, b) => a.seq - b.seq), against: { pack: packPath, packId, count: head?.count ?? null, head: head?.hash ?? null, ok: false } };
  };
  if (!pack.ok || pack.kind !== 'pack') {
    const why = pack.kind !== 'pack' ? 'it is a lone PDF, not a pack' : pack.firstFailure ? `${pack.firstFailure.file}: ${pack.firstFailure.reason}` : 'a signer does not chain to a --trust anchor';
    return fail(`the pack ${packPath} does not verify (${why}); its recorded head cannot be relied on`, 0, pack.packId, null);
  }
  const src = await openPack(packPath);
  let manifestBytes: Buffer;
  try {
    manifestBytes = await src.read('manifest.json');
  } finally {
    await src.close();
  }
  const parsed = parseManifest(manifestBytes);
  if (!parsed.ok) return fail(`the pack's manifest is unreadable: ${parsed.problem}`, 0, pack.packId, null);
  const head = parsed.manifest.annotationLog;
  if (!head) return fail(`pack ${parsed.manifest.packId} records no annotation log head`, 0, parsed.manifest.packId, null);
  const recorded = { count: head.count, hash: head.head };
  const packId = parsed.manifest.packId;
  if (head.count === 0) return { ...own, against: { pack: packPath, packId, count: 0, head: head.head, ok: own.ok } };
  const row = store.db.prepare('SELECT hash FROM annotation_log WHERE seq = ?').get(head.count) as { hash: string } | undefined;
  if (!row) {
    const last = (store.db.prepare('SELECT MAX(seq) FROM annotation_log').pluck(true).get() as number | null) ?? 0;
    return fail(`the log ends at entry ${last}, but pack ${packId} recorded ${head.count} entries (head ${head.head}): entries ${last + 1}..${head.count} are gone`, last + 1, packId, recorded);
  }
  if (own.firstBad && own.firstBad.seq > 0 && own.firstBad.seq <= head.count) {
    return { ...own, ok: false, against: { pack: packPath, packId, count: recorded.count, head: recorded.hash, ok: false } };
  }
  if (row.hash !== head.head) {
    return fail(
      `entry ${head.count} is not the entry pack ${packId} recorded (store: ${row.hash}, pack: ${head.head}), yet the store's chain is whole: the log was rewritten at or before entry ${head.count}, every hash recomputed`,
      head.count,
      packId,
      recorded,
    );
  }
  return { ...own, against: { pack: packPath, packId, count: head.count, head: head.head, ok: true } };
}
