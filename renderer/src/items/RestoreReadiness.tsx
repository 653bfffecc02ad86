/**
 * The item drawer's "Restore" tab: the restore catalog entry of one item —
 * what can be restored (latest and oldest point by tier and region), how (the
 * workload's options), the last drill, and the commands to list its points
 * and restore it, to copy. Vaultproof never runs them.
 */
import { Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { RestoreEntry } from '../../../shared/domain/restore/catalog.ts';
import type { PointSpan } from '../../../shared/domain/restore/points.ts';
import { useQuery } from '../api.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatTime } from '../format.ts';

const useStyles = makeStyles({
  block: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  pre: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0, padding: tokens.spacingHorizontalS, backgroundColor: tokens.colorNeutralBackground3 },
});

function spanRow(label: string, s: PointSpan | null, missing: string) {
  return (
    <TableRow key={label}>
      <TableCell>{label}</TableCell>
      <TableCell>{s && s.count > 0 ? formatTime(s.latest) : missing}</TableCell>
      <TableCell>{s && s.count > 0 ? formatTime(s.oldest) : ''}</TableCell>
      <TableCell>{s ? s.count : 0}</TableCell>
    </TableRow>
  );
}

function Command(props: { label: string; lines: Array<string | null> }) {
  const styles = useStyles();
  const lines = props.lines.filter((l): l is string => l !== null && l !== '');
  if (lines.length === 0) return null;
  return (
    <div>
      <Text weight="semibold" block>
        {props.label}
      </Text>
      <pre className={styles.pre}>{lines.join('\n')}</pre>
    </div>
  );
}

function Entry(props: { e: RestoreEntry }) {
  const styles = useStyles();
  const { e } = props;
  const p = e.points;
  const secondaryMissing = e.crossRegionRestore !== true ? 'cross-region restore off' : p?.secondaryCollected ? 'none' : 'not listed';
  return (
    <div className={styles.block} data-testid="item-restore">
      {!p ? (
        <Text block>
          The snapshot lists no recovery points for this vault; the item record says the latest point is {formatTime(e.itemSays.latest)}
          {e.itemSays.count === null ? '' : ` (${e.itemSays.count} points)`}. Import `az backup recoverypoint list` output (or collect with recovery points) to see them by tier.
        </Text>
      ) : (
        <Table size="small" aria-label="Recovery points by tier and region">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Tier / region</TableHeaderCell>
              <TableHeaderCell>Latest</TableHeaderCell>
              <TableHeaderCell>Oldest</TableHeaderCell>
              <TableHeaderCell>Points</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {spanRow('All (primary region)', p.primary, 'none listed')}
            {spanRow('Snapshot', p.byTier.snapshot, 'none')}
            {spanRow('Vault-standard', p.byTier.vaultStandard, 'none')}
            {spanRow('Archive', p.byTier.archive, 'none')}
            {spanRow('Secondary region', p.secondary, secondaryMissing)}
          </TableBody>
        </Table>
      )}
      <Text block>
        <Text weight="semibold">Restore options: </Text>
        {e.options.map((o) => (o.note ? `${o.label} (${o.note})` : o.label)).join('; ') || 'none known for this workload'}
      </Text>
      <Text block data-testid="item-restore-drill">
        <Text weight="semibold">Last drill: </Text>
        {e.lastDrill ? `${e.lastDrill.date}, ${e.lastDrill.outcome}` : 'none recorded'}
      </Text>
      <Command label="List recovery points (read-only)" lines={[e.commands.list.az, e.commands.list.powershell]} />
      <Command label="Show the latest point (read-only)" lines={[e.commands.show.az, e.commands.show.powershell]} />
      <Command label="Restore (fill in the <target> placeholders)" lines={[...e.commands.restore.az, ...e.commands.restore.powershell]} />
      {e.commands.notes.map((n) => (
        <Text key={n} size={200} block>
          {n}
        </Text>
      ))}
    </div>
  );
}

export function RestoreReadiness(props: { snapshot: string; itemKey: string }) {
  const q = useQuery('restore.catalog', { snapshot: props.snapshot, key: props.itemKey });
  const e = q.data?.entries[0];
  return (
    <>
      <ErrorNotice error={q.error} onRetry={q.reload} />
      {!q.data && q.loading ? <Spinner label="Loading restore readiness…" /> : null}
      {e ? <Entry e={e} /> : null}
    </>
  );
}
