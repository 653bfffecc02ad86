/**
 * Keyset paging for the virtualised items table. The first page is small
 * (fast first render) and is asked for without a total; the count is a
 * second call, made once the query has stayed the same for a moment, so rows
 * show before the count (a count walks every matching row, the first page
 * only a hundred) and a count never delays the next keystroke's rows. Later pages are fetched in
 * order (keyset paging cannot jump) whenever the visible rows get near the
 * end of what is loaded. A new query replaces the rows when its first page
 * arrives; answers to an older query are ignored.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackupItem } from '../../../shared/domain/types.ts';
import type { AppInputOf } from '../../../shared/contract/transport.ts';
import type { ItemsBrowsePage } from '../../../shared/contract/methods/ui.ts';
import { toApiError, useApi, type ApiError } from '../api.ts';

export type ItemsQuery = Omit<AppInputOf<'items.query'>, 'after' | 'limit' | 'total'>;

const FIRST_PAGE = 60;
/** The count waits until the query has been still this long: while typing, counts of stale queries would hold up the rows of the next keystroke (the server answers one call at a time). */
const COUNT_AFTER_MS = 300;
const NEXT_PAGE = 500;
const PREFETCH = 30;

export type ItemPages = {
  /**
   * Starts fetching the first page of a query right away (from an input's
   * event handler, before React renders), so the request is on its way while
   * the view redraws; the effect that follows picks the answer up.
   */
  prefetch: (query: ItemsQuery) => void;
  rows: BackupItem[];
  /** Rows the table should size for: the count when known, else what is loaded (+1 while more exist). */
  size: number;
  /** The number of matching items, null while it is being counted. */
  total: number | null;
  /** The query (as JSON) whose rows are in `rows`: tests and the bench watch it to know the rows are on screen. */
  rowsFor: string | null;
  loading: boolean;
  error: ApiError | null;
  ensure: (lastVisibleIndex: number) => void;
  reload: () => void;
};

type Cursor = { value: string | null; key: string };

export function useItemPages(query: ItemsQuery | null, version: number): ItemPages {
  const api = useApi();
  const [rows, setRows] = useState<BackupItem[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const [rowsFor, setRowsFor] = useState<string | null>(null);
  const gen = useRef(0);
  const state = useRef<{ rows: BackupItem[]; next: Cursor | null; inflight: boolean; wanted: number; query: ItemsQuery | null }>({
    rows: [],
    next: null,
    inflight: false,
    wanted: 0,
    query: null,
  });
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

  const fetchMore = useCallback(
    async (mine: number) => {
      const st = state.current;
      while (gen.current === mine && st.next && !st.inflight && st.wanted + PREFETCH >= st.rows.length && st.query) {
        st.inflight = true;
        try {
          const page = await api('items.query', { ...st.query, after: st.next, limit: NEXT_PAGE, total: false });
          if (gen.current !== mine) return;
          st.rows = st.rows.concat(page.items);
          st.next = page.next;
          setRows(st.rows);
          setHasMore(page.next !== null);
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
    state.current = { rows: [], next: null, inflight: false, wanted: 0, query: q };
    if (!q) {
      setRows([]);
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
        state.current.rows = page.items;
        state.current.next = page.next;
        setRows(page.items);
        setRowsFor(key);
        setHasMore(page.next !== null);
        setError(null);
        setLoading(false);
        void fetchMore(mine);
      },
      (err: unknown) => {
        if (gen.current !== mine) return;
        setRows([]);
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
          if (gen.current === mine) setTotal(c.total);
        },
        (err: unknown) => {
          if (gen.current === mine) setError(toApiError('items.count', err));
        },
      );
    }, sameQuery ? 0 : COUNT_AFTER_MS);
    return () => clearTimeout(timer);
  }, [api, key, version, tick, fetchMore, firstPage]);

  const ensure = useCallback(
    (lastVisibleIndex: number) => {
      const st = state.current;
      if (lastVisibleIndex > st.wanted) st.wanted = lastVisibleIndex;
      if (st.next && !st.inflight && st.wanted + PREFETCH >= st.rows.length) void fetchMore(gen.current);
    },
    [fetchMore],
  );

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const size = total ?? rows.length + (hasMore ? 1 : 0);
  return { prefetch, rows, size, total, rowsFor, loading, error, ensure, reload };
}
