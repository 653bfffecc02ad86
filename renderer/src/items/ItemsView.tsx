import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Button,
  Menu,
  MenuItemCheckbox,
  MenuList,
  MenuPopover,
  MenuTrigger,
  SearchBox,
  Tag,
  TagGroup,
  Text,
  ToggleButton,
  Tooltip,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ColumnTripleEditRegular, DismissRegular, FilterRegular } from '@fluentui/react-icons';
import type { VisibilityState } from '@tanstack/react-table';
import type { BackupItem } from '../../../shared/domain/types.ts';
import type { ItemFilterField } from '../../../shared/contract/methods/snapshots.ts';
import { useQuery } from '../api.ts';
import { useAppState } from '../state.tsx';
import { formatCount } from '../format.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { ViewHeader } from '../components/Section.tsx';
import { SnapshotPicker } from '../components/SnapshotPicker.tsx';
import { defaultVisibility, itemColumns, type SortField } from './columns.tsx';
import { ItemsTable } from './ItemsTable.tsx';
import { ItemFilters, valueLabel, filterLabels, moreFilters, primaryFilters, type FilterField, type Filters } from './ItemFilters.tsx';
import { useItemPages, type ItemsQuery } from './use-item-pages.ts';
import { ItemDrawer } from './ItemDrawer.tsx';
import { LastSuccessFilter } from './LastSuccessFilter.tsx';
import { ShareFilter } from './ShareFilter.tsx';
import { UnprotectedList } from './UnprotectedList.tsx';
import { decodeFilterState, type ItemsFilterState } from './filter-state.ts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', flexGrow: 1, minHeight: 0, gap: tokens.spacingVerticalS },
  toolbar: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  search: { width: '220px' },
  count: { whiteSpace: 'nowrap' },
});

// v2: the 1280-px column set (Policy and Soft-deleted moved under Columns); an older saved choice is not carried over.
const VIS_KEY = 'vaultproof.items.columns.v2';

function loadVisibility(): VisibilityState {
  try {
    const saved = window.localStorage.getItem(VIS_KEY);
    if (saved) return { ...defaultVisibility(), ...(JSON.parse(saved) as VisibilityState) };
  } catch {
    // ignore a broken saved value
  }
  return defaultVisibility();
}

/** The items.browse query for the view's state (one function, so a prefetch and the effect ask for the same thing). */
function buildQuery(snapshot: string | null, filters: Filters, search: string, sort: SortField, desc: boolean, noSuccessHours?: number): ItemsQuery | null {
  if (!snapshot) return null;
  const where: Array<{ field: ItemFilterField; value: string }> = [];
  for (const [field, values] of Object.entries(filters) as Array<[FilterField, string[] | undefined]>) {
    if (values === undefined || field === 'owner' || field === 'finding') continue;
    // Values of one field are alternatives (the engine ORs them).
    for (const value of values) where.push({ field: field as ItemFilterField, value });
  }
  const q: ItemsQuery = { snapshot, sort, desc };
  if (where.length) q.where = where;
  if (search.trim()) q.search = search.trim();
  if (filters.owner?.length) q.owners = filters.owner;
  if (filters.finding?.[0] !== undefined) q.finding = filters.finding[0];
  if (noSuccessHours !== undefined) q.noSuccessHours = noSuccessHours;
  return q;
}

