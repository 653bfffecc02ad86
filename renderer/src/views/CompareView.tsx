/**
 * The Compare view. Issue 17: it asks the engine for the counts (diff.summary)
 * and for its lists a page at a time (diff.page), the roll-ups when their tab
 * is opened (diff.rollups): diff.run's whole report of two 100k snapshots is
 * never sent to the page. Every figure is the CLI `diff`'s
 * (electron/core/browse/diff-pages.ts keeps that diff per pair).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Badge,
  Button,
  Link,
  MessageBar,
  MessageBarBody,
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
import { ArrowSwapRegular } from '@fluentui/react-icons';
import type { DiffRollupRow } from '../../../shared/domain/diff.ts';
import type { DiffPage, DiffPageKind, DiffPageRow } from '../../../shared/contract/methods/diff.ts';
import { toApiError, useApi, useQuery, type ApiError } from '../api.ts';
import { useFirstFrameRows } from '../first-frame.ts';
import { useAppState } from '../state.tsx';
import { formatCount, formatMoney, formatValue } from '../format.ts';
import { nameFromKey } from '../item-name.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { Section, ViewHeader } from '../components/Section.tsx';
import { ItemDrawer } from '../items/ItemDrawer.tsx';
import { partialMoney } from '../money.ts';
import type { CostGroup } from '../../../shared/domain/cost.ts';
import { SnapshotPicker } from '../components/SnapshotPicker.tsx';

const useStyles = makeStyles({
  pickers: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
  cards: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))', gap: tokens.spacingHorizontalM, margin: `${tokens.spacingVerticalM} 0` },
  card: { padding: tokens.spacingHorizontalM, borderRadius: tokens.borderRadiusLarge, border: `1px solid ${tokens.colorNeutralStroke2}`, backgroundColor: tokens.colorNeutralBackground1 },
  big: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightHero700 },
  before: { color: tokens.colorPaletteRedForeground1, textDecorationLine: 'line-through' },
  after: { color: tokens.colorPaletteGreenForeground1, fontWeight: tokens.fontWeightSemibold },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  rollups: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(460px, 1fr))', gap: tokens.spacingHorizontalL },
});

const PAGE = 200;
/** Rows a new list shows in its first frame (renderer/src/first-frame.ts). */
const FIRST_ROWS = 40;
const emptyText: Record<DiffPageKind, string> = {
  changed: 'No item changed between these two snapshots.',
  added: 'No item was added: every item of the current snapshot was in the baseline.',
  removed: 'No item was removed: every item of the baseline is still there (or was not collected this time — see Not collected).',
  notCollected: 'Every scope of the baseline was collected again: nothing is unaccounted for.',
};

type TabId = DiffPageKind | 'rollups';

const reasonText: Record<string, string> = {
  gone: 'gone',
  softDeleted: 'soft-deleted',
  notCollected: 'not collected (its vault failed in the newer snapshot)',
};

type Pair = { baseline: string; current: string };
type ListState = { for: string | null; first: DiffPage | null; rows: DiffPageRow[]; total: number; busy: boolean; error: ApiError | null };

/**
 * One list of the comparison, a page at a time: the first page when the list (pair, kind, data version) is new,
 * the next ones on `more()`. Rows of another list are never shown under this one.
 */
