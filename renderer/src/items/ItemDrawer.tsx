import { useEffect, useState } from 'react';
import {
  Badge,
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  Link,
  OverlayDrawer,
  Spinner,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import type { BackupItem } from '../../../shared/domain/types.ts';
import { toApiError, useApi, useQuery, type ApiError } from '../api.ts';
import { useAppState } from '../state.tsx';
import { formatTime, formatValue, shortId } from '../format.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { RestoreReadiness } from './RestoreReadiness.tsx';
import { RawText } from './RawText.tsx';
import { AnnotationEditor } from './AnnotationEditor.tsx';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'minmax(160px, max-content) 1fr', columnGap: tokens.spacingHorizontalL, rowGap: '2px', wordBreak: 'break-all' },
  pre: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    backgroundColor: tokens.colorNeutralBackground3,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    margin: 0,
  },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, paddingBottom: tokens.spacingVerticalXXL },
  changed: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorPaletteDarkOrangeForeground1 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  wrap: { overflowWrap: 'anywhere' },
});

type TabId = 'details' | 'raw' | 'points' | 'restore' | 'history' | 'annotations';

const fieldLabels: Array<[keyof BackupItem, string]> = [
  ['name', 'Name'],
  ['key', 'Key'],
  ['id', 'ARM id'],
  ['vaultName', 'Vault'],
  ['vaultKind', 'Vault kind'],
  ['vaultResourceGroup', 'Vault resource group'],
  ['subscriptionId', 'Subscription'],
  ['resourceGroup', 'Resource group'],
  ['tenantId', 'Tenant'],
  ['location', 'Location'],
  ['workloadType', 'Workload'],
  ['backupManagementType', 'Management type'],
  ['protectedItemType', 'Protected item type'],
  ['containerName', 'Container'],
  ['serverName', 'Server'],
  ['parentName', 'Parent'],
  ['sourceResourceId', 'Source resource'],
  ['policyName', 'Policy'],
  ['policyId', 'Policy id'],
  ['protectionState', 'Protection state'],
  ['protectionStatus', 'Protection status'],
  ['healthStatus', 'Health'],
  ['protectedItemHealthStatus', 'Item health'],
  ['lastBackupStatus', 'Last backup status'],
  ['lastBackupTime', 'Last backup time'],
  ['neverBackedUp', 'Never backed up'],
  ['lastRecoveryPoint', 'Latest recovery point'],
  ['oldestRecoveryPoint', 'Oldest recovery point'],
  ['recoveryPointCount', 'Recovery points'],
  ['softDeleted', 'Soft-deleted'],
  ['deferredDeleteTime', 'Permanent deletion'],
  ['softDeleteRetentionDays', 'Soft-delete retention (days)'],
  ['archiveEnabled', 'Archive enabled'],
  ['sizeGb', 'Size (GB)'],
];

export function ItemDrawer(props: { snapshot: string; itemKey: string; onClose: () => void }) {
  const styles = useStyles();
  const app = useAppState();
  const [tab, setTab] = useState<TabId>('details');
  const detail = useQuery('items.get', { snapshot: props.snapshot, key: props.itemKey });
  const item = detail.data?.item;
  // Esc closes the drawer wherever the focus is (the grid keeps it after Enter opened the item).
  const { onClose } = props;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <OverlayDrawer open position="end" size="large" onOpenChange={(_, d) => !d.open && props.onClose()} data-testid="item-drawer">
      <DrawerHeader>
        <DrawerHeaderTitle action={<Button appearance="subtle" aria-label="Close" icon={<DismissRegular />} onClick={props.onClose} data-testid="item-drawer-close" />}>
          {item?.name ?? 'Item'}
        </DrawerHeaderTitle>
        <Text size={200} className={styles.mono}>
          {props.itemKey}
        </Text>
        <TabList selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as TabId)} size="small">
          <Tab value="details" data-testid="drawer-tab-details">
            Fields
          </Tab>
          <Tab value="raw" data-testid="drawer-tab-raw">
            Raw JSON
          </Tab>
          <Tab value="points" data-testid="drawer-tab-points">
            Recovery points
          </Tab>
          <Tab value="restore" data-testid="drawer-tab-restore">
            Restore
          </Tab>
          <Tab value="history" data-testid="drawer-tab-history">
            History
          </Tab>
          <Tab value="annotations" data-testid="drawer-tab-annotations">
            Annotations
          </Tab>
        </TabList>
      </DrawerHeader>
      {/* Focusable: on the Raw JSON tab the body scrolls with nothing focusable inside it. */}
      <DrawerBody className={styles.body} tabIndex={0} role="region" aria-label="Item details">
        <ErrorNotice error={detail.error} onRetry={detail.reload} />
        {!detail.data ? detail.loading ? <Spinner label="Loading item…" /> : null : null}
        {detail.data && tab === 'details' ? <Fields item={detail.data.item} /> : null}
        {detail.data && tab === 'raw' ? <RawText detail={detail.data} /> : null}
        {detail.data && tab === 'points' ? <RecoveryPoints snapshot={props.snapshot} item={detail.data.item} /> : null}
        {detail.data && tab === 'restore' ? <RestoreReadiness snapshot={props.snapshot} itemKey={detail.data.item.key} /> : null}
        {detail.data && tab === 'history' ? <History itemKey={detail.data.item.key} /> : null}
        {detail.data && tab === 'annotations' ? <AnnotationEditor itemKey={detail.data.item.key} onSaved={app.bumpData} /> : null}
      </DrawerBody>
    </OverlayDrawer>
  );
}

