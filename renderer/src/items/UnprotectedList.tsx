/**
 * Unprotected workloads beside the backup items (issue 15 item 1): the
 * snapshot's inventory records that no live backup item names as its source
 * (items.unprotected), with the grid's kind of filters — several values of a
 * field are alternatives, "(none)" and "(no owner)" are choices — a search,
 * and an Owner column. Pages of 200 in name order; more on request.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Button,
  Dropdown,
  Option,
  SearchBox,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { UnprotectedField, UnprotectedFacets, UnprotectedResource } from '../../../shared/contract/methods/items.ts';
import { toApiError, useApi, type ApiError } from '../api.ts';
import { formatCount } from '../format.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { chosenLabel } from './ItemFilters.tsx';

type Field = UnprotectedField | 'owner';
const fields: Field[] = ['kind', 'subscriptionId', 'resourceGroup', 'owner'];
const labels: Record<Field, string> = { kind: 'Kind', subscriptionId: 'Subscription', resourceGroup: 'Resource group', owner: 'Owner' };
const kindWords: Record<string, string> = {
  virtualMachine: 'Virtual machine',
  storageAccount: 'Storage account',
  fileShare: 'File share',
  sqlVirtualMachine: 'SQL virtual machine',
  other: 'Other',
};

function valueWord(field: Field, v: string): string {
  if (v === '') return field === 'owner' ? '(no owner)' : '(none)';
  return field === 'kind' ? (kindWords[v] ?? v) : v;
}

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, flexGrow: 1, minHeight: 0 },
  toolbar: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  dd: { minWidth: '150px', maxWidth: '230px' },
  oneLine: { gridTemplateColumns: '[content] minmax(0, 1fr) [icon] auto [end]' },
  ellipsis: { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' },
  scroll: { overflow: 'auto', flexGrow: 1, minHeight: 0 },
});

export function UnprotectedList(props: { snapshot: string; version: number; facets: UnprotectedFacets | undefined }) {
  const styles = useStyles();
  const api = useApi();
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<Partial<Record<Field, string[]>>>({});
  const [rows, setRows] = useState<UnprotectedResource[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [next, setNext] = useState<{ value: string; key: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);

  const input = useMemo(() => {
    const where: Array<{ field: UnprotectedField; value: string }> = [];
    for (const f of ['kind', 'subscriptionId', 'resourceGroup'] as UnprotectedField[]) for (const value of chosen[f] ?? []) where.push({ field: f, value });
    return {
      snapshot: props.snapshot,
      ...(search.trim() ? { search: search.trim() } : {}),
      ...(where.length ? { where } : {}),
      ...(chosen.owner?.length ? { owners: chosen.owner } : {}),
    };
  }, [props.snapshot, search, chosen]);

  useEffect(() => {
    let live = true;
    api('items.unprotected', { ...input, limit: 200 }).then(
      (p) => {
        if (!live) return;
        setRows(p.resources);
        setTotal(p.total);
        setNext(p.next);
        setError(null);
      },
      (e: unknown) => live && setError(toApiError('items.unprotected', e)),
    );
    return () => {
      live = false;
    };
  }, [api, input, props.version, tick]);

  const more = useCallback(() => {
    if (!next) return;
    api('items.unprotected', { ...input, after: next, limit: 500 }).then(
      (p) => {
        setRows((r) => r.concat(p.resources));
        setNext(p.next);
      },
      (e: unknown) => setError(toApiError('items.unprotected', e)),
    );
  }, [api, input, next]);

  if (props.facets && props.facets.inventory === 0) {
    return (
      <Text data-testid="unprotected-none">
        This snapshot holds no workload inventory, so nothing can be called unprotected. Import a Resource Graph or ARM listing of the
        virtual machines, storage accounts and SQL servers beside the backup items, or collect with inventory.
      </Text>
    );
  }

  return (
    <div className={styles.root} data-testid="unprotected-view">
      <div className={styles.toolbar}>
        <SearchBox placeholder="Search name or id" value={search} onChange={(_, d) => setSearch(d.value)} aria-label="Search unprotected workloads by name or id" data-testid="unprotected-search" />
        {fields.map((f) => {
          const values = props.facets?.fields[f] ?? [];
          const current = chosen[f] ?? [];
          const label = `${labels[f]}: ${chosenLabel(current.map((v) => valueWord(f, v)))}`;
          return (
            <Dropdown
              key={f}
              multiselect
              className={styles.dd}
              button={{ className: styles.oneLine, children: <span className={styles.ellipsis}>{label}</span> }}
              value={label}
              title={current.length ? label : undefined}
              selectedOptions={current}
              onOptionSelect={(_, d) => setChosen((c) => ({ ...c, [f]: d.selectedOptions }))}
              aria-label={`Filter unprotected workloads by ${labels[f]}`}
              data-testid={`unprotected-filter-${f}`}
            >
              {values.map((v) => (
                <Option key={v.value} value={v.value} text={valueWord(f, v.value)}>
                  {`${valueWord(f, v.value)} (${formatCount(v.count)})`}
                </Option>
              ))}
            </Dropdown>
          );
        })}
        <Text weight="semibold" aria-live="polite" data-testid="unprotected-count">
          {total === null ? 'counting…' : `${formatCount(total)} of ${formatCount(props.facets?.total ?? null)} unprotected`}
        </Text>
      </div>
      <ErrorNotice error={error} onRetry={() => setTick((t) => t + 1)} />
      <div className={styles.scroll} tabIndex={0} role="region" aria-label="Unprotected workloads">
        <Table size="small" aria-label="Unprotected workloads" data-testid="unprotected-table">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Kind</TableHeaderCell>
              <TableHeaderCell>Resource group</TableHeaderCell>
              <TableHeaderCell>Subscription</TableHeaderCell>
              <TableHeaderCell>Owner</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.key} data-testid="unprotected-row">
                <TableCell title={r.key}>{r.name}</TableCell>
                <TableCell title={r.type}>{valueWord('kind', r.kind)}</TableCell>
                <TableCell>{r.resourceGroup ?? '—'}</TableCell>
                <TableCell>{r.subscriptionId ?? '—'}</TableCell>
                <TableCell>{r.owner ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {rows.length === 0 && total !== null ? <Text>No unprotected workload matches these filters.</Text> : null}
        {next ? (
          <Button onClick={more} data-testid="unprotected-more">
            {`Show more (${formatCount(rows.length)} of ${formatCount(total)} shown)`}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
