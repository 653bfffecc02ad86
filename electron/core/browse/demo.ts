/**
 * Loads the bundled demo estate (assets/demo, shared with `vaultproof demo`)
 * into the user's store: one sub-folder per snapshot, named by its date and
 * imported oldest first through the ordinary import, collected at 06:00 UTC
 * that day (as `vaultproof demo` does). Annotation exports found beside the
 * folders (annotations*.json) are merged through the ordinary merge.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoLoadResult } from '../../../shared/contract/methods/ui.ts';
import type { CallContext } from '../context.ts';
import { importFiles } from '../import/index.ts';
import { mergeAnnotations } from '../annotations/exchange.ts';
import { authorFor } from '../annotations/service.ts';
import { UserError } from '../errors.ts';

export const demoDir = fileURLToPath(new URL('../../../assets/demo', import.meta.url));

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function labelFor(folder: string): string {
  const m = /^(\d{4})-(\d{2})-\d{2}$/.exec(folder);
  return m ? `Demo estate, ${months[Number(m[2]) - 1] ?? m[2]} ${m[1]}` : `Demo estate, ${folder}`;
}

export async function loadDemo(call: CallContext, dir: string = demoDir): Promise<DemoLoadResult> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    throw new UserError('NOT_FOUND', `the demo estate is not bundled with this build (no folder ${dir}); import your own export files instead`);
  }
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  if (folders.length === 0) throw new UserError('NOT_FOUND', `the demo folder ${dir} holds no snapshot folders`);
  const store = call.core.store();
  const snapshots: DemoLoadResult['snapshots'] = [];
  for (const [i, name] of folders.entries()) {
    call.emit({ phase: 'import', done: i, total: folders.length, message: `importing ${name}` });
    const folder = path.join(dir, name);
    const files = fs.readdirSync(folder).filter((f) => /\.(json|csv|txt)$/i.test(f)).sort().map((f) => path.join(folder, f));
    const label = labelFor(name);
    const r = await importFiles(store, files, {
      label,
      ...(/^\d{4}-\d{2}-\d{2}$/.test(name) ? { asOf: `${name}T06:00:00Z` } : {}),
      now: call.core.now(),
      user: call.core.user(),
      signal: call.signal,
    });
    snapshots.push({ label, snapshotId: r.snapshotId, itemCount: r.itemCount, contentHash: r.contentHash });
  }
  let annotationsApplied = 0;
  for (const f of entries.filter((e) => e.isFile() && /^annotations.*\.json$/i.test(e.name)).map((e) => e.name).sort()) {
    const report = mergeAnnotations(store, path.join(dir, f), authorFor(store, call.core.user(), call.core.now()));
    annotationsApplied += report.entriesWritten;
  }
  call.emit({ phase: 'done', done: folders.length, total: folders.length });
  return { snapshots, annotationsApplied };
}
