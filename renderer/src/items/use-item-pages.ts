/**
 * Rows for the virtualised items table, as a bounded window of the sorted
 * list (issue 17). The first page is small (fast first render) and is asked
 * for without a total; the count is a second call, made once the query has
 * stayed the same for a moment, so rows show before the count (a count walks
 * every matching row, the first page only a few dozen) and a count never
 * delays the next keystroke's rows.
 *
 * The grid can be scrolled anywhere at once (a scrollbar dragged to the
 * middle, the End key): the rows on screen are fetched where they are, by
 * their position in the sorted list (items.query `offset`; a snapshot never
 * changes, so a position is stable for a given query and sort), not by
 * paging from the top. Scrolling on from a window extends it (from its last
 * row's cursor going down, by position going up); a window never holds more
 * than MAX_ROWS rows, the ones farthest from the screen are dropped. A new
 * query replaces the rows when its first page arrives; answers to an older
 * query are ignored.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackupItem } from '../../../shared/domain/types.ts';
import type { AppInputOf } from '../../../shared/contract/transport.ts';
import type { ItemsBrowsePage } from '../../../shared/contract/methods/ui.ts';
import { toApiError, useApi, type ApiError } from '../api.ts';

export type ItemsQuery = Omit<AppInputOf<'items.query'>, 'after' | 'offset' | 'limit' | 'total'>;

const FIRST_PAGE = 60;
/** The count waits until the query has been still this long: while typing, counts of stale queries would hold up the rows of the next keystroke (the server answers one call at a time). */
const COUNT_AFTER_MS = 300;
/** Rows fetched when scrolling on from the window. */
const NEXT_PAGE = 300;
/** Rows fetched around a position jumped to (a screen is about 30). */
const JUMP_PAGE = 120;
/** Rows above the screen fetched with a jump, so a small scroll back up is already there. */
const JUMP_BEFORE = 30;
/** Rows kept ahead of the screen. */
const PREFETCH = 40;
/** Rows on screen above the last visible one the table reports (a tall window shows ~45 rows of 32 px with overscan). */
const SCREEN = 64;
/** The most rows the window holds. */
const MAX_ROWS = 2000;

type Cursor = { value: string | null; key: string };

/** A contiguous run of the sorted list: rows start .. start + length - 1. Immutable: a new one on every change. */
export class RowWindow {
  constructor(
    readonly start: number,
    readonly items: readonly BackupItem[],
  ) {}
  /** Rows held (not the list's length). */
  get length(): number {
    return this.items.length;
  }
  get end(): number {
    return this.start + this.items.length;
  }
  /** The row at a position of the list, when it is in the window. */
  at(index: number): BackupItem | undefined {
    const i = index - this.start;
    return i >= 0 && i < this.items.length ? this.items[i] : undefined;
  }
}

const EMPTY = new RowWindow(0, []);

export type ItemPages = {
  /**
   * Starts fetching the first page of a query right away (from an input's
   * event handler, before React renders), so the request is on its way while
   * the view redraws; the effect that follows picks the answer up.
   */
  prefetch: (query: ItemsQuery) => void;
  rows: RowWindow;
  /** Rows the table should size for: the count when known, else what is loaded (+1 while more exist). */
  size: number;
  /** The number of matching items, null while it is being counted. */
  total: number | null;
  /** The query (as JSON) whose rows are in `rows`: tests and the bench watch it to know the rows are on screen. */
  rowsFor: string | null;
  loading: boolean;
  error: ApiError | null;
  /** The table's visible rows: the last (and the first, when known); rows missing there are fetched. */
  ensure: (lastVisibleIndex: number, firstVisibleIndex?: number) => void;
  reload: () => void;
};

type State = {
  win: RowWindow;
  /** The cursor after the window's last row, when the window ends where a page ended; null when unknown. */
  endCursor: Cursor | null;
  /** The window's last row is the list's last. */
  atEnd: boolean;
  inflight: boolean;
  /** The rows the screen shows. */
  from: number;
  to: number;
  query: ItemsQuery | null;
  total: number | null;
};

const fresh = (query: ItemsQuery | null): State => ({ win: EMPTY, endCursor: null, atEnd: false, inflight: false, from: 0, to: 0, query, total: null });

