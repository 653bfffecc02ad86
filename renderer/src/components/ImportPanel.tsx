import { useState } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ImportResult } from '../../../shared/contract/methods/snapshots.ts';
import { ApiError, toApiError, useApi, useJob } from '../api.ts';
import { useAppState } from '../state.tsx';
import { formatCount, shortId } from '../format.ts';
import { DropZone } from './DropZone.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { JobProgress } from './JobProgress.tsx';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  options: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

const accept = '.json,.csv,.txt,application/json,text/csv';

/**
 * Import export files (az CLI, PowerShell, ARM, Resource Graph) into one
 * snapshot: picked or dropped files are staged (uploaded in web mode), then
 * imported as one cancellable job.
 */
export function ImportPanel(props: { compact?: boolean; onImported?: (r: ImportResult) => void }) {
  const styles = useStyles();
  const api = useApi();
  const app = useAppState();
  const job = useJob('import.files', 'import');
  const [label, setLabel] = useState('');
  const [asOf, setAsOf] = useState('');
  const [staging, setStaging] = useState<{ done: number; total: number; name: string } | null>(null);
  const [stageError, setStageError] = useState<ApiError | null>(null);
  const busy = staging !== null || job.running;
  // Uploaded files are read from a staging copy; errors must name the file the user picked, not that copy.
  const [picked, setPicked] = useState<Map<string, string>>(new Map());
  const [doneLabel, setDoneLabel] = useState<string | null>(null);
  const importError = job.error ? namePicked(job.error, picked) : null;

  async function importPaths(paths: string[]) {
    const input: { paths: string[]; label?: string; asOf?: string } = { paths };
    if (label.trim()) input.label = label.trim();
    if (asOf.trim()) input.asOf = asOf.trim();
    const result = await job.start(input);
    if (result) {
      // Cleared once used: the next import must not carry this label by accident.
      setDoneLabel(input.label ?? null);
      setLabel('');
      app.reloadSnapshots();
      app.setCurrent(result.snapshotId);
      app.bumpData();
      props.onImported?.(result);
    }
  }

  async function onFiles(files: File[]) {
    setStageError(null);
    job.reset();
    const paths: string[] = [];
    const names = new Map<string, string>();
    try {
      for (let i = 0; i < files.length; i++) {
        const f = files[i]!;
        setStaging({ done: i, total: files.length, name: f.name });
        const bytes = new Uint8Array(await f.arrayBuffer());
        const staged = await api('files.stage', { name: f.name, bytes });
        paths.push(staged.path);
        names.set(staged.path, f.name);
      }
    } catch (err) {
      setStageError(toApiError('files.stage', err));
      return;
    } finally {
      setStaging(null);
    }
    setPicked(names);
    await importPaths(paths);
  }

  async function pickNative() {
    setStageError(null);
    try {
      const picked = await api('dialog.openFiles', {
        title: 'Import Azure Backup exports',
        multiple: true,
        filters: [
          { name: 'Exports (JSON, CSV)', extensions: ['json', 'csv', 'txt'] },
          { name: 'All files', extensions: ['*'] },
        ],
      });
      setPicked(new Map());
      if (picked.paths.length > 0) await importPaths(picked.paths);
    } catch (err) {
      setStageError(toApiError('dialog.openFiles', err));
    }
  }

  const r = job.result;
  return (
    <div className={styles.root} data-testid="import-panel">
      <DropZone
        testId="import-drop"
        title="Drop export files here"
        hint="az CLI, PowerShell, ARM REST, Resource Graph (JSON or CSV), recovery point, job and inventory lists. All files dropped together become one snapshot."
        buttonLabel="Choose files…"
        accept={accept}
        disabled={busy}
        onFiles={(files) => void onFiles(files)}
        {...(app.info?.nativeDialogs ? { onPickNative: () => void pickNative() } : {})}
      />
      {props.compact ? null : (
        <div className={styles.options}>
          <Field label="Label (optional)" hint="e.g. “Q3 review — before clean-up”">
            <Input value={label} onChange={(_, d) => setLabel(d.value)} data-testid="import-label" disabled={busy} />
          </Field>
          <Field label="As-of time (optional)" hint="Used only when the files do not carry their collection time. ISO, e.g. 2025-10-01T08:00:00Z">
            <Input value={asOf} onChange={(_, d) => setAsOf(d.value)} data-testid="import-asof" disabled={busy} />
          </Field>
        </div>
      )}
      {staging ? (
        <JobProgress label="Uploading files" progress={{ job: 'stage', phase: staging.name, done: staging.done, total: staging.total }} />
      ) : null}
      {job.running ? <JobProgress label="Importing" progress={job.progress} onCancel={job.cancel} testId="import-progress" /> : null}
      {job.cancelled ? (
        <MessageBar intent="warning">
          <MessageBarBody>Import cancelled. Nothing was saved.</MessageBarBody>
        </MessageBar>
      ) : null}
      <ErrorNotice error={stageError ?? importError} onDismiss={() => (setStageError(null), job.reset())} testId="import-error" />
      {r ? (
        <MessageBar intent="success" layout="multiline" data-testid="import-result">
          <MessageBarBody>
            <MessageBarTitle>
              Imported {formatCount(r.itemCount)} items into snapshot {doneLabel ? `“${doneLabel}” ` : ''}
              <span title={r.snapshotId}>{shortId(r.snapshotId)}</span>
            </MessageBarTitle>
            <ul className={styles.list}>
              {r.files.map((f) => (
                <li key={f.path}>
                  <Text>
                    {picked.get(f.path) ?? f.path.split(/[\\/]/).pop()}: {f.format}, {formatCount(f.records)} records
                  </Text>
                </li>
              ))}
            </ul>
            {r.warnings.length > 0 ? (
              <>
                <Text weight="semibold">Warnings</Text>
                <ul className={styles.list}>
                  {r.warnings.map((w, i) => (
                    <li key={i}>
                      <Text>{w}</Text>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <Button appearance="primary" onClick={() => app.go('items')} data-testid="import-open-items">
              Open items
            </Button>
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </div>
  );
}

/** The same error with every staged copy's path replaced by the name of the file the user picked. */
function namePicked(err: ApiError, picked: Map<string, string>): ApiError {
  if (picked.size === 0) return err;
  const swap = (t: string): string => {
    let out = t;
    for (const [staged, name] of picked) out = out.split(staged).join(name);
    return out;
  };
  const info = { ...err.info, message: swap(err.info.message), ...(err.info.file !== undefined ? { file: swap(err.info.file) } : {}) };
  return new ApiError(err.method, info);
}
