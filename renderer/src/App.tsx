import { useCallback, useEffect, useState, type ReactElement } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  FluentProvider,
  Input,
  Tab,
  TabList,
  Text,
  Tooltip,
  makeStyles,
  tokens,
  webDarkTheme,
  webLightTheme,
} from '@fluentui/react-components';
import {
  ArrowSwapRegular,
  BoxMultipleRegular,
  ClockRegular,
  DatabaseRegular,
  HomeRegular,
  KeyboardRegular,
  MoneyRegular,
  ShieldErrorRegular,
  TableRegular,
  WeatherMoonRegular,
  WeatherSunnyRegular,
} from '@fluentui/react-icons';
import type { Transport } from '../../shared/contract/transport.ts';
import { TransportContext, toApiError, useApi, useTransport, type ApiError } from './api.ts';
import { AppStateProvider, useAppState, views, type View } from './state.tsx';
import { ErrorNotice } from './components/ErrorNotice.tsx';
import { StoreUpgradeNotice } from './components/StoreUpgradeNotice.tsx';
import { setTimeMode, timeMode, zoneName, type TimeMode } from './format.ts';
import { StartView } from './views/StartView.tsx';
import { SnapshotsView } from './views/SnapshotsView.tsx';
import { ItemsView } from './items/ItemsView.tsx';
import { CompareView } from './views/CompareView.tsx';
import { FindingsView } from './views/FindingsView.tsx';
import { CostView } from './views/CostView.tsx';
import { PacksView } from './views/PacksView.tsx';
import { AccessIcon, AccessView } from './views/AccessView.tsx';

const useStyles = makeStyles({
  app: { display: 'grid', gridTemplateRows: 'auto 1fr', gridTemplateColumns: '200px 1fr', height: '100vh', overflow: 'hidden' },
  header: {
    gridColumn: '1 / 3',
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground3,
  },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase500 },
  store: { color: tokens.colorNeutralForeground3, flexGrow: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  nav: { borderRight: `1px solid ${tokens.colorNeutralStroke2}`, padding: tokens.spacingVerticalS, backgroundColor: tokens.colorNeutralBackground2, overflowY: 'auto' },
  main: { overflow: 'auto', padding: tokens.spacingHorizontalL, minWidth: 0, display: 'flex', flexDirection: 'column' },
  skip: { position: 'absolute', left: '-9999px', ':focus': { left: tokens.spacingHorizontalS, top: tokens.spacingVerticalS, zIndex: 10 } },
  keys: { display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS },
});

const viewMeta: Record<View, { label: string; icon: ReactElement }> = {
  start: { label: 'Start', icon: <HomeRegular /> },
  snapshots: { label: 'Snapshots', icon: <DatabaseRegular /> },
  items: { label: 'Items', icon: <TableRegular /> },
  compare: { label: 'Compare', icon: <ArrowSwapRegular /> },
  findings: { label: 'Findings', icon: <ShieldErrorRegular /> },
  cost: { label: 'Cost', icon: <MoneyRegular /> },
  packs: { label: 'Packs', icon: <BoxMultipleRegular /> },
  access: { label: 'Access', icon: <AccessIcon /> },
};

type Theme = 'light' | 'dark';

