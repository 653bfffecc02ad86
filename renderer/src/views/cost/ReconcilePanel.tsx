import { useState } from 'react';
import { Badge, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import type { ReconcileRun } from '../../../../shared/contract/methods/analysis.ts';
import { toApiError, useApi, type ApiError } from '../../api.ts';
import { useAppState } from '../../state.tsx';
import { formatCount, formatMoney } from '../../format.ts';
import { DropZone } from '../../components/DropZone.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Section } from '../../components/Section.tsx';

const statusColor = { match: 'success', difference: 'danger', notEstimated: 'warning', notBilled: 'warning', noSnapshot: 'informative', notInBilling: 'informative' } as const;

/** Finance: estimated against billed cost per vault and month, from an Azure Cost Management export. */
export function ReconcilePanel(props: { sizes: string | null }) {
  const app = useAppState();
  const api = useApi();
  const [result, setResult] = useState<ReconcileRun | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function reconcile(files: File[]) {
    const f = files[0];
    if (!f || !app.snapshots?.length) return;
    setBusy(true);
    setError(null);
    try {
      const staged = await api('files.stage', { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
      setResult(await api('cost.reconcile', { billing: staged.path, snapshots: app.snapshots.slice(-120).map((s) => s.id), ...(props.sizes ? { sizes: props.sizes } : {}) }));
    } catch (err) {
      setError(toApiError('cost.reconcile', err));
    } finally {
      setBusy(false);
    }
  }

  const r = result;
  const money = (n: number | null) => formatMoney(n, r?.currency ?? 'USD');
  return (
    <Section title="Reconcile with the bill" testId="reconcile-panel">
      <DropZone
        testId="billing-drop"
        title="Drop an Azure Cost Management export (CSV)"
        hint="Estimated cost per vault and month (each month uses the snapshot taken in it) is compared with the Backup rows of the bill."
        buttonLabel="Choose export…"
        accept=".csv"
        multiple={false}
        disabled={busy}
        onFiles={(f) => void reconcile(f)}
      />
      {busy ? <Spinner label="Reconciling…" /> : null}
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {r ? (
        <>
          <Text>
            {r.billing.fileName}: {formatCount(r.billing.rowCount)} rows, {r.months.join(', ')}. Estimated {money(r.totals.estimated)}, billed {money(r.totals.billed)}, difference {money(r.totals.difference)} (tolerance {r.tolerancePct} %).
            {r.comparable ? '' : ` The bill is in ${r.billingCurrency ?? 'another currency'}: amounts are not comparable.`}
          </Text>
          <Table size="small" aria-label="Reconciliation">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Month</TableHeaderCell>
                <TableHeaderCell>Vault</TableHeaderCell>
                <TableHeaderCell>Estimated</TableHeaderCell>
                <TableHeaderCell>Billed</TableHeaderCell>
                <TableHeaderCell>Difference</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {r.rows.map((row) => (
                <TableRow key={`${row.month}-${row.vaultKey}`}>
                  <TableCell>{row.month}</TableCell>
                  <TableCell title={row.vaultKey}>{row.vaultName ?? row.vaultKey}</TableCell>
                  <TableCell>
                    {money(row.estimated)}
                    {row.estimateComplete === false ? ' (lower bound)' : ''}
                  </TableCell>
                  <TableCell>{money(row.billed)}</TableCell>
                  <TableCell>
                    {money(row.difference)}
                    {row.differencePct !== null ? ` (${row.differencePct} %)` : ''}
                  </TableCell>
                  <TableCell>
                    <Badge appearance="tint" color={statusColor[row.status]}>
                      {row.status}
                    </Badge>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {r.notes.map((n, i) => (
            <Text key={i} size={200} block>
              {n}
            </Text>
          ))}
        </>
      ) : null}
    </Section>
  );
}
