import { useState } from 'react';
import { Button, Dropdown, Field, Input, Link, Option, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { SampleRun } from '../../../../shared/contract/methods/analysis.ts';
import { toApiError, useApi, type ApiError } from '../../api.ts';
import { useAppState } from '../../state.tsx';
import { formatCount, shortHash } from '../../format.ts';
import { nameFromKey } from '../../item-name.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Section } from '../../components/Section.tsx';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
});

type Stratify = 'none' | 'workload' | 'vault' | 'severity';
const stratifyLabels: Record<Stratify, string> = { none: 'No strata (simple random)', workload: 'By workload', vault: 'By vault', severity: 'By worst finding severity' };

/** A reproducible audit sample: the same seed always draws the same items; the pack records seed and method. */
export function SamplePanel(props: { snapshot: string }) {
  const styles = useStyles();
  const app = useAppState();
  const api = useApi();
  const [size, setSize] = useState('25');
  const [seed, setSeed] = useState(`audit-${new Date().toISOString().slice(0, 10)}`);
  const [stratify, setStratify] = useState<Stratify>('none');
  const [result, setResult] = useState<SampleRun | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function draw() {
    setBusy(true);
    setError(null);
    try {
      const n = Number(size);
      if (!Number.isInteger(n) || n < 0) throw new Error(`Sample size must be a whole number, got "${size}"`);
      setResult(await api('sample.draw', { snapshot: props.snapshot, size: n, seed: seed.trim(), stratify }));
    } catch (err) {
      setError(toApiError('sample.draw', err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title="Draw an audit sample" testId="sample-panel">
      <Text>Auditors test a sample of items rather than all of them. The draw is reproducible: anyone with the same snapshot, seed and method gets the same items.</Text>
      <div className={styles.row}>
        <Field label="Items">
          <Input value={size} onChange={(_, d) => setSize(d.value)} style={{ width: 90 }} data-testid="sample-size" />
        </Field>
        <Field label="Seed">
          <Input value={seed} onChange={(_, d) => setSeed(d.value)} data-testid="sample-seed" />
        </Field>
        <Field label="Method">
          <Dropdown value={stratifyLabels[stratify]} selectedOptions={[stratify]} onOptionSelect={(_, d) => setStratify((d.optionValue ?? 'none') as Stratify)}>
            {(Object.keys(stratifyLabels) as Stratify[]).map((s) => (
              <Option key={s} value={s}>
                {stratifyLabels[s]}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Button appearance="primary" disabled={busy || !seed.trim()} onClick={() => void draw()} data-testid="sample-draw">
          Draw
        </Button>
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {result ? (
        <>
          <Text>
            {formatCount(result.size)} of {formatCount(result.population)} items, seed “{result.seed}”. {result.method}
            {result.profileHash ? ` Profile ${shortHash(result.profileHash)}.` : ''}
          </Text>
          {result.strata.length > 1 ? <Text size={200}>Strata: {result.strata.map((s) => `${s.stratum} ${s.drawn}/${s.population}`).join(' · ')}</Text> : null}
          <Table size="small" aria-label="Sampled items" data-testid="sample-table">
            <TableHeader>
              <TableRow>
                <TableHeaderCell style={{ width: 50 }}>#</TableHeaderCell>
                <TableHeaderCell>Item</TableHeaderCell>
                <TableHeaderCell>Stratum</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {result.items.map((u, i) => (
                <TableRow key={u.key}>
                  <TableCell>{i + 1}</TableCell>
                  <TableCell>
                    <Link onClick={() => app.openItems({ key: u.key })} title={u.key}>
                      {nameFromKey(u.key)}
                    </Link>
                  </TableCell>
                  <TableCell>{u.stratum}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      ) : null}
    </Section>
  );
}