function initialTheme(): Theme {
  try {
    const saved = window.localStorage.getItem('vaultproof.theme');
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // storage may be unavailable (file:// in some hosts)
  }
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function App(props: { transport: Transport }) {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useEffect(() => {
    try {
      window.localStorage.setItem('vaultproof.theme', theme);
    } catch {
      // not fatal
    }
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <FluentProvider theme={theme === 'dark' ? webDarkTheme : webLightTheme} style={{ height: '100vh' }} data-testid="app-root" data-theme={theme}>
      <TransportContext.Provider value={props.transport}>
        <AppStateProvider>
          <Shell theme={theme} onToggleTheme={() => setTheme((t) => (t === 'dark' ? 'light' : 'dark'))} />
        </AppStateProvider>
      </TransportContext.Provider>
    </FluentProvider>
  );
}

function Shell(props: { theme: Theme; onToggleTheme: () => void }) {
  const styles = useStyles();
  const app = useAppState();
  const api = useApi();
  const [keysOpen, setKeysOpen] = useState(false);
  const [aboutOpen, setAboutOpen] = useState(false);
  const [storeOpen, setStoreOpen] = useState(false);
  const [times, setTimes] = useState<TimeMode>(timeMode);
  const transport = useTransport();

  // A view switched from the keyboard or the menu takes focus to its heading (not <body>, 16 Tab stops from the grid).
  const [focusView, setFocusView] = useState(0);
  const goFocus = useCallback(
    (v: View) => {
      app.go(v);
      setFocusView((n) => n + 1);
    },
    [app],
  );
  useEffect(() => {
    if (focusView === 0) return;
    let frames = 0;
    let raf = 0;
    // The view draws its heading on its first render; a few frames cover a lazy child.
    const tryFocus = () => {
      const h = document.querySelector<HTMLElement>('#main h1');
      if (h) h.focus();
      else if (frames++ < 20) raf = requestAnimationFrame(tryFocus);
    };
    raf = requestAnimationFrame(tryFocus);
    return () => cancelAnimationFrame(raf);
  }, [focusView]);

  // Alt+1..8 switch views; the Electron menu sends the same actions.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-8]$/.test(e.code)) {
        const v = views[Number(e.code.slice(5)) - 1];
        if (v) {
          e.preventDefault();
          goFocus(v);
        }
      } else if (e.key === '?' && !isTyping(e.target)) {
        e.preventDefault();
        setKeysOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [goFocus]);

  useEffect(
    () =>
      transport.subscribe((event) => {
        if (event.type !== 'menu') return;
        const a = event.action;
        if (a.startsWith('view:')) goFocus(a.slice(5) as View);
        else if (a === 'import' || a === 'collect') app.go('start');
        else if (a === 'newPack' || a === 'verifyPack') app.go('packs');
        else if (a === 'find') app.go('items');
        else if (a === 'help:about') setAboutOpen(true);
        else if (a === 'openStore') setStoreOpen(true);
      }),
    [transport, app, api, goFocus],
  );

  return (
    <div className={styles.app}>
      <a href="#main" className={styles.skip}>
        Skip to content
      </a>
      <header className={styles.header}>
        <Text className={styles.brand}>Vaultproof</Text>
        <Text size={200} className={styles.store} title={app.info?.storePath} data-testid="store-path">
          {app.info ? `Store: ${app.info.storePath}` : ''}
        </Text>
        <Button appearance="subtle" size="small" onClick={() => setStoreOpen(true)} data-testid="store-switch">
          Open another store…
        </Button>
        <Tooltip content={times === 'utc' ? 'Times are in UTC: show them in local time' : 'Times are in local time: show them in UTC'} relationship="description">
          <Button
            appearance="subtle"
            size="small"
            icon={<ClockRegular />}
            onClick={() => {
              const next: TimeMode = times === 'utc' ? 'local' : 'utc';
              setTimeMode(next);
              setTimes(next);
            }}
            data-testid="time-mode"
            data-mode={times}
          >
            {`Times: ${zoneName()}`}
          </Button>
        </Tooltip>
        <Tooltip content="Keyboard shortcuts (?)" relationship="label">
          <Button appearance="subtle" icon={<KeyboardRegular />} onClick={() => setKeysOpen(true)} />
        </Tooltip>
        <Tooltip content={props.theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'} relationship="label">
          <Button appearance="subtle" icon={props.theme === 'dark' ? <WeatherSunnyRegular /> : <WeatherMoonRegular />} onClick={props.onToggleTheme} data-testid="theme-toggle" />
        </Tooltip>
      </header>
      <nav className={styles.nav} aria-label="Views">
        <TabList vertical selectedValue={app.view} onTabSelect={(_, d) => app.go(d.value as View)} data-testid="nav">
          {views.map((v, i) => (
            <Tab key={v} value={v} icon={viewMeta[v].icon} data-testid={`nav-${v}`} title={`${viewMeta[v].label} (Alt+${i + 1})`}>
              {viewMeta[v].label}
            </Tab>
          ))}
        </TabList>
      </nav>
      <main id="main" className={styles.main} data-testid={`view-${app.view}`}>
        <StoreUpgradeNotice />
        {app.snapshotsError ? <ErrorNotice error={app.snapshotsError} onRetry={app.reloadSnapshots} /> : null}
        {/* Keyed by the time mode: every time on screen is drawn again in the chosen zone. */}
        <CurrentView key={times} view={app.view} />
      </main>
      <Dialog open={keysOpen} onOpenChange={(_, d) => setKeysOpen(d.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Keyboard shortcuts</DialogTitle>
            <DialogContent>
              <div className={styles.keys}>
                <Text weight="semibold">Alt+1 … Alt+7</Text>
                <Text>Start, Snapshots, Items, Compare, Findings, Cost, Packs</Text>
                <Text weight="semibold">Tab / Shift+Tab</Text>
                <Text>Move between controls; arrow keys move inside lists and tabs</Text>
                <Text weight="semibold">/ or Ctrl+F</Text>
                <Text>Items: search</Text>
                <Text weight="semibold">↑ ↓ Page Up/Down Home End</Text>
                <Text>Items: move through rows</Text>
                <Text weight="semibold">Enter</Text>
                <Text>Items: open the selected item</Text>
                <Text weight="semibold">Esc</Text>
                <Text>Close a drawer or dialog</Text>
                <Text weight="semibold">?</Text>
                <Text>This list</Text>
              </div>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => setKeysOpen(false)}>
                Close
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
      <OpenStoreDialog open={storeOpen} onClose={() => setStoreOpen(false)} />
      <Dialog open={aboutOpen} onOpenChange={(_, d) => setAboutOpen(d.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>About Vaultproof</DialogTitle>
            <DialogContent>
              <Text block>Version {app.info?.version ?? '?'} ({app.info?.kind ?? '?'} mode, {app.info?.platform ?? '?'})</Text>
              <Text block>Store: {app.info?.storePath ?? '?'}</Text>
              <Text block>Turns Azure Backup state into signed, verifiable audit evidence.</Text>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => setAboutOpen(false)}>
                Close
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}

/** Switches to another store file (File > Open store… in the desktop app). */
function OpenStoreDialog(props: { open: boolean; onClose: () => void }) {
  const app = useAppState();
  const api = useApi();
  const [path, setPath] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const native = app.info?.nativeDialogs ?? false;

  async function open(p: string) {
    setError(null);
    try {
      await api('app.openStore', { path: p });
      app.reloadSnapshots();
      app.bumpData();
      props.onClose();
    } catch (err) {
      setError(toApiError('app.openStore', err));
    }
  }

  return (
    <Dialog open={props.open} onOpenChange={(_, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Open another store</DialogTitle>
          <DialogContent>
            <Text block>A store is one Vaultproof database file (for example one per client or per audit). A file that does not exist yet becomes a new, empty store.</Text>
            <Field label="Store file">
              <Input value={path} onChange={(_, d) => setPath(d.value)} placeholder={app.info?.storePath} data-testid="store-path-input" />
            </Field>
            <ErrorNotice error={error} onDismiss={() => setError(null)} />
          </DialogContent>
          <DialogActions>
            {native ? (
              <Button
                onClick={() =>
                  void api('dialog.openFiles', { title: 'Open a Vaultproof store', multiple: false, filters: [{ name: 'Vaultproof store', extensions: ['db'] }] }).then((r) => {
                    if (r.paths[0]) void open(r.paths[0]);
                  })
                }
              >
                Choose file…
              </Button>
            ) : null}
            <Button onClick={props.onClose}>Cancel</Button>
            <Button appearance="primary" disabled={!path.trim()} onClick={() => void open(path.trim())}>
              Open
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable);
}


function CurrentView(props: { view: View }) {
  switch (props.view) {
    case 'start':
      return <StartView />;
    case 'snapshots':
      return <SnapshotsView />;
    case 'items':
      return <ItemsView />;
    case 'compare':
      return <CompareView />;
    case 'findings':
      return <FindingsView />;
    case 'cost':
      return <CostView />;
    case 'packs':
      return <PacksView />;
    case 'access':
      return <AccessView />;
  }
}
