import { useEffect, useState } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { LogVerifyResult } from '../../../../shared/contract/methods/annotations.ts';
import { toApiError, useApi, useQuery, type ApiError } from '../../api.ts';
import { useAppState } from '../../state.tsx';
import { formatCount, shortHash } from '../../format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Section } from '../../components/Section.tsx';
import { AnnotationLog } from '../../items/AnnotationEditor.tsx';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
});

const PAGE = 300;

/** Who I am in the log, the whole annotation log (newest first), and its hash-chain verification. */
export function LogPanel() {
  const styles = useStyles();
  const app = useAppState();
  const api = useApi();
  const identity = useQuery('annotations.identity', {}, app.dataVersion);
  const [name, setName] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const log = useQuery('annotations.log', {}, app.dataVersion);
  const [verify, setVerify] = useState<LogVerifyResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (identity.data) setName(identity.data.displayName ?? '');
  }, [identity.data]);

  async function saveName() {
    try {
      await api('annotations.identity', { displayName: name.trim() ? name.trim() : null });
      identity.reload();
    } catch (err) {
      setError(toApiError('annotations.identity', err));
    }
  }

  async function verifyLog() {
    setError(null);
    try {
      setVerify(await api('annotations.verifyLog', {}));
    } catch (err) {
      setError(toApiError('annotations.verifyLog', err));
    }
  }

  const entries = log.data ?? [];
  return (
    <Section title="Annotation log" testId="log-panel">
      <Text>Every owner, exception, decision, size, note and restore test is an entry here: who, when, the value before and after, and why. Each entry carries the hash of the one before it, so a change made behind Vaultproof's back is detected.</Text>
      <div className={styles.row}>
        <Field label={`Your name in the log (beside the OS user ${identity.data?.user ?? ''})`} hint={identity.data?.source === 'env' ? 'Set by VAULTPROOF_USER / the environment.' : undefined}>
          <Input value={name} onChange={(_, d) => setName(d.value)} placeholder="e.g. Jane Doe, Internal Audit" data-testid="log-display-name" />
        </Field>
        <Button onClick={() => void saveName()} disabled={identity.data?.source === 'env'}>
          Save name
        </Button>
        <Button appearance="primary" onClick={() => void verifyLog()} data-testid="log-verify">
          Verify the log
        </Button>
      </div>
      <ErrorNotice error={error ?? log.error ?? identity.error} onDismiss={() => setError(null)} />
      {verify ? (
        <MessageBar intent={verify.ok ? 'success' : 'error'} layout="multiline" data-testid="log-verify-result">
          <MessageBarBody>
            <MessageBarTitle>{verify.ok ? 'The log is intact' : 'The log has been tampered with'}</MessageBarTitle>
            {formatCount(verify.count)} entries verified, head {shortHash(verify.head, 16)}; {formatCount(verify.headsChecked)} heads recorded by evidence packs checked.
            {verify.firstBad ? ` First bad entry: #${verify.firstBad.seq} — ${verify.firstBad.reason}.` : ''}
            {verify.problems.map((p) => (
              <div key={p.seq}>
                #{p.seq}: {p.reason}
              </div>
            ))}
            {verify.warnings.map((w, i) => (
              <div key={i}>{w}</div>
            ))}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <Text weight="semibold">{formatCount(entries.length)} entries, newest first</Text>
      <AnnotationLog entries={entries.slice(-limit)} showTarget />
      {entries.length > limit ? (
        <div>
          <Button onClick={() => setLimit((l) => l + PAGE * 3)}>Show older entries</Button>
        </div>
      ) : null}
    </Section>
  );
}
