import { useState } from 'react';
import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownloadRegular, CloudArrowDownRegular, ShieldCheckmarkRegular } from '@fluentui/react-icons';
import type { SnapshotDetail } from '../../../shared/contract/methods/snapshots.ts';
import { toApiError, useApi, useQuery, type ApiError } from '../api.ts';
import { useAppState } from '../state.tsx';
import { formatCount, formatTime, shortHash, shortId } from '../format.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { ImportPanel } from '../components/ImportPanel.tsx';
import { Section, ViewHeader } from '../components/Section.tsx';
import { completenessLabel } from '../components/SnapshotPicker.tsx';
import { uniquePrefix } from '../snapshot-order.ts';
import { LogPanel } from './log/LogPanel.tsx';
import { ExchangePanel } from './log/ExchangePanel.tsx';
import { OwnersImportPanel } from './log/OwnersImportPanel.tsx';
import { BackupStateCounts } from '../components/BackupStateCounts.tsx';

const useStyles = makeStyles({
  row: { cursor: 'pointer' },
  toolbar: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap', margin: `${tokens.spacingVerticalS} 0` },
  grow: { flexGrow: 1 },
  selected: { backgroundColor: tokens.colorSubtleBackgroundSelected },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  grid: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  wrap: { wordBreak: 'break-all' },
  // A badge is one line high: in a narrow column "as stated by the files" wrapped out of it. It grows with its text instead.
  badge: { height: 'auto', minHeight: '20px', whiteSpace: 'normal', textAlign: 'center', paddingTop: '1px', paddingBottom: '1px' },
});

const recordNames: Record<string, [string, string]> = {
  item: ['backup item', 'backup items'],
  vault: ['vault', 'vaults'],
  policy: ['policy', 'policies'],
  recoveryPoint: ['recovery point', 'recovery points'],
  job: ['job', 'jobs'],
  inventory: ['inventory resource', 'inventory resources'],
};

/** Snapshots, and beside them the annotations that carry across snapshots (log, exchange, bulk owners). */
export function SnapshotsView() {
  const [tab, setTab] = useState<'snapshots' | 'log' | 'owners' | 'exchange'>('snapshots');
  return (
    <div data-testid="snapshots-view">
      {/* One h1 for every tab: the view's title. */}
      <ViewHeader title="Snapshots" subtitle="Each import or collection is an immutable, content-hashed snapshot, and beside them the annotations that carry across snapshots." />
      <TabList selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as typeof tab)}>
        <Tab value="snapshots" data-testid="snapshots-tab-snapshots">
          Snapshots
        </Tab>
        <Tab value="log" data-testid="snapshots-tab-log">
          Annotation log
        </Tab>
        <Tab value="owners" data-testid="snapshots-tab-owners">
          Import owners
        </Tab>
        <Tab value="exchange" data-testid="snapshots-tab-exchange">
          Export / merge annotations
        </Tab>
      </TabList>
      {tab === 'snapshots' ? <SnapshotList /> : null}
      {tab === 'log' ? <LogPanel /> : null}
      {tab === 'owners' ? <OwnersImportPanel /> : null}
      {tab === 'exchange' ? <ExchangePanel /> : null}
    </div>
  );
}

