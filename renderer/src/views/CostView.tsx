import { useMemo, useState } from 'react';
import {
  Badge,
  Dropdown,
  Field,
  Link,
  MessageBar,
  MessageBarBody,
  Option,
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
  tokens,
} from '@fluentui/react-components';
import type { CostGroup } from '../../../shared/domain/cost.ts';
import type { CostSummary } from '../../../shared/contract/methods/cost.ts';
import { toApiError, useApi, useQuery, type ApiError } from '../api.ts';
import { useFirstFrameRows } from '../first-frame.ts';
import { useAppState } from '../state.tsx';
import { formatCount, formatDay, formatMoney, shortHash } from '../format.ts';
import { BarChart } from '../components/BarChart.tsx';
import { DropZone } from '../components/DropZone.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { Section, ViewHeader } from '../components/Section.tsx';
import { boundedMoney, partialMoney } from '../money.ts';
import { SnapshotPicker } from '../components/SnapshotPicker.tsx';
import { ReconcilePanel } from './cost/ReconcilePanel.tsx';
import { RatecardPanel } from './cost/RatecardPanel.tsx';

const useStyles = makeStyles({
  // One line of pickers and one of tiles, so the chart is in view at 1280×720.
  pickers: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr) minmax(0, 0.7fr)', gap: tokens.spacingHorizontalM, alignItems: 'end' },
  cards: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))', gap: tokens.spacingHorizontalS, margin: `${tokens.spacingVerticalS} 0` },
  card: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, borderRadius: tokens.borderRadiusLarge, border: `1px solid ${tokens.colorNeutralStroke2}`, backgroundColor: tokens.colorNeutralBackground1 },
  mid: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightBase400 },
  big: { fontSize: tokens.fontSizeBase600, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightBase600 },
  good: { color: tokens.colorPaletteGreenForeground1 },
  bad: { color: tokens.colorPaletteRedForeground1 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  num: { textAlign: 'right' },
});

type GroupBy = 'byVault' | 'bySubscription' | 'byOwner';
/** Unknown-size and unpriced items listed on screen; the workbook lists them all. */
const UNKNOWN_SHOWN = 300;
/** Unknown items in the view's first frame (below the totals and groups); the rest follow (renderer/src/first-frame.ts). */
const UNKNOWN_FIRST = 20;
const GROUPS_FIRST = 30;
const noUnknown: CostSummary['unknown']['items'] = [];
const groupLabels: Record<GroupBy, string> = { byVault: 'Vault', bySubscription: 'Subscription', byOwner: 'Owner' };

