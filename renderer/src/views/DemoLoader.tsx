import { Button, MessageBar, MessageBarBody, MessageBarTitle, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useJob } from '../api.ts';
import { useAppState } from '../state.tsx';
import { formatCount, shortId } from '../format.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { JobProgress } from '../components/JobProgress.tsx';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
});

/**
 * The bundled demo estate: load its two snapshots into this store to learn
 * the screens, or run the whole demo (its own store in a temporary folder:
 * import, annotations, a signed pack, verification).
 */
export function DemoLoader() {
  const styles = useStyles();
  const app = useAppState();
  const load = useJob('demo.load', 'demo');
  const run = useJob('demo.run', 'demo-run');
  const r = load.result;
  const d = run.result;
  return (
    <>
      <Text>
        A small, made-up estate shaped like real Azure exports: two snapshots a month apart with a retired VM, a failed backup, a VM stopped but still billed, a new VM waiting for its first backup and a vault without soft delete. It never touches Azure.
      </Text>
      <div className={styles.row}>
        <Button
          appearance="primary"
          disabled={load.running}
          data-testid="demo-load"
          onClick={() =>
            void load.start({}).then((res) => {
              if (!res) return;
              app.reloadSnapshots();
              app.bumpData();
              const last = res.snapshots[res.snapshots.length - 1];
              if (last) app.setCurrent(last.snapshotId);
              const first = res.snapshots[0];
              if (first && res.snapshots.length > 1) app.setBaseline(first.snapshotId);
            })
          }
        >
          Load it into this store
        </Button>
        <Button disabled={run.running} onClick={() => void run.start({})} data-testid="demo-run">
          Run the whole demo (separate store, signed pack)
        </Button>
      </div>
      {load.running ? <JobProgress label="Loading the demo" progress={load.progress} onCancel={load.cancel} /> : null}
      {run.running ? <JobProgress label="Running the demo" progress={run.progress} onCancel={run.cancel} /> : null}
      <ErrorNotice error={load.error ?? run.error} onDismiss={() => (load.reset(), run.reset())} />
      {r ? (
        <MessageBar intent="success" layout="multiline" data-testid="demo-result">
          <MessageBarBody>
            <MessageBarTitle>Demo estate loaded</MessageBarTitle>
            {r.snapshots.map((s) => (
              <Text key={s.snapshotId} block>
                {s.label}: {formatCount(s.itemCount)} items (snapshot {shortId(s.snapshotId)})
              </Text>
            ))}
            {r.annotationsApplied > 0 ? <Text block>{formatCount(r.annotationsApplied)} annotation changes applied.</Text> : null}
            <div className={styles.row}>
              <Button appearance="primary" onClick={() => app.go('items')}>
                Look at the items
              </Button>
              <Button onClick={() => app.go('compare')}>Compare the two months</Button>
            </div>
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {d ? (
        <MessageBar intent={d.verify.intact ? 'success' : 'error'} layout="multiline" data-testid="demo-run-result">
          <MessageBarBody>
            <MessageBarTitle>{d.verify.intact ? 'Demo pack built, signed and verified' : 'Demo pack failed verification'}</MessageBarTitle>
            <Text block>Pack: <span className={styles.mono}>{d.pack.path}</span></Text>
            <Text block>Demo store (separate from yours): <span className={styles.mono}>{d.storePath}</span></Text>
            <Text block>Trust anchor: <span className={styles.mono}>{d.trustAnchor}</span></Text>
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </>
  );
}
