import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AnnotationLogEntry, MergedFrom } from '../../../shared/contract/methods/annotations.ts';
import { zodIssueText } from '../../../shared/contract/zod-message.ts';
import { UserError } from '../errors.ts';
import { jsonProblem } from '../import/text.ts';
import { claimOutputFile, writeOutputFile } from '../output/guard.ts';
import { sha256Hex } from '../store/canonical.ts';
import type { Store } from '../store/store.ts';
import { checkChain, verifyAnnotationLog } from './chain.ts';
import { isAnnotationField, isAnnotationTarget } from './fields.ts';
import { annotationLogHead, appendEntries, currentSlot, iterateLog, knownEntryIds, readLog, storeId } from './repository.ts';
import { listAnnotations, sameValue, type Author } from './service.ts';
import type { AnnotationsExportResult, MergeConflict, MergeReport } from './types.ts';

export const EXPORT_FORMAT = 'vaultproof.annotations';
export const EXPORT_VERSION = 1;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const entrySchema = z
  .object({
    seq: z.number().int().min(1),
    id: z.string().min(1).max(200),
    kind: z.enum(['set', 'conflict', 'snapshot.delete']),
    at: z.string().min(1).max(64),
    user: z.string().max(500),
    displayName: z.string().max(500).nullable(),
    target: z.string().min(1).max(5000),
    field: z.string().min(1).max(500),
    oldValue: z.unknown(),
    newValue: z.unknown(),
    reason: z.string().nullable(),
    applied: z.boolean(),
    mergedFrom: z
      .object({ storeId: z.string(), exportedBy: z.string(), exportedAt: z.string(), seq: z.number().int(), hash: z.string() })
      .strict()
      .nullable(),
    prevHash: hex64,
    hash: hex64,
  })
  .strict();

const exportSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    storeId: z.string().min(1),
    exportedAt: z.string(),
    exportedBy: z.object({ user: z.string(), displayName: z.string().nullable() }).strict(),
    head: z.object({ count: z.number().int().min(0), hash: hex64 }).strict(),
    annotations: z.array(z.unknown()),
    log: z.array(entrySchema),
  })
  .strict();

export type AnnotationsExport = z.infer<typeof exportSchema>;

/**
 * Writes every annotation and the whole log (with its hashes) to one JSON
 * file, atomically. Refuses when the local log does not verify: a broken
 * history must not travel.
 */
export function exportAnnotations(store: Store, file: string, author: Author, opts: { force?: boolean | undefined } = {}): AnnotationsExportResult {
  // Before any work: the target must not be the store (or replace a file without force).
  const abs = claimOutputFile(file, { storePath: store.path, force: opts.force });
  const verdict = verifyAnnotationLog(store);
  if (!verdict.ok) {
    throw new UserError('VERIFY_FAILED', `the annotation log does not verify (entry ${verdict.firstBad?.seq}: ${verdict.firstBad?.reason}); run \`vaultproof log verify\` — nothing was exported`);
  }
  const body = store.db.transaction(() => {
    const annotations = listAnnotations(store);
    return {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      storeId: storeId(store),
      exportedAt: author.now.toISOString(),
      exportedBy: { user: author.user, displayName: author.displayName },
      head: annotationLogHead(store),
      annotations,
      log: [...iterateLog(store)],
    };
  })();
  const text = `${JSON.stringify(body, null, 1)}\n`;
  writeOutputFile(abs, text, { force: opts.force });
  return { path: abs, entries: body.log.length, targets: body.annotations.length, head: body.head, sha256: sha256Hex(text) };
}

export function readExport(file: string): AnnotationsExport {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError('BAD_INPUT', `cannot read ${file}: ${(e as Error).message}`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError('BAD_INPUT', `${path.basename(file)} is not JSON (${jsonProblem((e as Error).message)})`, { file });
  }
  const parsed = exportSchema.safeParse(json);
  if (!parsed.success) {
    throw new UserError('BAD_INPUT', `${path.basename(file)} is not a Vaultproof annotations export: ${zodIssueText(parsed.error.issues[0]!, '(root)')}`, { file });
  }
  const data = parsed.data;
  const chain = checkChain(data.log as AnnotationLogEntry[]);
  if (chain.firstBad) {
    throw new UserError('VERIFY_FAILED', `${path.basename(file)}: the exported log is broken at entry ${chain.firstBad.seq}: ${chain.firstBad.reason}`, { file });
  }
  if (chain.count !== data.head.count || chain.head !== data.head.hash) {
    throw new UserError('VERIFY_FAILED', `${path.basename(file)}: the log holds ${chain.count} entries but the file's head says ${data.head.count} (${data.head.hash}); the file was truncated or edited`, { file });
  }
  for (const e of data.log) {
    const ok = isAnnotationTarget(e.target) ? isAnnotationField(e.field) : e.target.startsWith('snapshot:') && e.field === 'deleted';
    if (!ok) throw new UserError('BAD_INPUT', `${path.basename(file)}: entry ${e.seq} has an unknown target or field (${e.target} ${e.field})`, { file });
  }
  return data;
}

type LastWrite = { id: string; at: string; user: string; seq: number };