export function CostView() {
  const styles = useStyles();
  const app = useAppState();
  const api = useApi();
  const snapshots = app.snapshots ?? [];
  const current = app.current;
  const baseline = app.baseline && app.baseline !== current ? app.baseline : null;
  const [groupBy, setGroupBy] = useState<GroupBy>('byVault');
  const [sizesId, setSizesId] = useState<string | null>(null);
  const [sizesVersion, setSizesVersion] = useState(0);
  const [sizesError, setSizesError] = useState<ApiError | null>(null);
  const [sizesBusy, setSizesBusy] = useState(false);
  const sizesList = useQuery('sizes.list', {}, sizesVersion);
  const opt = sizesId ? { sizes: sizesId } : {};
  // Aggregates only (issue 17): totals, groups, the fee and storage sums, and the first unknown items, not a row per item.
  const after = useQuery('cost.summary', current ? { snapshot: current, ...opt, ...(baseline ? { compare: baseline } : {}), unknownLimit: UNKNOWN_SHOWN } : null, app.dataVersion);
  const before = useQuery('cost.summary', baseline ? { snapshot: baseline, ...opt, unknownLimit: 0 } : null, app.dataVersion);
  const a = after.data;
  const b = before.data;
  const currency = a?.currency ?? 'USD';
  const aTotal = a ? boundedMoney(a.total, a.pricedTotal, a.pricedItems, a.billableItems, a.currency) : boundedMoney(null, 0, 0, 0, currency);
  const bTotal = b ? boundedMoney(b.total, b.pricedTotal, b.pricedItems, b.billableItems, b.currency) : null;
  // Protected-instance fees and storage are billed apart; an unknown part of either is never counted as zero (summed by the engine).
  const fees = a?.instanceFees ?? { sum: 0, priced: 0, unknown: 0 };
  const storage = a?.storage ?? { sum: 0, priced: 0, unknown: 0 };

  const rows = useMemo(() => {
    if (!a) return [];
    const merged = new Map<string, { label: string; after: CostGroup | null; before: CostGroup | null }>();
    for (const g of a[groupBy]) merged.set(g.group, { label: g.label ?? g.group, after: g, before: null });
    for (const g of b?.[groupBy] ?? []) {
      const m = merged.get(g.group) ?? { label: g.label ?? g.group, after: null, before: null };
      m.before = g;
      merged.set(g.group, m);
    }
    return [...merged.entries()].map(([group, m]) => ({ group, ...m })).sort((x, y) => Math.max(y.after?.total ?? 0, y.before?.total ?? 0) - Math.max(x.after?.total ?? 0, x.before?.total ?? 0));
  }, [a, b, groupBy]);
  // A new answer's first rows in the first frame, the rest right after it (first-frame.ts); the chart reads `rows`.
  const shownRows = useFirstFrameRows(rows, rows, GROUPS_FIRST);
  const unknown = useFirstFrameRows(a?.unknown.items ?? noUnknown, a, UNKNOWN_FIRST);

  async function importSizes(files: File[]) {
    const f = files[0];
    if (!f) return;
    setSizesBusy(true);
    setSizesError(null);
    try {
      const staged = await api('files.stage', { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
      const r = await api('sizes.import', { path: staged.path, label: f.name });
      setSizesVersion((v) => v + 1);
      setSizesId(r.id);
    } catch (err) {
      setSizesError(toApiError('sizes.import', err));
    } finally {
      setSizesBusy(false);
    }
  }

  if (!current) {
    return (
      <div data-testid="cost-view">
        <ViewHeader title="Cost" subtitle="Import or collect a snapshot first." />
      </div>
    );
  }
  const money = (n: number | null | undefined) => formatMoney(n, currency);
  const groupUnknown = (g: CostGroup) => g.unknownSize + g.unpriced;
  const groupMoney = (g: CostGroup | null) => (g ? partialMoney(g.total, g.items - groupUnknown(g), groupUnknown(g), currency) : '—');
  const unknownTotal = a?.unknown.total ?? 0;
  const unknownListed = a?.unknown.items.length ?? 0;

  return (
    <div data-testid="cost-view">
      <ViewHeader title="Cost" subtitle="Monthly cost from an offline rate card, per item, vault, subscription and owner, before and after. An unknown size is unknown, never zero." />
      <div className={styles.pickers}>
        <SnapshotPicker label="Before (baseline, optional)" snapshots={snapshots} value={baseline} onChange={(id) => app.setBaseline(id || null)} testId="cost-baseline" allowNone="No comparison" />
        <SnapshotPicker label="After (current)" snapshots={snapshots} value={current} onChange={app.setCurrent} testId="cost-current" />
        <Field label="Sizes dataset">
          <Dropdown
            value={sizesId ? (sizesList.data?.find((s) => s.id === sizesId)?.label ?? sizesId) : 'None: sizes from items and annotations'}
            selectedOptions={[sizesId ?? '']}
            onOptionSelect={(_, d) => setSizesId(d.optionValue ? d.optionValue : null)}
            style={{ minWidth: 0 }}
          >
            <Option value="" text="None: sizes from items and annotations">
              None: sizes from items and annotations
            </Option>
            {(sizesList.data ?? []).map((s) => (
              <Option key={s.id} value={s.id} text={s.label ?? s.fileName}>
                {`${s.label ?? s.fileName} (${formatCount(s.rowCount)} rows, ${formatDay(s.createdAt)})`}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </div>
      <ErrorNotice error={after.error ?? before.error} onRetry={() => (after.reload(), before.reload())} />
      {after.loading && !a ? <Spinner label={`Pricing ${formatCount(snapshots.find((x) => x.id === current)?.itemCount ?? null)} items… (once per snapshot and annotation change)`} /> : null}
      {a ? (
        <>
          <div className={styles.cards} data-testid="cost-summary">
            <div className={styles.card}>
              <Text block>{baseline ? 'After: per month' : 'Per month'}</Text>
              <Text className={styles.big} data-testid="cost-total" data-exact={aTotal.exact}>
                {aTotal.text}
              </Text>
              <Text size={200} block data-testid="cost-total-note">
                {aTotal.exact ? 'every item priced' : a && a.pricedItems > 0 ? `${aTotal.note}: a lower bound` : aTotal.note}
              </Text>
            </div>
            <div className={styles.card} data-testid="cost-split">
              <Text block>Instance fees · storage</Text>
              <Text block>
                <Text size={200}>fees </Text>
                <Text className={styles.mid} data-testid="cost-instance-fees">
                  {partialMoney(fees.sum, fees.priced, fees.unknown, currency)}
                </Text>
              </Text>
              <Text block>
                <Text size={200}>storage </Text>
                <Text className={styles.mid} data-testid="cost-storage">
                  {partialMoney(storage.sum, storage.priced, storage.unknown, currency)}
                </Text>
              </Text>
            </div>
            {b && bTotal ? (
              <div className={styles.card}>
                <Text block>Before: per month</Text>
                <Text className={styles.big} data-testid="cost-before-total">
                  {bTotal.text}
                </Text>
                {bTotal.note ? (
                  <Text size={200} block>
                    {bTotal.note}
                  </Text>
                ) : null}
              </div>
            ) : null}
            {a.delta ? <DeltaCards run={a} money={money} /> : null}
            <div className={styles.card}>
              <Text block>Unknown size</Text>
              <Text className={styles.big} data-testid="cost-unknown-count">
                {formatCount(a.unknownSize)}
              </Text>
              <Text size={200} block>
                {formatCount(a.unpriced)} unpriced · {formatCount(a.itemCount)} items
              </Text>
            </div>
          </div>
          <TabList selectedValue={groupBy} onTabSelect={(_, d) => setGroupBy(d.value as GroupBy)}>
            {(Object.keys(groupLabels) as GroupBy[]).map((g) => (
              <Tab key={g} value={g} data-testid={`cost-tab-${g}`}>
                By {groupLabels[g].toLowerCase()}
              </Tab>
            ))}
          </TabList>
          <Section title={`Cost by ${groupLabels[groupBy].toLowerCase()}${b ? ': before and after' : ''}`} testId="cost-groups">
            <BarChart
              ariaLabel={`Monthly cost by ${groupLabels[groupBy].toLowerCase()}`}
              testId="cost-chart"
              series={b ? [{ name: 'Before', color: tokens.colorNeutralForeground4 }, { name: 'After', color: tokens.colorBrandBackground }] : [{ name: 'Per month', color: tokens.colorBrandBackground }]}
              rows={rows.slice(0, 15).map((r) => ({ label: r.label, values: b ? [r.before?.total ?? null, r.after?.total ?? null] : [r.after?.total ?? null], labels: b ? [groupMoney(r.before), groupMoney(r.after)] : [groupMoney(r.after)] }))}
              format={(n) => money(n)}
            />
            {rows.length > 15 ? <Text size={200}>The chart shows the 15 largest; the table lists all {formatCount(rows.length)}.</Text> : null}
            <Table size="small" aria-label={`Cost by ${groupLabels[groupBy]}`}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{groupLabels[groupBy]}</TableHeaderCell>
                  {b ? <TableHeaderCell className={styles.num}>Before</TableHeaderCell> : null}
                  <TableHeaderCell className={styles.num}>{b ? 'After' : 'Per month'}</TableHeaderCell>
                  {b ? <TableHeaderCell className={styles.num}>Change</TableHeaderCell> : null}
                  <TableHeaderCell className={styles.num}>Items</TableHeaderCell>
                  <TableHeaderCell className={styles.num}>Unknown size</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {shownRows.map((r) => {
                  // A change is stated only where both sides are fully priced.
                  const known = !!r.after && !!r.before && groupUnknown(r.after) === 0 && groupUnknown(r.before) === 0;
                  const change = known ? r.after!.total - r.before!.total : null;
                  return (
                    <TableRow key={r.group} data-testid="cost-group-row">
                      <TableCell title={r.group}>{r.label}</TableCell>
                      {b ? <TableCell className={styles.num}>{r.before ? groupMoney(r.before) : '—'}</TableCell> : null}
                      <TableCell className={styles.num}>{r.after ? groupMoney(r.after) : '—'}</TableCell>
                      {b ? (
                        <TableCell className={`${styles.num} ${change !== null && change < 0 ? styles.good : change !== null && change > 0 ? styles.bad : ''}`} data-testid="cost-group-change">
                          {change === null ? (r.before && r.after ? 'unknown' : r.after ? 'added' : 'removed') : money(change)}
                        </TableCell>
                      ) : null}
                      <TableCell className={styles.num}>{formatCount(r.after?.items ?? 0)}</TableCell>
                      <TableCell className={styles.num}>{formatCount(r.after?.unknownSize ?? 0)}</TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </Section>
          <Text size={200} block>
            Rate card {a.ratecard.name} v{a.ratecard.version}, effective {a.ratecard.effectiveDate} ({a.ratecard.source}; {shortHash(a.ratecard.hash)}). {a.rounding}
          </Text>
          <Section title={`Unknown sizes and unpriced items (${formatCount(unknownTotal)})`} testId="cost-unknown">
            {unknownTotal === 0 ? (
              <Text>Every item has a known size and a price.</Text>
            ) : (
              <>
                <Text>
                  These items are not in the total. Give them a size in the item's Annotations (front-end and storage GB), or import a Backup Reports export below.
                </Text>
                <Table size="small" aria-label="Items with unknown size">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Item</TableHeaderCell>
                      <TableHeaderCell>Workload</TableHeaderCell>
                      <TableHeaderCell>Front-end GB</TableHeaderCell>
                      <TableHeaderCell>Storage GB</TableHeaderCell>
                      <TableHeaderCell>Why</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {unknown.map((i) => (
                      <TableRow key={i.key} data-testid="cost-unknown-row">
                        <TableCell>
                          <Link onClick={() => app.openItems({ key: i.key })} title={i.key}>
                            {i.name}
                          </Link>
                        </TableCell>
                        <TableCell>{i.workloadType ?? '—'}</TableCell>
                        <TableCell>{i.frontEndGb}</TableCell>
                        <TableCell>{i.storageGb}</TableCell>
                        <TableCell>
                          <Badge appearance="tint" color={i.status === 'unpriced' ? 'warning' : 'informative'}>
                            {i.status === 'unpriced' ? 'unpriced' : 'unknown size'}
                          </Badge>{' '}
                          {i.note ?? ''}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
                {unknownTotal > unknownListed ? <Text size={200}>First {formatCount(unknownListed)} of {formatCount(unknownTotal)} shown; the evidence pack's workbook lists them all.</Text> : null}
              </>
            )}
          </Section>
          {a.sizesMatch ? (
            <MessageBar intent="info" layout="multiline">
              <MessageBarBody>
                Sizes dataset {a.sizesMatch.fileName}: matched {a.sizesMatch.matched.byKey + a.sizesMatch.matched.bySource + a.sizesMatch.matched.byName} items ({a.sizesMatch.matched.byKey} by id, {a.sizesMatch.matched.bySource} by source resource, {a.sizesMatch.matched.byName} by name);{' '}
                {a.sizesMatch.ambiguousRows} ambiguous and {a.sizesMatch.unmatchedRows} unmatched rows.
              </MessageBarBody>
            </MessageBar>
          ) : null}
        </>
      ) : null}
      <Section title="Sizes from Azure Backup Reports" testId="cost-sizes">
        <DropZone
          testId="sizes-drop"
          title="Drop a Backup Reports export (Backup Items report, CSV or Excel)"
          hint="Its front-end size and storage consumed per item become a separate, hashed dataset; the snapshot itself never changes."
          buttonLabel="Choose file…"
          accept=".csv,.xlsx"
          multiple={false}
          disabled={sizesBusy}
          onFiles={(f) => void importSizes(f)}
        />
        {sizesBusy ? <Spinner label="Importing sizes…" /> : null}
        <ErrorNotice error={sizesError} onDismiss={() => setSizesError(null)} />
      </Section>
      <ReconcilePanel sizes={sizesId} />
      <RatecardPanel />
    </div>
  );
}

function DeltaCards(props: { run: CostSummary; money: (n: number) => string }) {
  const styles = useStyles();
  const d = props.run.delta!;
  const currency = props.run.currency;
  return (
    <>
      <div className={styles.card} data-testid="cost-delta">
        <Text block>Change per month</Text>
        {d.complete ? (
          <Text className={`${styles.big} ${d.change < 0 ? styles.good : d.change > 0 ? styles.bad : ''}`} data-testid="cost-change">
            {props.money(d.change)}
          </Text>
        ) : (
          <Text className={styles.big} data-testid="cost-change">
            unknown
          </Text>
        )}
        <Text size={200} block>
          {d.complete ? `${props.money(d.before)} → ${props.money(d.after)}` : 'some costs are unknown, so no change or saving is stated'}
        </Text>
      </div>
      <div className={styles.card}>
        <Text block>Savings from retired items</Text>
        <Text className={`${styles.big} ${styles.good}`} data-testid="cost-retired">
          {d.retired.count === 0 ? 'none' : partialMoney(d.retired.savings, d.retired.count - d.retired.unknown, d.retired.unknown, currency)}
        </Text>
        <Text size={200} block>
          {formatCount(d.retired.count)} items{d.retired.unknown ? `, ${d.retired.unknown} of unknown cost` : ''}
        </Text>
      </div>
      <div className={styles.card}>
        <Text block>New cost from added items</Text>
        <Text className={`${styles.big} ${d.added.count ? styles.bad : ''}`} data-testid="cost-added">
          {d.added.count === 0 ? 'none' : partialMoney(d.added.cost, d.added.count - d.added.unknown, d.added.unknown, currency)}
        </Text>
        <Text size={200} block>
          {formatCount(d.added.count)} items{d.added.unknown ? `, ${d.added.unknown} of unknown cost` : ''}
        </Text>
      </div>
    </>
  );
}