/** The Azure portal page of the item's source resource (or the item), in the system browser. */
function PortalLink(props: { item: BackupItem }) {
  const app = useAppState();
  const api = useApi();
  const id = props.item.sourceResourceId ?? props.item.id;
  const url = `https://portal.azure.com/#@/resource${id.startsWith('/') ? id : `/${id}`}`;
  if (app.info?.kind === 'electron') {
    return (
      <Link onClick={() => void api('shell.openExternal', { url })} data-testid="item-portal">
        Open in the Azure portal
      </Link>
    );
  }
  return (
    <Link href={url} target="_blank" rel="noreferrer noopener" data-testid="item-portal">
      Open in the Azure portal
    </Link>
  );
}

function Fields(props: { item: BackupItem }) {
  const styles = useStyles();
  const it = props.item;
  return (
    <div className={styles.grid} data-testid="item-fields">
      <Text weight="semibold">Azure portal</Text>
      <PortalLink item={it} />
      {fieldLabels.map(([k, label]) => (
        <FieldRow key={k} label={label} value={k === 'lastBackupTime' && it.neverBackedUp ? 'never: the service states no backup (2001-01-01 placeholder or no recovery point), and no backup job in the snapshot shows one' : it[k]} />
      ))}
      {Object.keys(it.tags).length > 0 ? <FieldRow label="Tags" value={Object.entries(it.tags).map(([k, v]) => `${k}=${v}`).join(', ')} /> : null}
    </div>
  );
}

function FieldRow(props: { label: string; value: unknown }) {
  return (
    <>
      <Text weight="semibold">{props.label}</Text>
      <Text>{formatValue(props.value)}</Text>
    </>
  );
}

