import { useState } from 'react';
import { Button, Field, Input, Link, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useQuery } from '../../api.ts';
import { useAppState } from '../../state.tsx';
import { formatCount, formatDay } from '../../format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Section } from '../../components/Section.tsx';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end' },
  big: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold },
});

const pct = (x: number | null) => (x === null ? 'not observed' : `${(x * 100).toFixed(1)} %`);

/** Policy adherence without Log Analytics: share of days with a successful backup, from jobs and recovery points across snapshots. */
export function AdherencePanel() {
  const styles = useStyles();
  const app = useAppState();
  const [windowDays, setWindowDays] = useState('30');
  const [asked, setAsked] = useState<number>(30);
  const report = useQuery('adherence.run', { windowDays: asked }, app.dataVersion);
  const r = report.data;
  const rows = r ? [...r.items].sort((a, b) => (a.share ?? 2) - (b.share ?? 2)).slice(0, 300) : [];
  return (
    <Section title="Policy adherence" testId="adherence-panel">
      <div className={styles.row}>
        <Field label="Window (days)">
          <Input value={windowDays} onChange={(_, d) => setWindowDays(d.value)} style={{ width: 90 }} />
        </Field>
        <Button onClick={() => Number(windowDays) > 0 && setAsked(Math.floor(Number(windowDays)))}>Recompute</Button>
      </div>
      <ErrorNotice error={report.error} onRetry={report.reload} />
      {report.loading ? <Spinner label="Reading jobs and recovery points…" /> : null}
      {r ? (
        <>
          <Text className={styles.big} data-testid="adherence-overall">
            {pct(r.overall.share)}
          </Text>
          <Text>
            of {formatCount(r.overall.observed)} observed item-days from {formatDay(r.from)} to {formatDay(r.to)} had a successful backup ({formatCount(r.snapshots)} snapshots).
          </Text>
          <Text size={200}>Method: {r.method}</Text>
          {r.overall.observed === 0 ? <Text>No job or recovery point records in the snapshots: import `az backup job list` and recovery point lists to measure adherence offline.</Text> : null}
          {rows.length > 0 ? (
            <Table size="small" aria-label="Adherence per item">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Item</TableHeaderCell>
                  <TableHeaderCell>Share</TableHeaderCell>
                  <TableHeaderCell>Observed</TableHeaderCell>
                  <TableHeaderCell>Missed</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((i) => (
                  <TableRow key={i.key}>
                    <TableCell>
                      <Link onClick={() => app.openItems({ key: i.key })}>{i.name}</Link>
                    </TableCell>
                    <TableCell>{pct(i.share)}</TableCell>
                    <TableCell>
                      {i.succeeded}/{i.observed} {i.period === 'week' ? 'weeks' : 'days'}
                    </TableCell>
                    <TableCell>{i.missed.slice(0, 6).join(', ')}{i.missed.length > 6 ? ` +${i.missed.length - 6}` : ''}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : null}
        </>
      ) : null}
    </Section>
  );
}