function lastWrite(store: Store, target: string, field: string): LastWrite | null {
  return (
    (store.db.prepare('SELECT id, at, user, seq FROM annotation_log WHERE target = ? AND field = ? AND applied = 1 ORDER BY seq DESC LIMIT 1').get(target, field) as
      | LastWrite
      | undefined) ?? null
  );
}

class DryRun extends Error {}

/**
 * Merges an export from another auditor. Every incoming entry this store does
 * not hold yet is appended to the local chain (history kept, with where it
 * came from). An entry whose old value is the local value applies cleanly;
 * one whose new value already is the local value agrees; anything else is a
 * conflict: the later write (by time, then id) wins, the loser stays in the
 * log unapplied, and a `conflict` entry records what happened.
 */
export function mergeAnnotations(store: Store, file: string, author: Author, opts: { dryRun?: boolean } = {}): MergeReport {
  const data = readExport(file);
  const known = knownEntryIds(store);
  const origin = (e: AnnotationLogEntry): MergedFrom => ({
    storeId: data.storeId,
    exportedBy: data.exportedBy.displayName ? `${data.exportedBy.displayName} (${data.exportedBy.user})` : data.exportedBy.user,
    exportedAt: data.exportedAt,
    seq: e.seq,
    hash: e.hash,
  });
  const report: MergeReport = {
    file: path.resolve(file),
    dryRun: opts.dryRun ?? false,
    fromStore: data.storeId,
    exportedBy: data.exportedBy.user,
    incoming: data.log.length,
    alreadyPresent: 0,
    applied: 0,
    agreed: 0,
    conflicts: [],
    entriesWritten: 0,
    warnings: [],
  };
  const run = store.db.transaction(() => {
    const localById = (id: string): AnnotationLogEntry | undefined => readLogById(store, id);
    for (const raw of data.log) {
      const e = raw as AnnotationLogEntry;
      if (known.has(e.id)) {
        report.alreadyPresent++;
        const mine = localById(e.id);
        if (mine && !(mine.target === e.target && mine.field === e.field && mine.at === e.at && sameValue(mine.newValue, e.newValue))) {
          report.warnings.push(`incoming entry ${e.seq} reuses id ${e.id} of local entry ${mine.seq} with different content; kept the local one`);
        }
        continue;
      }
      known.add(e.id);
      const copy = {
        id: e.id,
        kind: e.kind,
        at: e.at,
        user: e.user,
        displayName: e.displayName,
        target: e.target,
        field: e.field,
        oldValue: e.oldValue ?? null,
        newValue: e.newValue ?? null,
        reason: e.reason,
        mergedFrom: origin(e),
      };
      // History only: another store's snapshot deletions, its conflict records, entries that lost there.
      if (!isAnnotationTarget(e.target) || e.kind !== 'set' || !e.applied) {
        appendEntries(store, [{ ...copy, applied: false }]);
        report.entriesWritten++;
        continue;
      }
      const local = currentSlot(store.db, e.target, e.field);
      const localValue = local?.value ?? null;
      if (sameValue(localValue, e.newValue)) {
        appendEntries(store, [{ ...copy, applied: true }]);
        report.agreed++;
        report.entriesWritten++;
        continue;
      }
      if (sameValue(localValue, e.oldValue)) {
        appendEntries(store, [{ ...copy, applied: true }]);
        report.applied++;
        report.entriesWritten++;
        continue;
      }
      const lw = lastWrite(store, e.target, e.field);
      const incomingWins = !lw || e.at > lw.at || (e.at === lw.at && e.id > lw.id);
      const conflict: MergeConflict = {
        target: e.target,
        field: e.field,
        local: { value: localValue, at: lw?.at ?? '', user: lw?.user ?? null, seq: lw?.seq ?? 0 },
        incoming: { value: e.newValue ?? null, at: e.at, user: e.user, id: e.id },
        winner: incomingWins ? 'incoming' : 'local',
      };
      report.conflicts.push(conflict);
      const [stored] = appendEntries(store, [{ ...copy, applied: incomingWins }]);
      appendEntries(store, [
        {
          kind: 'conflict',
          at: author.now.toISOString(),
          user: author.user,
          displayName: author.displayName,
          target: e.target,
          field: e.field,
          oldValue: localValue,
          newValue: e.newValue ?? null,
          applied: false,
          reason:
            `merge of ${path.basename(file)} (store ${data.storeId}): local value from entry ${lw?.seq ?? '-'} (${lw?.user ?? '?'} at ${lw?.at ?? '?'}) ` +
            `vs incoming entry ${stored!.seq} (${e.user} at ${e.at}); last writer wins: ${incomingWins ? 'incoming' : 'local'}`,
        },
      ]);
      if (incomingWins) report.applied++;
      report.entriesWritten += 2;
    }
    if (opts.dryRun) throw new DryRun();
  });
  try {
    run.immediate();
  } catch (e) {
    if (!(e instanceof DryRun)) throw e;
  }
  return report;
}

function readLogById(store: Store, id: string): AnnotationLogEntry | undefined {
  const seq = store.db.prepare('SELECT seq FROM annotation_log WHERE id = ?').pluck(true).get(id) as number | undefined;
  if (seq === undefined) return undefined;
  return readLog(store, { afterSeq: seq - 1, limit: 1 })[0];
}