export function useItemPages(query: ItemsQuery | null, version: number): ItemPages {
  const api = useApi();
  const [rows, setRows] = useState<RowWindow>(EMPTY);
  const [total, setTotal] = useState<number | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const [rowsFor, setRowsFor] = useState<string | null>(null);
  const gen = useRef(0);
  const state = useRef<State>(fresh(null));
  const key = query ? JSON.stringify(query) : null;
  const early = useRef(new Map<string, Promise<ItemsBrowsePage>>());
  const countedKey = useRef<string | null>(null);

  const firstPage = useCallback((q: ItemsQuery): Promise<ItemsBrowsePage> => api('items.query', { ...q, limit: FIRST_PAGE, total: false }), [api]);

  const prefetch = useCallback(
    (q: ItemsQuery) => {
      const k = JSON.stringify(q);
      if (k === key || early.current.has(k)) return;
      const p = firstPage(q);
      p.catch(() => {});
      early.current.set(k, p);
      // Keep only the latest few: a fast typist leaves a trail of unused ones.
      while (early.current.size > 4) early.current.delete(early.current.keys().next().value!);
    },
    [firstPage, key],
  );

  /** Fetches until the window covers the screen (and a little ahead), one call at a time. */
  const pump = useCallback(
    async (mine: number) => {
      const st = state.current;
      while (gen.current === mine && !st.inflight && st.query) {
        const w = st.win;
        // The list's last row: counted, or the window's when it reached the end; else not known yet.
        const last = st.total !== null ? st.total - 1 : st.atEnd ? w.end - 1 : Infinity;
        const a = Math.max(0, Math.min(st.from, last));
        const b = Math.min(st.to + PREFETCH, last);
        if (b < a || (a >= w.start && b < w.end)) return;
        let input: { offset?: number; after?: Cursor; limit: number };
        let place: 'after' | 'before' | 'jump';
        if (a >= w.start && a <= w.end && !st.atEnd) {
          // On down from the window's end: by cursor when it is known (no counting from the top), else by position.
          place = 'after';
          const limit = Math.max(NEXT_PAGE, b - w.end + 1);
          input = st.endCursor ? { after: st.endCursor, limit } : { offset: w.end, limit };
        } else if (b >= w.start - 1 && b < w.end && a < w.start && a >= w.start - NEXT_PAGE) {
          place = 'before';
          const from = Math.max(0, w.start - NEXT_PAGE);
          input = { offset: from, limit: w.start - from };
        } else if (a >= w.start && a < w.end && st.atEnd) {
          return;
        } else {
          place = 'jump';
          input = { offset: Math.max(0, a - JUMP_BEFORE), limit: Math.max(JUMP_PAGE, b - a + 1 + JUMP_BEFORE) };
        }
        st.inflight = true;
        try {
          const page = await api('items.query', { ...st.query, ...input, total: false });
          if (gen.current !== mine) return;
          const start = place === 'after' ? w.end : (input.offset ?? 0);
          if (place === 'after') {
            st.win = new RowWindow(w.start, w.items.concat(page.items));
            st.endCursor = page.next;
            st.atEnd = page.next === null;
          } else if (place === 'before') {
            st.win = new RowWindow(start, page.items.concat(w.items));
          } else {
            st.win = new RowWindow(start, page.items);
            st.endCursor = page.next;
            st.atEnd = page.next === null;
          }
          trim(st);
          setRows(st.win);
          setHasMore(!st.atEnd);
        } catch (err) {
          if (gen.current === mine) setError(toApiError('items.query', err));
          return;
        } finally {
          if (gen.current === mine) st.inflight = false;
        }
      }
    },
    [api],
  );

  useEffect(() => {
    const mine = ++gen.current;
    const q = key ? (JSON.parse(key) as ItemsQuery) : null;
    state.current = fresh(q);
    if (!q) {
      setRows(EMPTY);
      setTotal(null);
      setHasMore(false);
      setLoading(false);
      setRowsFor(null);
      return;
    }
    setLoading(true);
    // A new query is counted once the typing stops; the same query reloaded (data changed) keeps its
    // count on screen and is recounted at once.
    const sameQuery = countedKey.current === key;
    if (!sameQuery) setTotal(null);
    countedKey.current = key;
    const started = early.current.get(key!);
    early.current.delete(key!);
    (started ?? firstPage(q)).then(
      (page) => {
        if (gen.current !== mine) return;
        const st = state.current;
        st.win = new RowWindow(0, page.items);
        st.endCursor = page.next;
        st.atEnd = page.next === null;
        setRows(st.win);
        setRowsFor(key);
        setHasMore(page.next !== null);
        setError(null);
        setLoading(false);
        void pump(mine);
      },
      (err: unknown) => {
        if (gen.current !== mine) return;
        setRows(EMPTY);
        setRowsFor(key);
        setHasMore(false);
        setError(toApiError('items.query', err));
        setLoading(false);
      },
    );
    const { sort: _sort, desc: _desc, ...filter } = q;
    const timer = setTimeout(() => {
      if (gen.current !== mine) return;
      api('items.count', filter).then(
        (c) => {
          if (gen.current !== mine) return;
          state.current.total = c.total;
          setTotal(c.total);
          void pump(mine);
        },
        (err: unknown) => {
          if (gen.current === mine) setError(toApiError('items.count', err));
        },
      );
    }, sameQuery ? 0 : COUNT_AFTER_MS);
    return () => clearTimeout(timer);
  }, [api, key, version, tick, pump, firstPage]);

  const ensure = useCallback(
    (lastVisibleIndex: number, firstVisibleIndex?: number) => {
      const st = state.current;
      st.to = lastVisibleIndex;
      st.from = firstVisibleIndex ?? Math.max(0, lastVisibleIndex - SCREEN);
      if (!st.inflight) void pump(gen.current);
    },
    [pump],
  );

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const size = total ?? rows.end + (hasMore ? 1 : 0);
  return { prefetch, rows, size, total, rowsFor, loading, error, ensure, reload };
}

/** Drops the rows farthest from the screen until the window holds at most MAX_ROWS. */
function trim(st: State): void {
  const w = st.win;
  if (w.length <= MAX_ROWS) return;
  const mid = Math.floor((st.from + st.to) / 2);
  const start = Math.max(w.start, Math.min(mid - MAX_ROWS / 2, w.end - MAX_ROWS));
  const end = start + MAX_ROWS;
  if (end < w.end) {
    // The end moved up: the cursor after it is no longer known.
    st.endCursor = null;
    st.atEnd = false;
  }
  st.win = new RowWindow(start, w.items.slice(start - w.start, end - w.start));
}
