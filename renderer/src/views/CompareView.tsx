import { useMemo, useState } from 'react';
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
import { useQuery } from '../api.ts';
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
const emptyText: Record<Exclude<TabId, 'rollups'>, string> = {
  changed: 'No item changed between these two snapshots.',
  added: 'No item was added: every item of the current snapshot was in the baseline.',
  removed: 'No item was removed: every item of the baseline is still there (or was not collected this time — see Not collected).',
  notCollected: 'Every scope of the baseline was collected again: nothing is unaccounted for.',
};

type TabId = 'changed' | 'added' | 'removed' | 'notCollected' | 'rollups';

const reasonText: Record<string, string> = {
  gone: 'gone',
  softDeleted: 'soft-deleted',
  notCollected: 'not collected (its vault failed in the newer snapshot)',
};

export function CompareView() {
  const styles = useStyles();
  const app = useAppState();
  const snapshots = app.snapshots ?? [];
  const [tab, setTab] = useState<TabId>('changed');
  const [shown, setShown] = useState(PAGE);
  const baseline = app.baseline;
  const current = app.current;
  const ready = baseline && current && baseline !== current;
  const diff = useQuery('diff.run', ready ? { baseline, current } : null, app.dataVersion);
  const d = diff.data;
  // The money side of the comparison: the change is stated only when both sides are fully priced.
  // Aggregates only (per vault, the delta): cost.run would send every priced item of both snapshots (100k each).
  const costAfter = useQuery('cost.summary', ready ? { snapshot: current, compare: baseline, unknownLimit: 0 } : null, app.dataVersion);
  const costBefore = useQuery('cost.summary', ready ? { snapshot: baseline, unknownLimit: 0 } : null, app.dataVersion);
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
  const removedList = useMemo(() => (diff.data?.removed ?? []).filter((r) => r.reason !== 'notCollected'), [diff.data]);
  const notCollectedList = useMemo(() => (diff.data?.removed ?? []).filter((r) => r.reason === 'notCollected'), [diff.data]);
  const removedBy = useMemo(() => {
    const m: Record<string, number> = {};
    for (const r of d?.removed ?? []) m[r.reason] = (m[r.reason] ?? 0) + 1;
    return m;
  }, [d]);

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

  // The item opens in a drawer over Compare, in the snapshot it was seen in: closing it is the way back.
  const [drawer, setDrawer] = useState<{ key: string; snapshot: string } | null>(null);
  const openItem = (key: string, inSnapshot: string) => setDrawer({ key, snapshot: inSnapshot });

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
      <ErrorNotice error={diff.error} onRetry={diff.reload} />
      {diff.loading ? <Spinner label="Comparing…" /> : null}
      {d ? (
        <>
          <div className={styles.cards} data-testid="compare-summary">
            <div className={styles.card}>
              <Text block>Added</Text>
              <Text className={styles.big} data-testid="compare-added-count">
                {formatCount(d.added.length)}
              </Text>
            </div>
            <div className={styles.card}>
              <Text block>Removed</Text>
              <Text className={styles.big} data-testid="compare-removed-count">
                {formatCount((d.removed.length ?? 0) - (removedBy.notCollected ?? 0))}
              </Text>
              <Text size={200} block>
                {removedBy.gone ?? 0} gone · {removedBy.softDeleted ?? 0} soft-deleted
              </Text>
            </div>
            <div className={styles.card}>
              <Text block>Not collected</Text>
              <Text className={styles.big}>{formatCount(removedBy.notCollected ?? 0)}</Text>
              <Text size={200} block>
                not claimed as removed
              </Text>
            </div>
            <div className={styles.card}>
              <Text block>Changed</Text>
              <Text className={styles.big} data-testid="compare-changed-count">
                {formatCount(d.changed.length)}
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
              <Text className={styles.big}>{formatCount(d.unchanged)}</Text>
            </div>
          </div>
          {d.notCompared.length > 0 ? (
            <MessageBar intent="info" layout="multiline">
              <MessageBarBody>
                Not compared: {d.notCompared.map((n) => `${n.field} (${n.reason})`).join('; ')}
              </MessageBarBody>
            </MessageBar>
          ) : null}
          <TabList selectedValue={tab} onTabSelect={(_, x) => (setTab(x.value as TabId), setShown(PAGE))}>
            <Tab value="changed" data-testid="compare-tab-changed">
              Changed ({formatCount(d.changed.length)})
            </Tab>
            <Tab value="added" data-testid="compare-tab-added">
              Added ({formatCount(d.added.length)})
            </Tab>
            {/* The same count as the Removed tile: items not collected this time are not claimed as removed. */}
            <Tab value="removed" data-testid="compare-tab-removed">
              Removed ({formatCount(removedList.length)})
            </Tab>
            <Tab value="notCollected" data-testid="compare-tab-notCollected">
              Not collected ({formatCount(notCollectedList.length)})
            </Tab>
            <Tab value="rollups" data-testid="compare-tab-rollups">
              Roll-ups
            </Tab>
          </TabList>
          <Section>
            {tab === 'changed' && d.changed.length > 0 ? (
              <Table size="small" aria-label="Changed items" data-testid="compare-changed">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell style={{ width: '28%' }}>Item</TableHeaderCell>
                    <TableHeaderCell>Field: before → after</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {d.changed.slice(0, shown).map((c) => (
                    <TableRow key={c.key} data-testid="compare-changed-row">
                      <TableCell>
                        <Link onClick={() => openItem(c.key, d.current.id)} title={c.key}>
                          {d.labels?.[c.key] ?? nameFromKey(c.key)}
                        </Link>
                      </TableCell>
                      <TableCell>
                        {Object.entries(c.fields).map(([field, ch]) => (
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
            {tab === 'added' && d.added.length > 0 ? (
              <Table size="small" aria-label="Added items" data-testid="compare-added">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell style={{ width: '28%' }}>Item</TableHeaderCell>
                    <TableHeaderCell>Key</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {d.added.slice(0, shown).map((k) => (
                    <TableRow key={k}>
                      <TableCell>
                        <Link onClick={() => openItem(k, d.current.id)}>{d.labels?.[k] ?? nameFromKey(k)}</Link>
                      </TableCell>
                      <TableCell className={styles.mono}>{k}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : null}
            {tab !== 'rollups' && (tab === 'changed' ? d.changed : tab === 'added' ? d.added : tab === 'removed' ? removedList : notCollectedList).length === 0 ? (
              <Text block data-testid="compare-empty">
                {emptyText[tab]}
              </Text>
            ) : null}
            {(tab === 'removed' && removedList.length > 0) || (tab === 'notCollected' && notCollectedList.length > 0) ? (
              <Table size="small" aria-label={tab === 'removed' ? 'Removed items' : 'Items not collected'} data-testid="compare-removed">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell style={{ width: '28%' }}>Item</TableHeaderCell>
                    <TableHeaderCell style={{ width: '26%' }}>Why</TableHeaderCell>
                    <TableHeaderCell>Key</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {(tab === 'removed' ? removedList : notCollectedList).slice(0, shown).map((r) => (
                    <TableRow key={r.key} data-testid="compare-removed-row">
                      <TableCell>
                        <Link onClick={() => openItem(r.key, d.baseline.id)}>{d.labels?.[r.key] ?? nameFromKey(r.key)}</Link>
                      </TableCell>
                      <TableCell>
                        <Badge appearance="tint" color={r.reason === 'notCollected' ? 'warning' : r.reason === 'softDeleted' ? 'danger' : 'informative'}>
                          {reasonText[r.reason] ?? r.reason}
                        </Badge>
                      </TableCell>
                      <TableCell className={styles.mono}>{r.key}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : null}
            {tab !== 'rollups' && shown < (tab === 'changed' ? d.changed.length : tab === 'added' ? d.added.length : tab === 'removed' ? removedList.length : notCollectedList.length) ? (
              <div>
                <Button onClick={() => setShown((n) => n + PAGE * 5)}>Show more</Button>
              </div>
            ) : null}
            {tab === 'rollups' ? (
              <div className={styles.rollups} data-testid="compare-rollups">
                <Rollup title="By subscription" rows={d.rollups.subscription} />
                <Rollup title="By vault" rows={d.rollups.vault} labels={d.vaultLabels} />
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
                <Rollup title="By workload" rows={d.rollups.workload} />
                <Rollup title="By owner" rows={d.rollups.owner} />
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