export function ItemsView() {
  const styles = useStyles();
  const app = useAppState();
  const [search, setSearch] = useState('');
  const [filters, setFilters] = useState<Filters>({});
  const [noSuccess, setNoSuccess] = useState<number | undefined>(undefined);
  // Backup items, or the workloads that have none (a sibling list with the same kind of filters).
  const [tab, setTab] = useState<'items' | 'unprotected'>('items');
  const [sort, setSort] = useState<SortField>('name');
  const [desc, setDesc] = useState(false);
  const [showMore, setShowMore] = useState(false);
  const [visibility, setVisibility] = useState<VisibilityState>(loadVisibility);
  const [open, setOpen] = useState<BackupItem | null>(null);
  const [openKey, setOpenKey] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const gridRef = useRef<HTMLDivElement | null>(null);
  const snapshot = app.current;

  // Opened from another view (a finding, a change) with a filter or an item.
  useEffect(() => {
    const p = app.itemsPreset;
    if (!p) return;
    // Opened on items (a finding, a change, a link): show the items, not the unprotected list left open.
    setTab('items');
    if (p.link !== undefined) {
      // A shared filter link opened the app (state.tsx); a broken one is said in words, the view opens unfiltered.
      try {
        applyShared(decodeFilterState(p.link));
      } catch (e) {
        setLinkError((e as Error).message);
      }
      app.clearItemsPreset();
      return;
    }
    const f: Filters = {};
    for (const w of p.where ?? []) f[w.field as FilterField] = [...(f[w.field as FilterField] ?? []), w.value];
    setFilters(f);
    setNoSuccess(undefined);
    setSearch(p.search ?? '');
    if (p.key) setOpenKey(p.key);
    app.clearItemsPreset();
  }, [app]);

  useEffect(() => {
    try {
      window.localStorage.setItem(VIS_KEY, JSON.stringify(visibility));
    } catch {
      // not fatal
    }
  }, [visibility]);

  // "/" and Ctrl+F focus the search box.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && (e.target.tagName === 'INPUT' || e.target.tagName === 'TEXTAREA');
      if ((e.key === '/' && !typing) || (e.key.toLowerCase() === 'f' && (e.ctrlKey || e.metaKey) && !e.altKey)) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The rows come first: filter values and counts are asked for once the first page is in.
  const [facetsFor, setFacetsFor] = useState<string | null>(null);
  const facets = useQuery('items.facets', snapshot && facetsFor === snapshot ? { snapshot } : null, app.dataVersion);
  const annotations = useQuery('annotations.list', snapshot && facetsFor === snapshot ? {} : null, app.dataVersion);
  const unprotected = useQuery('items.unprotectedFacets', snapshot && facetsFor === snapshot ? { snapshot } : null, app.dataVersion);
  // Findings are evaluated once per snapshot (and annotation change) on the server; ask after the first rows.
  // Evaluating every finding of a big snapshot takes a while: only when the Finding filter is opened or used.
  const [wantFindings, setWantFindings] = useState(false);
  const findingCounts = useQuery('items.findingCounts', snapshot && (wantFindings || filters.finding !== undefined) ? { snapshot } : null, app.dataVersion);
  const owners = useMemo(() => {
    const m = new Map<string, string>();
    for (const a of annotations.data ?? []) if (a.kind === 'item' && a.owner) m.set(a.key, a.owner);
    return m;
  }, [annotations.data]);
  const asOf = app.snapshots?.find((s) => s.id === snapshot)?.asOf;
  const ctx = useMemo(() => ({ ownerOf: (key: string) => owners.get(key) ?? null, ...(asOf ? { asOf } : {}) }), [owners, asOf]);

  const query = useMemo(() => buildQuery(snapshot, filters, search, sort, desc, noSuccess), [snapshot, filters, search, sort, desc, noSuccess]);
  const pages = useItemPages(query, app.dataVersion);
  useEffect(() => {
    if (!pages.loading && snapshot) setFacetsFor(snapshot);
  }, [pages.loading, snapshot]);
  const onVisibleEnd = useCallback((i: number) => pages.ensure(i), [pages.ensure]);

  // Input handlers ask for the new rows before React redraws (pages.prefetch); the latest state is read from a ref.
  const latest = useRef({ snapshot, filters, search, sort, desc, noSuccess, prefetch: pages.prefetch });
  latest.current = { snapshot, filters, search, sort, desc, noSuccess, prefetch: pages.prefetch };
  const setFilter = useCallback((field: FilterField, values: string[] | undefined) => {
    const l = latest.current;
    const next = { ...l.filters };
    if (values === undefined || values.length === 0) delete next[field];
    else next[field] = values;
    const q = buildQuery(l.snapshot, next, l.search, l.sort, l.desc, l.noSuccess);
    if (q) l.prefetch(q);
    setFilters(next);
  }, []);
  const onSearch = useCallback((value: string) => {
    const l = latest.current;
    const q = buildQuery(l.snapshot, l.filters, value, l.sort, l.desc, l.noSuccess);
    if (q) l.prefetch(q);
    setSearch(value);
  }, []);

  const onSort = useCallback(
    (field: SortField) => {
      if (field === sort) setDesc((d) => !d);
      else {
        setSort(field);
        setDesc(false);
      }
    },
    [sort],
  );

  const [linkError, setLinkError] = useState<string | null>(null);
  const sharedState = useMemo<ItemsFilterState>(
    () => ({ ...(snapshot ? { snapshot } : {}), filters, search, ...(noSuccess !== undefined ? { noSuccessHours: noSuccess } : {}) }),
    [snapshot, filters, search, noSuccess],
  );
  // Reads the snapshot list through a ref: the preset effect above calls it once, with whatever list is in.
  const snapshotsRef = useRef(app.snapshots);
  snapshotsRef.current = app.snapshots;
  function applyShared(st: ItemsFilterState): void {
    if (st.snapshot) {
      if (snapshotsRef.current?.some((x) => x.id === st.snapshot)) {
        app.setCurrent(st.snapshot);
        setLinkError(null);
      } else setLinkError(`The filter was made on snapshot ${st.snapshot}, which this store does not hold: it is applied to the snapshot shown.`);
    } else setLinkError(null);
    setFilters(st.filters);
    setSearch(st.search);
    setNoSuccess(st.noSuccessHours);
    if (Object.keys(st.filters).some((f) => moreFilters.includes(f as FilterField))) setShowMore(true);
  }
  const active = Object.entries(filters) as Array<[FilterField, string[]]>;
  const extraOptions = useMemo(
    () => ({
      owner: (facets.data?.fields.owner ?? []).map((o) => ({ value: o.value, label: valueLabel('owner', o.value), count: o.count })),
      finding: (findingCounts.data ?? []).map((f) => ({ value: f.rule, label: `${valueLabel('finding', f.rule)} (${f.severity})`, title: f.rule, count: f.items })),
    }),
    [facets.data, findingCounts.data],
  );
  const onFilterOpen = useCallback((f: FilterField) => f === 'finding' && setWantFindings(true), []);
  const pendingFilters = useMemo<FilterField[]>(() => (findingCounts.loading ? ['finding'] : []), [findingCounts.loading]);
  const moreActive = active.filter(([f]) => moreFilters.includes(f)).length;
  const onOpenItem = useCallback((it: BackupItem) => setOpen(it), []);
  const emptyText = pages.loading ? 'Loading…' : active.length > 0 || search || noSuccess !== undefined ? 'No item matches these filters. Remove a filter or change the search.' : 'This snapshot holds no backup items.';
  const total = app.snapshots?.find((s) => s.id === snapshot)?.itemCount;

  if (!snapshot || !app.snapshots) {
    return (
      <div className={styles.root} data-testid="items-view">
        <ViewHeader title="Items" subtitle="Import or collect a snapshot first." />
        <div>
          <Button appearance="primary" onClick={() => app.go('start')}>
            Go to Start
          </Button>
        </div>
      </div>
    );
  }



  return (
    <div className={styles.root} data-testid="items-view">
      {/* One header line and one filter line: at 1280×720 the grid keeps at least 15 rows. */}
      <ViewHeader title="Items" compact>
        <Text weight="semibold" data-testid="items-count" aria-live="polite" className={styles.count}>
          {pages.loading && pages.rows.length === 0 ? 'Loading…' : `${pages.total === null ? 'counting…' : formatCount(pages.total)} of ${formatCount(total ?? null)} items`}
        </Text>
        {/* The reviewer's first question and the filter's link sit on the header line: the filter line stays one line at 1280 px. */}
        {unprotected.data && unprotected.data.inventory > 0 ? (
          <ToggleButton
            size="small"
            checked={tab === 'unprotected'}
            // Pressed must be plain to see: the whole view below changes with it.
            appearance={tab === 'unprotected' ? 'primary' : 'secondary'}
            onClick={() => setTab((t) => (t === 'items' ? 'unprotected' : 'items'))}
            title="Workloads in the inventory that no backup item protects"
            data-testid="items-tab-unprotected"
          >
            {`Unprotected workloads: ${formatCount(unprotected.data.total)}`}
          </ToggleButton>
        ) : null}
        {tab === 'items' ? <LastSuccessFilter hours={noSuccess} onChange={setNoSuccess} /> : null}
        {tab === 'items' ? <ShareFilter state={sharedState} onApply={applyShared} /> : null}
        {/* Beside the filter's link, not on the filter line: appearing there it pushed the line to two at 1280 px. */}
        {tab === 'items' && (active.length > 0 || search || noSuccess !== undefined) ? (
          <Tooltip content="Clear all filters and the search" relationship="label">
            <Button icon={<DismissRegular />} appearance="subtle" onClick={() => (setFilters({}), setSearch(''), setNoSuccess(undefined))} data-testid="items-clear" />
          </Tooltip>
        ) : null}
        <SnapshotPicker label="Snapshot" inline snapshots={app.snapshots} value={snapshot} onChange={app.setCurrent} testId="items-snapshot" />
      </ViewHeader>
      {tab === 'unprotected' && snapshot ? <UnprotectedList snapshot={snapshot} version={app.dataVersion} facets={unprotected.data} /> : null}
      {tab === 'items' ? (
      <>
      <div className={styles.toolbar}>
        <SearchBox
          ref={searchRef}
          className={styles.search}
          placeholder="Search name or id (/)"
          value={search}
          onChange={(_, d) => onSearch(d.value)}
          data-testid="items-search"
          aria-label="Search items by name or id"
        />
        <ItemFilters compact fields={primaryFilters} facets={facets.data} filters={filters} onChange={setFilter} extraOptions={extraOptions} onOpen={onFilterOpen} pending={pendingFilters} />
        <Button
          icon={<FilterRegular />}
          appearance={showMore ? 'primary' : 'secondary'}
          onClick={() => setShowMore((v) => !v)}
          aria-expanded={showMore}
          data-testid="items-more-filters"
        >
          {/* The same words open or shut (aria-expanded says which): the toolbar must not reflow. */}
          {`More filters${moreActive > 0 ? ` (${moreActive})` : ''}`}
        </Button>
        <Menu checkedValues={{ cols: Object.entries(visibility).filter(([, v]) => v).map(([k]) => k) }} onCheckedValueChange={(_, d) => setVisibility(Object.fromEntries(itemColumns.map((c) => [c.id, d.checkedItems.includes(c.id)])))}>
          <MenuTrigger disableButtonEnhancement>
            <Tooltip content="Columns" relationship="label">
              <Button icon={<ColumnTripleEditRegular />} data-testid="items-columns" />
            </Tooltip>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              {itemColumns.map((c) => (
                <MenuItemCheckbox key={c.id} name="cols" value={c.id} data-testid={`items-column-${c.id}`}>
                  {c.meta.label}
                </MenuItemCheckbox>
              ))}
            </MenuList>
          </MenuPopover>
        </Menu>
      </div>
      {showMore ? <ItemFilters compact={false} fields={moreFilters} facets={facets.data} filters={filters} onChange={setFilter} extraOptions={extraOptions} onOpen={onFilterOpen} pending={pendingFilters} /> : null}
      {!showMore && moreActive > 0 ? (
        <TagGroup onDismiss={(_, d) => setFilter(d.value as FilterField, undefined)} aria-label="Active filters under More filters" size="extra-small">
          {active
            .filter(([f]) => moreFilters.includes(f))
            .map(([f, v]) => (
              <Tag key={f} value={f} dismissible dismissIcon={{ 'aria-label': `Remove ${filterLabels[f]} filter` }} data-testid={`active-filter-${f}`}>
                {filterLabels[f]}: {v.map((x) => valueLabel(f, x)).join(' or ')}
              </Tag>
            ))}
        </TagGroup>
      ) : null}
      {linkError ? (
        <Text role="alert" data-testid="items-link-error">
          {linkError}
        </Text>
      ) : null}
      <ErrorNotice error={pages.error ?? facets.error} onRetry={() => (pages.reload(), facets.reload())} />
      <ItemsTable
        rows={pages.rows}
        total={pages.size}
        visibility={visibility}
        sort={sort}
        desc={desc}
        onSort={onSort}
        onOpen={onOpenItem}
        onVisibleEnd={onVisibleEnd}
        ctx={ctx}
        emptyText={emptyText}
        resetKey={pages.rowsFor ?? ''}
        rowsFor={pages.rowsFor}
        gridRef={gridRef}
      />
      </>
      ) : null}
      {open || openKey ? (
        <ItemDrawer
          snapshot={snapshot}
          itemKey={open?.key ?? openKey!}
          onClose={() => {
            setOpen(null);
            setOpenKey(null);
            // Back to the grid, whose active row is the one that opened the drawer.
            requestAnimationFrame(() => gridRef.current?.focus());
          }}
        />
      ) : null}
    </div>
  );
}
