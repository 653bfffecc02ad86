import { useState } from 'react';
import { Badge, Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { AnnotationsExportResult, MergeReport } from '../../../../shared/contract/methods/annotations.ts';
import { ApiError, toApiError, useApi } from '../../api.ts';
import { useAppState } from '../../state.tsx';
import { formatCount, formatValue, shortHash } from '../../format.ts';
import { inStoreFolder, stamp } from '../../paths.ts';
import { DropZone } from '../../components/DropZone.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Section } from '../../components/Section.tsx';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
});

/** Hand annotations to another auditor (export with the whole log) and take theirs in (merge: both histories kept). */
export function ExchangePanel() {
  const styles = useStyles();
  const app = useAppState();
  const api = useApi();
  const [out, setOut] = useState('');
  const [exported, setExported] = useState<AnnotationsExportResult | null>(null);
  const [staged, setStaged] = useState<{ name: string; path: string } | null>(null);
  const [preview, setPreview] = useState<MergeReport | null>(null);
  const [merged, setMerged] = useState<MergeReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const native = app.info?.nativeDialogs ?? false;
  const target = out || inStoreFolder(app.info?.storePath, 'exports', `annotations-${stamp()}.json`);

  async function doExport() {
    setError(null);
    try {
      let path = target;
      if (native) {
        const r = await api('dialog.saveFile', { title: 'Export annotations', defaultName: `annotations-${stamp()}.json`, filters: [{ name: 'Vaultproof annotations', extensions: ['json'] }] });
        if (!r.path) return;
        path = r.path;
      }
      // The system save dialog has already asked before replacing a file; a typed path asks here.
      try {
        setExported(await api('annotations.export', { path, ...(native ? { force: true } : {}) }));
      } catch (err) {
        if (native || !(err instanceof ApiError) || err.info.code !== 'CONFLICT' || !err.info.message.includes('already exists')) throw err;
        if (!window.confirm(`${path} already exists. Replace it with this export?`)) return;
        setExported(await api('annotations.export', { path, force: true }));
      }
    } catch (err) {
      setError(toApiError('annotations.export', err));
    }
  }

  async function onFiles(files: File[]) {
    const f = files[0];
    if (!f) return;
    setBusy(true);
    setError(null);
    setPreview(null);
    setMerged(null);
    try {
      const s = await api('files.stage', { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
      setStaged({ name: f.name, path: s.path });
      setPreview(await api('annotations.merge', { path: s.path, dryRun: true }));
    } catch (err) {
      setError(toApiError('annotations.merge', err));
    } finally {
      setBusy(false);
    }
  }

  async function applyMerge() {
    if (!staged) return;
    setBusy(true);
    try {
      setMerged(await api('annotations.merge', { path: staged.path }));
      setPreview(null);
      app.bumpData();
    } catch (err) {
      setError(toApiError('annotations.merge', err));
    } finally {
      setBusy(false);
    }
  }

  const report = merged ?? preview;
  return (
    <Section title="Exchange annotations with another auditor" testId="exchange-panel">
      <Text weight="semibold">Export</Text>
      <div className={styles.row}>
        {native ? null : (
          <Field label="Write to (file on this machine)" style={{ flexGrow: 1 }}>
            <Input value={target} onChange={(_, d) => setOut(d.value)} />
          </Field>
        )}
        <Button onClick={() => void doExport()} data-testid="annotations-export">
          Export annotations and log…
        </Button>
      </div>
      {exported ? (
        <Text className={styles.mono}>
          Wrote {formatCount(exported.entries)} entries for {formatCount(exported.targets)} targets to {exported.path} (SHA-256 {shortHash(exported.sha256, 16)}, log head #{exported.head.count}).
        </Text>
      ) : null}
      <Text weight="semibold">Merge</Text>
      <DropZone testId="merge-drop" title="Drop another auditor's annotations export" hint="You see what would change first; both histories are kept, and conflicts are listed (the later change wins, and the conflict is logged)." buttonLabel="Choose file…" accept=".json" multiple={false} disabled={busy} onFiles={(f) => void onFiles(f)} />
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {report ? (
        <MessageBar intent={merged ? 'success' : 'info'} layout="multiline" data-testid="merge-report">
          <MessageBarBody>
            <MessageBarTitle>{merged ? 'Merged' : `Preview of ${staged?.name ?? 'the file'}`}</MessageBarTitle>
            From store {shortHash(report.fromStore)} exported by {report.exportedBy}: {formatCount(report.incoming)} entries, {formatCount(report.alreadyPresent)} already here, {formatCount(report.applied)} to apply, {formatCount(report.agreed)} agreeing, {formatCount(report.conflicts.length)} conflicts.
            {merged ? ` ${formatCount(merged.entriesWritten)} entries written.` : ''}
            {report.warnings.map((w, i) => (
              <div key={i}>{w}</div>
            ))}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {report && report.conflicts.length > 0 ? (
        <Table size="small" aria-label="Merge conflicts">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Target · field</TableHeaderCell>
              <TableHeaderCell>Here</TableHeaderCell>
              <TableHeaderCell>Theirs</TableHeaderCell>
              <TableHeaderCell>Kept</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {report.conflicts.map((c, i) => (
              <TableRow key={i}>
                <TableCell className={styles.mono}>
                  {c.target} · {c.field}
                </TableCell>
                <TableCell>
                  {formatValue(c.local.value)} ({c.local.user ?? '?'}, {c.local.at})
                </TableCell>
                <TableCell>
                  {formatValue(c.incoming.value)} ({c.incoming.user}, {c.incoming.at})
                </TableCell>
                <TableCell>
                  <Badge appearance="tint">{c.winner === 'local' ? 'here' : 'theirs'}</Badge>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      {preview ? (
        <div>
          <Button appearance="primary" disabled={busy} onClick={() => void applyMerge()} data-testid="merge-apply">
            Merge now
          </Button>
        </div>
      ) : null}
    </Section>
  );
}