function SnapshotList() {
  const styles = useStyles();
  const app = useAppState();
  const api = useApi();
  const [showImport, setShowImport] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [verify, setVerify] = useState<{ ok: boolean; lines: string[] } | null>(null);
  const [verifyError, setVerifyError] = useState<ApiError | null>(null);
  const [verifying, setVerifying] = useState(false);
  const snapshots = app.snapshots ?? [];
  const focus = selected ?? app.current;

  async function verifyStore() {
    setVerifying(true);
    setVerifyError(null);
    try {
      const r = await api('store.verify', {});
      const lines = [
        ...r.problems,
        ...r.snapshots.filter((s) => !s.ok).map((s) => `snapshot ${shortId(s.id)}: expected ${shortHash(s.expected)}, recomputed ${shortHash(s.actual)}${s.problems.length ? ` (${s.problems.join('; ')})` : ''}`),
      ];
      setVerify({ ok: r.ok, lines: r.ok ? [`${r.snapshots.length} snapshots recomputed; every content hash matches.`] : lines });
    } catch (err) {
      setVerifyError(toApiError('store.verify', err));
    } finally {
      setVerifying(false);
    }
  }

  return (
    <div>
      <div className={styles.toolbar}>
        <Text size={200} className={styles.grow}>
          Pick a snapshot to see where it came from and what it covers.
        </Text>
        <Button icon={<ArrowDownloadRegular />} appearance={showImport ? 'secondary' : 'primary'} onClick={() => setShowImport((v) => !v)} data-testid="snapshots-import">
          {showImport ? 'Hide import' : 'Import files…'}
        </Button>
        <Button icon={<CloudArrowDownRegular />} onClick={() => app.go('start')} data-testid="snapshots-collect">
          Collect from Azure…
        </Button>
        <Button icon={<ShieldCheckmarkRegular />} onClick={() => void verifyStore()} disabled={verifying || snapshots.length === 0} data-testid="snapshots-verify-store">
          {verifying ? 'Verifying…' : 'Verify store'}
        </Button>
      </div>
      {showImport ? (
        <Section title="Import files">
          <ImportPanel onImported={(r) => setSelected(r.snapshotId)} />
        </Section>
      ) : null}
      <ErrorNotice error={verifyError} onDismiss={() => setVerifyError(null)} />
      {verify ? (
        <MessageBar intent={verify.ok ? 'success' : 'error'} layout="multiline" data-testid="store-verify-result">
          <MessageBarBody>
            <MessageBarTitle>{verify.ok ? 'Store intact' : 'Store verification failed'}</MessageBarTitle>
            {verify.lines.map((l, i) => (
              <div key={i}>{l}</div>
            ))}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {snapshots.length === 0 ? (
        <Section>
          <Text>No snapshots yet. Import export files above, collect from Azure, or load the demo estate from the Start view.</Text>
          <div>
            <Button appearance="primary" onClick={() => app.go('start')}>
              Go to Start
            </Button>
          </div>
        </Section>
      ) : (
        <Section title={`${snapshots.length} snapshot${snapshots.length === 1 ? '' : 's'}`}>
          <Table aria-label="Snapshots" size="small" data-testid="snapshots-table">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Snapshot</TableHeaderCell>
                <TableHeaderCell>Source</TableHeaderCell>
                <TableHeaderCell>As of</TableHeaderCell>
                <TableHeaderCell>Items</TableHeaderCell>
                <TableHeaderCell>Coverage</TableHeaderCell>
                <TableHeaderCell>Content hash</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {[...snapshots].reverse().map((s) => (
                <TableRow
                  key={s.id}
                  className={`${styles.row} ${focus === s.id ? styles.selected : ''}`}
                  onClick={() => setSelected(s.id)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      setSelected(s.id);
                    }
                  }}
                  tabIndex={0}
                  aria-selected={focus === s.id}
                  data-testid="snapshot-row"
                  data-snapshot-id={s.id}
                >
                  <TableCell>
                    <Text weight="semibold">{s.label ?? 'Unlabelled'}</Text>
                    {/* The shortest prefix unique in this store; the full id on hover and on copy. */}
                    <Text size={200} className={styles.mono} title={s.id} data-testid="snapshot-id" onCopy={(e) => (e.clipboardData.setData('text/plain', s.id), e.preventDefault())}>
                      {' '}
                      {uniquePrefix(s.id, snapshots)}
                    </Text>
                  </TableCell>
                  <TableCell>{s.source === 'live' ? 'Collected' : 'Imported'}</TableCell>
                  <TableCell>{formatTime(s.asOf)}</TableCell>
                  <TableCell>{formatCount(s.itemCount)}</TableCell>
                  <TableCell>
                    {/* Complete only when a live collection proves it; an import is as complete as its files say. */}
                    <Badge className={styles.badge} appearance={s.completeness === 'incomplete' ? 'filled' : 'tint'} color={s.completeness === 'verified' ? 'success' : s.completeness === 'asStated' ? 'informative' : 'warning'} data-testid="snapshot-completeness">
                      {completenessLabel[s.completeness]}
                    </Badge>
                  </TableCell>
                  <TableCell>
                    <span className={styles.mono} title={s.contentHash}>
                      {shortHash(s.contentHash, 16)}
                    </span>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Section>
      )}
      {focus && snapshots.some((s) => s.id === focus) ? <SnapshotDetails id={focus} /> : null}
    </div>
  );
}

function SnapshotDetails(props: { id: string }) {
  const styles = useStyles();
  const app = useAppState();
  const api = useApi();
  const detail = useQuery('snapshots.get', { snapshot: props.id }, app.dataVersion);
  const [deleting, setDeleting] = useState(false);
  const [reason, setReason] = useState('');
  const [deleteError, setDeleteError] = useState<ApiError | null>(null);
  const d: SnapshotDetail | undefined = detail.data;
  if (detail.error) return <ErrorNotice error={detail.error} onRetry={detail.reload} />;
  if (!d) return null;
  const failed = d.coverage.filter((c) => c.status === 'failed');

  async function remove() {
    try {
      await api('snapshots.delete', { snapshot: props.id, reason });
      setDeleting(false);
      setReason('');
      app.reloadSnapshots();
      app.bumpData();
    } catch (err) {
      setDeleteError(toApiError('snapshots.delete', err));
    }
  }

  return (
    <div data-testid="snapshot-details">
      <Section
        title={`Snapshot ${d.label ?? shortId(d.id)}`}
        actions={
          <div className={styles.actions}>
            <Button appearance="primary" onClick={() => (app.setCurrent(d.id), app.go('items'))} data-testid="snapshot-open-items">
              Open items
            </Button>
            <Button onClick={() => (app.setBaseline(d.id), app.go('compare'))} data-testid="snapshot-as-baseline">
              Use as baseline
            </Button>
            <Button onClick={() => setDeleting(true)}>Delete…</Button>
          </div>
        }
      >
        <div className={styles.grid}>
          <Text weight="semibold">Id</Text>
          <Text className={styles.mono}>{d.id}</Text>
          <Text weight="semibold">As of</Text>
          <Text>
            {formatTime(d.asOf)} <Text size={200}>(taken from: {String(d.provenance.asOfSource)})</Text>
          </Text>
          <Text weight="semibold">Created</Text>
          <Text>
            {formatTime(d.createdAt)} by {d.provenance.user} with Vaultproof {d.provenance.toolVersion}
          </Text>
          <Text weight="semibold">Source</Text>
          <Text>{d.source === 'live' ? 'Collected from Azure' : 'Imported from files'}</Text>
          <Text weight="semibold">Content hash</Text>
          <Text className={`${styles.mono} ${styles.wrap}`} data-testid="snapshot-hash">
            {d.contentHash} (canonical form v{d.canonicalVersion})
          </Text>
          <Text weight="semibold">Records</Text>
          <Text>
            {Object.entries(d.recordCounts)
              .map(([k, v]) => `${formatCount(v)} ${(recordNames[k] ?? [k, k])[v === 1 ? 0 : 1]}`)
              .join(', ')}
          </Text>
          <BackupStateCounts snapshot={d.id} version={app.dataVersion} />
          <Text weight="semibold">Tenants</Text>
          <Text className={styles.mono}>{d.provenance.tenants.join(', ') || '—'}</Text>
          <Text weight="semibold">Subscriptions</Text>
          <Text className={`${styles.mono} ${styles.wrap}`}>{d.provenance.subscriptions.join(', ') || '—'}</Text>
        </div>
      </Section>
      {d.files.length > 0 ? (
        <Section title="Input files">
          <Table size="small" aria-label="Input files">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>File</TableHeaderCell>
                <TableHeaderCell>Format</TableHeaderCell>
                <TableHeaderCell>Records</TableHeaderCell>
                <TableHeaderCell>Size</TableHeaderCell>
                <TableHeaderCell>SHA-256</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {d.files.map((f) => (
                <TableRow key={`${f.name}-${f.sha256}`}>
                  <TableCell>{f.name}</TableCell>
                  <TableCell>{f.format}</TableCell>
                  <TableCell>{formatCount(f.records)}</TableCell>
                  <TableCell>{formatCount(f.size)} bytes</TableCell>
                  <TableCell>
                    <span className={styles.mono} title={f.sha256}>
                      {shortHash(f.sha256, 16)}
                    </span>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Section>
      ) : null}
      <Section title="Coverage" testId="snapshot-coverage">
        {d.complete ? (
          <Text>Every scope asked for was collected.</Text>
        ) : (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Incomplete snapshot</MessageBarTitle>
              {failed.length} scope{failed.length === 1 ? '' : 's'} could not be read. Items there are missing from this snapshot, and every view and pack says so.
            </MessageBarBody>
          </MessageBar>
        )}
        <Table size="small" aria-label="Coverage">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Scope</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Items</TableHeaderCell>
              <TableHeaderCell>Error</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {d.coverage.map((c) => (
              <TableRow key={c.scope} data-testid="coverage-row">
                <TableCell className={styles.wrap}>{c.scope}</TableCell>
                <TableCell>
                  <Badge appearance="tint" color={c.status === 'collected' ? 'success' : 'danger'}>
                    {c.status}
                  </Badge>
                </TableCell>
                <TableCell>{c.itemCount === undefined ? '—' : formatCount(c.itemCount)}</TableCell>
                <TableCell>{c.error ? `${c.error.code}: ${c.error.message}` : ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Section>
      <Dialog open={deleting} onOpenChange={(_, data) => setDeleting(data.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Delete snapshot {shortId(d.id)}?</DialogTitle>
            <DialogContent>
              <Text block>The snapshot is removed as a whole; the deletion (who, when, why, and its content hash) is kept in the annotation log. Annotations stay.</Text>
              <Field label="Reason (required)" required>
                <Textarea value={reason} onChange={(_, data) => setReason(data.value)} />
              </Field>
              <ErrorNotice error={deleteError} />
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setDeleting(false)}>Keep it</Button>
              <Button appearance="primary" disabled={!reason.trim()} onClick={() => void remove()}>
                Delete snapshot
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}
