import { useState } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, Text, makeStyles, tokens } from '@fluentui/react-components';
import { CopyRegular } from '@fluentui/react-icons';
import { useQuery } from '../api.ts';
import { useAppState } from '../state.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { ImportPanel } from '../components/ImportPanel.tsx';
import { Section, ViewHeader } from '../components/Section.tsx';
import { CollectForm } from './CollectForm.tsx';
import { DemoLoader } from './DemoLoader.tsx';

const useStyles = makeStyles({
  columns: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: tokens.spacingHorizontalL, alignItems: 'start' },
  steps: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  pre: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    backgroundColor: tokens.colorNeutralBackground3,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    margin: `${tokens.spacingVerticalXS} 0`,
  },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
});

/** The empty state that teaches: the three ways in, and the kit for colleagues with Azure access. */
export function StartView() {
  const styles = useStyles();
  const app = useAppState();
  const [showCollect, setShowCollect] = useState(false);
  const empty = (app.snapshots?.length ?? 0) === 0;
  return (
    <div data-testid="start-view">
      <ViewHeader
        title={empty ? 'Welcome to Vaultproof' : 'Start'}
        subtitle="Vaultproof turns Azure Backup state into evidence an auditor can verify: snapshots you can compare, findings mapped to controls, costs, and signed evidence packs. Everything stays on this machine."
      />
      {empty ? (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            The store is empty. Bring data in one of three ways: <b>import files</b> someone exported from Azure, <b>collect</b> straight from Azure if you have access, or <b>load the demo estate</b> to look around first.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.columns} style={{ marginTop: tokens.spacingVerticalM }}>
        <div>
          <Section title="1. Import files" testId="start-import">
            <Text>Export files from the az CLI, PowerShell, the Azure portal (Resource Graph Explorer) or ARM. Drop them all at once: they become one snapshot, with each file's hash recorded.</Text>
            <ImportPanel />
          </Section>
          <Section title="3. Load the demo estate" testId="start-demo">
            <DemoLoader />
          </Section>
        </div>
        <div>
          <Section title="2. Collect from Azure" testId="start-collect" actions={<Button onClick={() => setShowCollect((v) => !v)} data-testid="start-collect-toggle">{showCollect ? 'Hide' : 'Set up collection…'}</Button>}>
            <Text>Read Recovery Services and Backup vaults directly, with your Azure sign-in. Every subscription and vault is recorded as collected or failed, so nothing is skipped silently.</Text>
            {showCollect ? <CollectForm /> : null}
          </Section>
          <Section title="No Azure access here? The offline collection kit" testId="start-kit">
            <CollectionKit />
          </Section>
        </div>
      </div>
    </div>
  );
}

const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;

function CollectionKit() {
  const styles = useStyles();
  const [subs, setSubs] = useState('');
  const subscriptions = subs.match(GUID) ?? [];
  const kit = useQuery('collect.kit', subscriptions.length ? { subscriptions } : {});
  if (kit.error) return <ErrorNotice error={kit.error} onRetry={kit.reload} />;
  const k = kit.data;
  if (!k) return <Text>Loading the kit…</Text>;
  return (
    <>
      <Text>{k.intro}</Text>
      <div className={styles.row}>
        <Field label="Subscriptions to include (optional)" style={{ flexGrow: 1 }}>
          <Input value={subs} onChange={(_, d) => setSubs(d.value)} placeholder="subscription ids; empty = all the colleague can read" />
        </Field>
        <CopyButton text={k.script} label="Copy the whole script" testId="kit-copy-script" />
      </div>
      <ol className={styles.steps} data-testid="kit-steps">
        {k.steps.map((s) => (
          <li key={s.id}>
            <Text weight="semibold">
              {s.title}
              {s.optional ? ' (optional)' : ''}
            </Text>
            <Text block size={200}>
              {s.why}
            </Text>
            <pre className={styles.pre} tabIndex={0}>{s.commands.join('\n')}</pre>
          </li>
        ))}
      </ol>
      <Text weight="semibold">Then, here: drop the files written into “1. Import files”, or run</Text>
      <pre className={styles.pre} tabIndex={0}>{k.importCommand}</pre>
    </>
  );
}

export function CopyButton(props: { text: string; label: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      icon={<CopyRegular />}
      data-testid={props.testId}
      onClick={() => {
        void navigator.clipboard?.writeText(props.text).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 2000);
          },
          () => setCopied(false),
        );
      }}
    >
      {copied ? 'Copied' : props.label}
    </Button>
  );
}
