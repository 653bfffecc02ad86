import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowSortDownRegular, ArrowSortUpRegular } from '@fluentui/react-icons';
import { flexRender, getCoreRowModel, useReactTable, type VisibilityState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { BackupItem } from '../../../shared/domain/types.ts';
import { itemColumns, type ItemRowContext, type SortField } from './columns.tsx';
import type { RowWindow } from './use-item-pages.ts';

// 32 px: fifteen rows and the header fit under the Items toolbar at 1280×720.
const ROW_HEIGHT = 32;

const useStyles = makeStyles({
  scroller: {
    flexGrow: 1,
    minHeight: '240px',
    overflow: 'auto',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    position: 'relative',
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  header: {
    position: 'sticky',
    top: 0,
    zIndex: 1,
    display: 'flex',
    backgroundColor: tokens.colorNeutralBackground3,
    borderBottom: `1px solid ${tokens.colorNeutralStroke1}`,
    height: `${ROW_HEIGHT}px`,
  },
  headCell: {
    display: 'flex',
    alignItems: 'center',
    gap: '4px',
    padding: `0 ${tokens.spacingHorizontalS}`,
    fontWeight: tokens.fontWeightSemibold,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    flexShrink: 0,
    height: '100%',
    border: 'none',
    backgroundColor: 'transparent',
    color: tokens.colorNeutralForeground1,
    fontFamily: 'inherit',
    fontSize: tokens.fontSizeBase300,
    textAlign: 'left',
  },
  headWrap: { display: 'flex', flexShrink: 0, overflow: 'hidden' },
  sortable: { width: '100%', cursor: 'pointer', ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover } },
  row: {
    position: 'absolute',
    left: 0,
    display: 'flex',
    alignItems: 'center',
    height: `${ROW_HEIGHT}px`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover },
  },
  active: { backgroundColor: tokens.colorSubtleBackgroundSelected, boxShadow: `inset 3px 0 0 ${tokens.colorBrandStroke1}` },
  cell: { padding: `0 ${tokens.spacingHorizontalS}`, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', flexShrink: 0 },
  placeholder: { color: tokens.colorNeutralForeground4, padding: `0 ${tokens.spacingHorizontalS}` },
  empty: { padding: tokens.spacingHorizontalXL },
});

export type ItemsTableProps = {
  /** The rows held: a window of the list (use-item-pages.ts); rows outside it show as loading until fetched. */
  rows: RowWindow;
  total: number;
  visibility: VisibilityState;
  sort: SortField;
  desc: boolean;
  onSort: (field: SortField) => void;
  onOpen: (item: BackupItem) => void;
  /** The last row on screen (and the first): the window is fetched around them. */
  onVisibleEnd: (index: number, first: number) => void;
  ctx: ItemRowContext;
  emptyText: string;
  /** Changes when the rows of another query arrive: scroll back to the top. */
  resetKey: string;
  /** The query whose rows are shown (data-rows-for, watched by the e2e tests and the UI bench). */
  rowsFor: string | null;
  /** Set to the grid element, so the view can give it focus back when the drawer closes. */
  gridRef?: { current: HTMLDivElement | null };
};

/**
 * A virtualised grid: only the rows on screen exist in the DOM, so 100k rows
 * scroll as smoothly as 100. The TanStack table gets only the visible slice.
 */
export const ItemsTable = memo(function ItemsTable(props: ItemsTableProps) {
  const styles = useStyles();
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const virtualizer = useVirtualizer({
    count: props.total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const first = virtualRows[0]?.index ?? 0;
  const last = virtualRows[virtualRows.length - 1]?.index ?? 0;
  // The window's rows on screen: a contiguous run lo..hi (empty when the window is elsewhere).
  const lo = Math.max(first, props.rows.start);
  const hi = Math.min(last, props.rows.end - 1);
  const slice = useMemo((): BackupItem[] => (hi >= lo ? props.rows.items.slice(lo - props.rows.start, hi - props.rows.start + 1) : []), [props.rows, lo, hi]);

  const table = useReactTable({
    data: slice,
    columns: itemColumns,
    getCoreRowModel: getCoreRowModel(),
    state: { columnVisibility: props.visibility },
    meta: props.ctx,
    getRowId: (r) => r.key,
  });
  const leafColumns = table.getVisibleLeafColumns();
  const width = leafColumns.reduce((w, c) => w + c.getSize(), 0);
  const modelRows = table.getRowModel().rows;

  const { onVisibleEnd } = props;
  useEffect(() => {
    onVisibleEnd(last, first);
  }, [last, first, onVisibleEnd]);

  useEffect(() => {
    setActive(0);
    scroller.current?.scrollTo({ top: 0 });
  }, [props.resetKey]);

  function move(to: number) {
    if (props.total === 0) return;
    const i = Math.max(0, Math.min(props.total - 1, to));
    setActive(i);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 2);
    switch (e.key) {
      case 'ArrowDown':
        move(active + 1);
        break;
      case 'ArrowUp':
        move(active - 1);
        break;
      case 'PageDown':
        move(active + page);
        break;
      case 'PageUp':
        move(active - page);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(props.total - 1);
        break;
      case 'Enter':
      case ' ': {
        const it = props.rows.at(active);
        if (it) props.onOpen(it);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  }

  return (
    <div
      ref={(el) => {
        scroller.current = el;
        if (props.gridRef) props.gridRef.current = el;
      }}
      className={styles.scroller}
      tabIndex={0}
      role="grid"
      aria-label="Backup items"
      aria-rowcount={props.total + 1}
      aria-activedescendant={props.total > 0 ? `item-row-${active}` : undefined}
      onKeyDown={onKeyDown}
      data-testid="items-grid"
      data-total={props.total}
      data-loaded={props.rows.length}
      data-window-start={props.rows.start}
      data-rows-for={props.rowsFor ?? ''}
    >
      <div className={styles.header} role="row" aria-rowindex={1} style={{ width: Math.max(width, 100) }}>
        {leafColumns.map((c) => {
          const meta = (c.columnDef as { meta?: { sort?: SortField; label: string } }).meta;
          const sortField = meta?.sort;
          const sorted = sortField !== undefined && sortField === props.sort;
          return (
            // A header cell holding a button (a button cannot itself be a columnheader).
            <div key={c.id} role="columnheader" aria-sort={sorted ? (props.desc ? 'descending' : 'ascending') : undefined} className={styles.headWrap} style={{ width: c.getSize() }} data-testid={`col-${c.id}`}>
              {sortField ? (
                <button type="button" className={mergeClasses(styles.headCell, styles.sortable)} onClick={() => props.onSort(sortField)} title={`Sort by ${meta?.label}`}>
                  {meta?.label ?? c.id}
                  {sorted ? props.desc ? <ArrowSortDownRegular aria-hidden /> : <ArrowSortUpRegular aria-hidden /> : null}
                </button>
              ) : (
                <span className={styles.headCell}>{meta?.label ?? c.id}</span>
              )}
            </div>
          );
        })}
      </div>
      {props.total === 0 ? (
        <Text className={styles.empty} block data-testid="items-empty">
          {props.emptyText}
        </Text>
      ) : (
        <div style={{ height: virtualizer.getTotalSize(), width: Math.max(width, 100), position: 'relative' }}>
          {virtualRows.map((v) => {
            const row = v.index >= lo && v.index <= hi ? modelRows[v.index - lo] : undefined;
            return (
              <div
                key={v.index}
                id={`item-row-${v.index}`}
                role="row"
                aria-rowindex={v.index + 2}
                aria-selected={v.index === active}
                className={mergeClasses(styles.row, v.index === active && styles.active)}
                style={{ top: v.start, width: Math.max(width, 100) }}
                onClick={() => {
                  setActive(v.index);
                  if (row) props.onOpen(row.original);
                }}
                data-testid={row ? 'item-row' : 'item-row-loading'}
                data-key={row?.original.key}
              >
                {row ? (
                  row.getVisibleCells().map((cell) => (
                    <div key={cell.id} role="gridcell" className={styles.cell} style={{ width: cell.column.getSize() }}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </div>
                  ))
                ) : (
                  <span className={styles.placeholder}>Loading…</span>
                )}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
});