function RecoveryPoints(props: { snapshot: string; item: BackupItem }) {
  const styles = useStyles();
  const related = useQuery('items.related', { snapshot: props.snapshot, key: props.item.key });
  const it = props.item;
  const r = related.data;
  return (
    <div data-testid="item-points">
      <div className={styles.grid}>
        <FieldRow label="Latest recovery point" value={formatTime(it.lastRecoveryPoint)} />
        <FieldRow label="Oldest recovery point" value={formatTime(it.oldestRecoveryPoint)} />
        <FieldRow label="Count (from the item)" value={it.recoveryPointCount} />
        <FieldRow label="Policy" value={r?.policy ? `${r.policy.name}: ${r.policy.scheduleFrequency ?? '?'} backups, ${r.policy.dailyRetentionDays ?? '?'} days daily retention` : it.policyName} />
        <FieldRow label="Vault" value={r?.vault ? `${r.vault.name} (${r.vault.storageRedundancy ?? 'redundancy unknown'}, soft delete ${r.vault.softDeleteState ?? 'unknown'}, immutability ${r.vault.immutabilityState ?? 'unknown'})` : it.vaultName} />
      </div>
      <ErrorNotice error={related.error} onRetry={related.reload} />
      {r && r.recoveryPoints.length === 0 ? (
        <Text block>This snapshot holds no recovery point list for the item. Import `az backup recoverypoint list` output (or collect with recovery points) to prove a usable restore point offline.</Text>
      ) : null}
      {r && r.recoveryPoints.length > 0 ? (
        <Table size="small" aria-label="Recovery points">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Time</TableHeaderCell>
              <TableHeaderCell>Type</TableHeaderCell>
              <TableHeaderCell>Tiers</TableHeaderCell>
              <TableHeaderCell>Expires</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {r.recoveryPoints.map((p) => (
              <TableRow key={p.key} data-testid="recovery-point-row">
                <TableCell>{formatTime(p.time)}</TableCell>
                <TableCell>{p.type ?? '—'}</TableCell>
                <TableCell>{p.tiers.join(', ') || '—'}</TableCell>
                <TableCell>{formatTime(p.expiryTime)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      {r && r.jobs.length > 0 ? (
        <>
          <Text weight="semibold" block>
            Backup jobs
          </Text>
          <Table size="small" aria-label="Jobs">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Operation</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Start</TableHeaderCell>
                <TableHeaderCell>End</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {r.jobs.map((j) => (
                <TableRow key={j.key}>
                  <TableCell>{j.operation ?? '—'}</TableCell>
                  <TableCell>{j.status ?? '—'}</TableCell>
                  <TableCell>{formatTime(j.startTime)}</TableCell>
                  <TableCell>{formatTime(j.endTime)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      ) : null}
    </div>
  );
}

const historyFields: Array<[keyof BackupItem, string]> = [
  ['protectionState', 'State'],
  ['healthStatus', 'Health'],
  ['lastBackupStatus', 'Last backup status'],
  ['lastBackupTime', 'Last backup'],
  ['policyName', 'Policy'],
  ['softDeleted', 'Soft-deleted'],
];

/** The item in every snapshot of the store, oldest first; changed values stand out. */
function History(props: { itemKey: string }) {
  const styles = useStyles();
  const app = useAppState();
  const api = useApi();
  const [rows, setRows] = useState<Array<{ id: string; label: string | null; asOf: string; item: BackupItem | null }> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const snapshots = app.snapshots;
  useEffect(() => {
    if (!snapshots) return;
    let live = true;
    const ordered = [...snapshots].sort((a, b) => a.asOf.localeCompare(b.asOf));
    Promise.all(
      ordered.map(async (s) => {
        try {
          const d = await api('items.get', { snapshot: s.id, key: props.itemKey });
          return { id: s.id, label: s.label, asOf: s.asOf, item: d.item };
        } catch (err) {
          const e = toApiError('items.get', err);
          if (e.info.code === 'NOT_FOUND') return { id: s.id, label: s.label, asOf: s.asOf, item: null };
          throw e;
        }
      }),
    ).then(
      (r) => live && setRows(r),
      (err: unknown) => live && setError(toApiError('items.get', err)),
    );
    return () => {
      live = false;
    };
  }, [api, snapshots, props.itemKey]);
  if (error) return <ErrorNotice error={error} />;
  if (!rows) return <Spinner label="Reading every snapshot…" />;
  return (
    <Table size="small" aria-label="History across snapshots" data-testid="item-history">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Snapshot (as of)</TableHeaderCell>
          {historyFields.map(([, l]) => (
            <TableHeaderCell key={l}>{l}</TableHeaderCell>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r, i) => {
          const prev = rows[i - 1]?.item ?? null;
          return (
            <TableRow key={r.id}>
              <TableCell className={styles.wrap}>
                {formatTime(r.asOf)} <Text size={200}>{r.label ?? shortId(r.id)}</Text>
              </TableCell>
              {r.item ? (
                historyFields.map(([k, l]) => {
                  const v = formatValue(k === 'lastBackupTime' ? formatTime(r.item![k] as string | null) : r.item![k]);
                  const changed = prev !== null && JSON.stringify(prev[k]) !== JSON.stringify(r.item![k]);
                  return (
                    <TableCell key={l} className={mergeClasses(styles.wrap, changed && styles.changed)}>
                      {v}
                    </TableCell>
                  );
                })
              ) : (
                <TableCell colSpan={historyFields.length}>
                  <Badge appearance="outline" color="subtle">
                    not in this snapshot
                  </Badge>
                </TableCell>
              )}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