function useDiffList(pair: Pair | null, kind: DiffPageKind | null, version: number) {
  const api = useApi();
  const key = pair && kind ? JSON.stringify([pair.baseline, pair.current, kind, version]) : null;
  const [state, setState] = useState<ListState>({ for: null, first: null, rows: [], total: 0, busy: false, error: null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!key || !pair || !kind) return;
    let live = true;
    setState({ for: key, first: null, rows: [], total: 0, busy: true, error: null });
    api('diff.page', { ...pair, kind, offset: 0, limit: PAGE }).then(
      (p) => live && setState({ for: key, first: p, rows: p.rows, total: p.total, busy: false, error: null }),
      (err: unknown) => live && setState((s) => ({ ...s, busy: false, error: toApiError('diff.page', err) })),
    );
    return () => {
      live = false;
    };
    // pair and kind are in key.
  }, [api, key, tick]);
  const mine = state.for === key ? state : null;
  const more = useCallback(() => {
    if (!key || !pair || !kind || !mine || mine.busy || !mine.first || mine.rows.length >= mine.total) return;
    const offset = mine.rows.length;
    setState((s) => (s.for === key ? { ...s, busy: true } : s));
    api('diff.page', { ...pair, kind, offset, limit: PAGE * 5 }).then(
      (p) => setState((s) => (s.for === key && s.rows.length === offset ? { ...s, rows: s.rows.concat(p.rows), total: p.total, busy: false } : s)),
      (err: unknown) => setState((s) => (s.for === key ? { ...s, busy: false, error: toApiError('diff.page', err) } : s)),
    );
  }, [api, key, pair, kind, mine]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { rows: mine?.rows ?? [], first: mine?.first ?? null, total: mine?.first ? mine.total : null, busy: mine?.busy ?? key !== null, error: mine?.error ?? null, more, reload };
}

/** Calls `onVisible` when the element scrolls into view (the next page of a list as the user reaches its end). */
function useWhenVisible(onVisible: () => void): (el: HTMLDivElement | null) => void {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const cb = useRef(onVisible);
  cb.current = onVisible;
  useEffect(() => {
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const obs = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) cb.current();
    });
    obs.observe(el);
    return () => obs.disconnect();
  }, [el]);
  return setEl;
}

