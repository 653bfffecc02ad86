/**
 * App-wide state: which view is shown, the snapshot list, which snapshot the
 * Items / Findings / Cost views look at, and a data version that views
 * reload on (bumped after an import, an annotation, a pack).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SnapshotListed } from '../../shared/contract/methods/snapshots.ts';
import type { AppInfo } from '../../shared/contract/shell.ts';
import { useApi, useQuery, type ApiError } from './api.ts';
import { newestFirst } from './snapshot-order.ts';

export const views = ['start', 'snapshots', 'items', 'compare', 'findings', 'cost', 'packs', 'access'] as const;
export type View = (typeof views)[number];

/** link: a shared filter (renderer/src/items/filter-state.ts) the app was opened with. */
export type ItemsPreset = { where?: Array<{ field: string; value: string }>; search?: string; key?: string; link?: string } | null;

export type AppState = {
  view: View;
  go: (view: View) => void;
  snapshots: SnapshotListed[] | undefined;
  snapshotsError: ApiError | null;
  reloadSnapshots: () => void;
  /** The snapshot Items, Findings, Cost and Packs look at (an id), null when the store is empty. */
  current: string | null;
  setCurrent: (id: string) => void;
  /** The comparison baseline (an id), for Compare, Cost and Packs. */
  baseline: string | null;
  setBaseline: (id: string | null) => void;
  dataVersion: number;
  bumpData: () => void;
  info: AppInfo | undefined;
  /** Items view opened from elsewhere (a finding, a compare row) with a filter or an item. */
  itemsPreset: ItemsPreset;
  openItems: (preset: ItemsPreset) => void;
  clearItemsPreset: () => void;
};

const Ctx = createContext<AppState | null>(null);

export function useAppState(): AppState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useAppState outside <AppStateProvider>');
  return s;
}

export function AppStateProvider(props: { children: ReactNode }) {
  const [view, setView] = useState<View>('start');
  const [dataVersion, setDataVersion] = useState(0);
  const [snapshotVersion, setSnapshotVersion] = useState(0);
  const list = useQuery('snapshots.list', {}, snapshotVersion);
  const info = useQuery('app.info', {}, snapshotVersion);
  const [current, setCurrentRaw] = useState<string | null>(null);
  const [baseline, setBaseline] = useState<string | null>(null);
  const [itemsPreset, setItemsPreset] = useState<ItemsPreset>(null);
  const [initialViewChosen, setInitialViewChosen] = useState(false);

  const snapshots = list.data;
  // Keep `current` pointing at an existing snapshot: the newest by default.
  useEffect(() => {
    if (!snapshots) return;
    if (!initialViewChosen) {
      setInitialViewChosen(true);
      // A shared filter link (…#items?…) opens the Items view with its filters.
      if (snapshots.length > 0 && window.location.hash.startsWith('#items?')) {
        setItemsPreset({ link: window.location.hash.slice(1) });
        setView('items');
        // Applied once: a reload later must not bring back filters the user has since changed.
        window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`);
      } else if (snapshots.length > 0) setView('snapshots');
    }
    const ids = new Set(snapshots.map((s) => s.id));
    // The newest by as-of (ties: creation time), and the one before it as the baseline — not the store's id order.
    const ordered = newestFirst(snapshots);
    const newest = ordered[0]?.id ?? null;
    setCurrentRaw((c) => (c && ids.has(c) ? c : newest));
    setBaseline((b) => {
      if (b && ids.has(b)) return b;
      return ordered[1]?.id ?? null;
    });
  }, [snapshots, initialViewChosen]);

  // As soon as a snapshot is open, the engine starts working out its findings and pricing on worker threads
  // (findings.prepare answers at once), so the Findings, Cost and Items' Finding filter find them ready (issue 17).
  // Again after an import or an annotation (dataVersion): the engine keys what it keeps by the annotation log.
  const api = useApi();
  const prepareBaseline = baseline && baseline !== current ? baseline : null;
  useEffect(() => {
    if (!current) return;
    api('findings.prepare', { snapshot: current, ...(prepareBaseline ? { baseline: prepareBaseline } : {}) }).catch(() => {
      // Only a head start: the views ask again and show any error themselves.
    });
  }, [api, current, prepareBaseline, dataVersion]);

  const reloadSnapshots = useCallback(() => setSnapshotVersion((v) => v + 1), []);
  const bumpData = useCallback(() => setDataVersion((v) => v + 1), []);
  const openItems = useCallback((preset: ItemsPreset) => {
    setItemsPreset(preset);
    setView('items');
  }, []);
  const clearItemsPreset = useCallback(() => setItemsPreset(null), []);

  const value = useMemo<AppState>(
    () => ({
      view,
      go: setView,
      snapshots,
      snapshotsError: list.error,
      reloadSnapshots,
      current,
      setCurrent: setCurrentRaw,
      baseline,
      setBaseline,
      dataVersion,
      bumpData,
      info: info.data,
      itemsPreset,
      openItems,
      clearItemsPreset,
    }),
    [view, snapshots, list.error, reloadSnapshots, current, baseline, dataVersion, bumpData, info.data, itemsPreset, openItems, clearItemsPreset],
  );
  return <Ctx.Provider value={value}>{props.children}</Ctx.Provider>;
}