export function CompareView() {
  const styles = useStyles();
  const app = useAppState();
  const snapshots = app.snapshots ?? [];
  const [tab, setTab] = useState<TabId>('changed');
  // The item opens in a drawer over Compare, in the snapshot it was seen in: closing it is the way back.
  const [drawer, setDrawer] = useState<{ key: string; snapshot: string } | null>(null);
  const baseline = app.baseline;
  const current = app.current;
  const pair = useMemo(() => (baseline && current && baseline !== current ? { baseline, current } : null), [baseline, current]);
  // The counts first (what the view shows at the top), the first page of the open list beside them.
  const summary = useQuery('diff.summary', pair, app.dataVersion);
  const d = summary.data;
  const kind = tab === 'rollups' ? null : tab;
  const list = useDiffList(pair, kind, app.dataVersion);
  const shownRows = useFirstFrameRows(list.rows, list.first, FIRST_ROWS);
  const rollups = useQuery('diff.rollups', pair && tab === 'rollups' ? pair : null, app.dataVersion);
  // The money side of the comparison: the change is stated only when both sides are fully priced.
  // Aggregates only (per vault, the delta): cost.run would send every priced item of both snapshots (100k each).
  // Asked for once the counts are in: pricing two 100k snapshots beside the diff slowed the counts on two cores.
  const costReady = pair !== null && d !== undefined;
  const costAfter = useQuery('cost.summary', costReady ? { snapshot: pair.current, compare: pair.baseline, unknownLimit: 0 } : null, app.dataVersion);
  const costBefore = useQuery('cost.summary', costReady ? { snapshot: pair.baseline, unknownLimit: 0 } : null, app.dataVersion);
  const vaultCost = useMemo(() => {
    const a = costAfter.data;
    const b = costBefore.data;
    if (!a || !b) return [];
    const unknown = (g: CostGroup | undefined) => (g ? g.unknownSize + g.unpriced : 0);
    const m = new Map<string, { label: string; before?: CostGroup; after?: CostGroup }>();
    for (const g of b.byVault) m.set(g.group, { label: g.label ?? g.group, before: g });
    for (const g of a.byVault) m.set(g.group, { ...(m.get(g.group) ?? { label: g.label ?? g.group }), after: g });
    return [...m.values()].map((v) => ({
      label: v.label,
      before: v.before ? partialMoney(v.before.total, v.before.items - unknown(v.before), unknown(v.before), a.currency) : '—',
      after: v.after ? partialMoney(v.after.total, v.after.items - unknown(v.after), unknown(v.after), a.currency) : '—',
      change: v.before && v.after && unknown(v.before) === 0 && unknown(v.after) === 0 ? formatMoney(v.after.total - v.before.total, a.currency) : v.before && v.after ? 'unknown' : v.after ? 'added' : 'removed',
    }));
  }, [costAfter.data, costBefore.data]);
  const costDelta = costAfter.data?.delta ?? null;
  const sentinel = useWhenVisible(list.more);

  if (snapshots.length < 2) {
    return (
      <div data-testid="compare-view">
        <ViewHeader title="Compare" subtitle="What changed between two snapshots: added, removed and changed items, with every field before → after." />
        <MessageBar intent="info">
          <MessageBarBody>Comparing needs two snapshots. Import or collect a second one (for example a month later), or load the demo estate, which has two.</MessageBarBody>
        </MessageBar>
      </div>
    );
  }

  const openItem = (key: string, inSnapshot: string) => setDrawer({ key, snapshot: inSnapshot });
  const c = d?.counts;
  const tabCount = c ? (kind ? c[kind] : 0) : 0;
  const label = (r: DiffPageRow) => r.label ?? nameFromKey(r.key);

  return (
    <div data-testid="compare-view">
      <ViewHeader title="Compare" subtitle="What changed between two snapshots: added, removed and changed items, with every field before → after." />
      <div className={styles.pickers}>
        <SnapshotPicker label="Baseline (older)" snapshots={snapshots} value={baseline} onChange={(id) => app.setBaseline(id)} testId="compare-baseline" />
        <Button
          icon={<ArrowSwapRegular />}
          aria-label="Swap baseline and current"
          onClick={() => {
            if (!baseline || !current) return;
            app.setBaseline(current);
            app.setCurrent(baseline);
          }}
        />
        <SnapshotPicker label="Current (newer)" snapshots={snapshots} value={current} onChange={app.setCurrent} testId="compare-current" />
      </div>
      {baseline === current ? (
        <MessageBar intent="warning">
          <MessageBarBody>Baseline and current are the same snapshot: pick two different ones.</MessageBarBody>
        </MessageBar>
      ) : null}
      <ErrorNotice error={summary.error} onRetry={summary.reload} />
      {summary.loading ? <Spinner label="Comparing…" /> : null}
      {d && c ? (
        <>
          <div className={styles.cards} data-testid="compare-summary">
            <div className={styles.card}>
              <Text block>Added</Text>
              <Text className={styles.big} data-testid="compare-added-count">
                {formatCount(c.added)}
              </Text>
            </div>
            <div className={styles.card}>
              <Text block>Removed</Text>
              <Text className={styles.big} data-testid="compare-removed-count">
                {formatCount(c.removed)}
              </Text>
              <Text size={200} block data-testid="compare-removed-reasons">
                {c.gone} gone · {c.softDeleted} soft-deleted
              </Text>
            </div>
            <div className={styles.card}>
              <Text block>Not collected</Text>
              <Text className={styles.big} data-testid="compare-notCollected-count">
                {formatCount(c.notCollected)}
              </Text>
              <Text size={200} block>
                not claimed as removed
              </Text>
            </div>
            <div className={styles.card}>
              <Text block>Changed</Text>
              <Text className={styles.big} data-testid="compare-changed-count">
                {formatCount(c.changed)}
              </Text>
            </div>
            <div className={styles.card} data-testid="compare-cost">
              <Text block>Cost change per month</Text>
              <Text className={styles.big} data-testid="compare-cost-change">
                {!costDelta ? '…' : costDelta.complete ? formatMoney(costDelta.change, costAfter.data!.currency) : 'unknown'}
              </Text>
              <Text size={200} block>
                {costDelta && !costDelta.complete ? 'some costs unknown: no change stated · ' : ''}
                <Link onClick={() => app.go('cost')}>Cost view</Link>
              </Text>
            </div>
            <div className={styles.card}>
              <Text block>Unchanged</Text>
              <Text className={styles.big} data-testid="compare-unchanged-count">
                {formatCount(c.unchanged)}
              </Text>
            </div>
          </div>
          <ErrorNotice error={costAfter.error ?? costBefore.error} onRetry={() => (costAfter.reload(), costBefore.reload())} />
          {d.notCompared.length > 0 ? (
            <MessageBar intent="info" layout="multiline">
              <MessageBarBody>
                Not compared: {d.notCompared.map((n) => `${n.field} (${n.reason})`).join('; ')}
              </MessageBarBody>
            </MessageBar>
          ) : null}
          <TabList selectedValue={tab} onTabSelect={(_, x) => setTab(x.value as TabId)}>
            <Tab value="changed" data-testid="compare-tab-changed">
              Changed ({formatCount(c.changed)})
            </Tab>
            <Tab value="added" data-testid="compare-tab-added">
              Added ({formatCount(c.added)})
            </Tab>
            {/* The same count as the Removed tile: items not collected this time are not claimed as removed. */}
            <Tab value="removed" data-testid="compare-tab-removed">
              Removed ({formatCount(c.removed)})
            </Tab>
            <Tab value="notCollected" data-testid="compare-tab-notCollected">
              Not collected ({formatCount(c.notCollected)})
            </Tab>
            <Tab value="rollups" data-testid="compare-tab-rollups">
              Roll-ups
            </Tab>
          </TabList>
          <Section>
            {kind ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
            {kind && tabCount === 0 ? (
              <Text block data-testid="compare-empty">
                {emptyText[kind]}
              </Text>
            ) : null}
            {kind && tabCount > 0 && list.first === null && list.busy ? <Spinner size="small" label="Loading the list…" /> : null}
            {tab === 'changed' && shownRows.length > 0 ? (
              <Table size="small" aria-label="Changed items" data-testid="compare-changed">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell style={{ width: '28%' }}>Item</TableHeaderCell>
                    <TableHeaderCell>Field: before → after</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {shownRows.map((r) => (
                    <TableRow key={r.key} data-testid="compare-changed-row" data-key={r.key}>
                      <TableCell>
                        <Link onClick={() => openItem(r.key, d.current.id)} title={r.key}>
                          {label(r)}
                        </Link>
                      </TableCell>
                      <TableCell>
                        {Object.entries(r.fields ?? {}).map(([field, ch]) => (
                          <div key={field}>
                            <Text weight="semibold">{field}</Text>: <span className={styles.before}>{formatValue(ch?.before)}</span> → <span className={styles.after}>{formatValue(ch?.after)}</span>
                          </div>
                        ))}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : null}
            {tab === 'added' && shownRows.length > 0 ? (
              <Table size="small" aria-label="Added items" data-testid="compare-added">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell style={{ width: '28%' }}>Item</TableHeaderCell>
                    <TableHeaderCell>Key</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {shownRows.map((r) => (
                    <TableRow key={r.key} data-testid="compare-added-row" data-key={r.key}>
                      <TableCell>
                        <Link onClick={() => openItem(r.key, d.current.id)}>{label(r)}</Link>
                      </TableCell>
                      <TableCell className={styles.mono}>{r.key}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : null}
            {(tab === 'removed' || tab === 'notCollected') && shownRows.length > 0 ? (
              <Table size="small" aria-label={tab === 'removed' ? 'Removed items' : 'Items not collected'} data-testid="compare-removed">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell style={{ width: '28%' }}>Item</TableHeaderCell>
                    <TableHeaderCell style={{ width: '26%' }}>Why</TableHeaderCell>
                    <TableHeaderCell>Key</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {shownRows.map((r) => (
                    <TableRow key={r.key} data-testid="compare-removed-row" data-key={r.key}>
                      <TableCell>
                        <Link onClick={() => openItem(r.key, d.baseline.id)}>{label(r)}</Link>
                      </TableCell>
                      <TableCell>
                        <Badge appearance="tint" color={r.reason === 'notCollected' ? 'warning' : r.reason === 'softDeleted' ? 'danger' : 'informative'}>
                          {r.reason ? (reasonText[r.reason] ?? r.reason) : ''}
                        </Badge>
                      </TableCell>
                      <TableCell className={styles.mono}>{r.key}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : null}
            {kind && list.total !== null && list.rows.length < list.total && shownRows.length === list.rows.length ? (
              // Reaching the end of the list fetches the next rows; the button does the same from the keyboard.
              <div ref={sentinel} data-testid="compare-more">
                <Button onClick={list.more} disabled={list.busy}>
                  {list.busy ? 'Loading…' : `Show more (${formatCount(list.rows.length)} of ${formatCount(list.total)} shown)`}
                </Button>
              </div>
            ) : null}
            {tab === 'rollups' ? (
              <div className={styles.rollups} data-testid="compare-rollups">
                <ErrorNotice error={rollups.error} onRetry={rollups.reload} />
                {rollups.data ? (
                  <>
                    <Rollup title="By subscription" rows={rollups.data.rollups.subscription} />
                    <Rollup title="By vault" rows={rollups.data.rollups.vault} labels={rollups.data.vaultLabels} />
                  </>
                ) : rollups.loading ? (
                  <Spinner size="small" label="Loading the roll-ups…" />
                ) : null}
                <Section title="Cost by vault (per month)" testId="compare-cost-vaults">
                  <Table size="small" aria-label="Cost by vault, before and after">
                    <TableHeader>
                      <TableRow>
                        <TableHeaderCell>Vault</TableHeaderCell>
                        <TableHeaderCell>Before</TableHeaderCell>
                        <TableHeaderCell>After</TableHeaderCell>
                        <TableHeaderCell>Change</TableHeaderCell>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {vaultCost.map((v) => (
                        <TableRow key={v.label} data-testid="compare-cost-vault-row">
                          <TableCell>{v.label}</TableCell>
                          <TableCell>{v.before}</TableCell>
                          <TableCell>{v.after}</TableCell>
                          <TableCell>{v.change}</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </Section>
                {rollups.data ? (
                  <>
                    <Rollup title="By workload" rows={rollups.data.rollups.workload} />
                    <Rollup title="By owner" rows={rollups.data.rollups.owner} />
                  </>
                ) : null}
              </div>
            ) : null}
          </Section>
        </>
      ) : null}
      {drawer ? <ItemDrawer snapshot={drawer.snapshot} itemKey={drawer.key} onClose={() => setDrawer(null)} /> : null}
    </div>
  );
}

function Rollup(props: { title: string; rows: DiffRollupRow[]; labels?: Record<string, string> | undefined }) {
  const styles = useStyles();
  return (
    <div>
      <Text weight="semibold" block>
        {props.title}
      </Text>
      <Table size="extra-small" aria-label={props.title}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell style={{ width: '40%' }}>Group</TableHeaderCell>
            <TableHeaderCell>Added</TableHeaderCell>
            <TableHeaderCell>Removed</TableHeaderCell>
            <TableHeaderCell>Changed</TableHeaderCell>
            <TableHeaderCell>Unchanged</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {props.rows.map((r) => (
            <TableRow key={r.group}>
              {props.labels?.[r.group] ? (
                <TableCell title={r.group} data-testid="compare-rollup-vault">
                  {props.labels[r.group]}
                </TableCell>
              ) : (
                <TableCell className={styles.mono} title={r.group}>
                  {r.group.length > 40 ? `…${r.group.slice(-39)}` : r.group}
                </TableCell>
              )}
              <TableCell>{formatCount(r.added)}</TableCell>
              <TableCell>
                {formatCount(r.removed)}
                {r.notCollected ? ` (+${r.notCollected} not collected)` : ''}
              </TableCell>
              <TableCell>{formatCount(r.changed)}</TableCell>
              <TableCell>{formatCount(r.unchanged)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
