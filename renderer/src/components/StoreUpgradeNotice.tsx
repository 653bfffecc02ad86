/**
 * What the engine says while it upgrades the store it opens, and once it has
 * (STORE_UPGRADE_JOB events: not a job anyone started). An upgrade of a big
 * store takes a while on the first call; without this the window showed
 * only a loading list. The last word stays until dismissed: it says where the
 * store's backup is. Text from the engine is shown as text (React escapes it).
 */
import { Button, MessageBar, MessageBarActions, MessageBarBody, ProgressBar, makeStyles, tokens } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { STORE_UPGRADE_JOB } from '../../../shared/contract/events.ts';
import { useTransport } from '../api.ts';

const useStyles = makeStyles({
  // Grows with its text: the backup path is long and may break anywhere.
  bar: { marginBottom: tokens.spacingVerticalM, height: 'auto', minHeight: 'fit-content' },
  body: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
  progress: { marginTop: tokens.spacingVerticalXS },
});

type Notice = { phase: string; done: number; total: number | null; message: string };

export function StoreUpgradeNotice() {
  const transport = useTransport();
  const styles = useStyles();
  const [notice, setNotice] = useState<Notice | null>(null);
  useEffect(
    () =>
      transport.subscribe((event) => {
        if (event.type !== 'progress' || event.job !== STORE_UPGRADE_JOB) return;
        setNotice({ phase: event.phase, done: event.done, total: event.total, message: event.message ?? '' });
      }),
    [transport],
  );
  if (!notice) return null;
  const upgrading = notice.phase !== 'upgraded';
  const sentence = `${notice.message.charAt(0).toUpperCase()}${notice.message.slice(1)}`;
  return (
    <MessageBar intent={upgrading ? 'info' : 'success'} layout="multiline" className={styles.bar} data-testid="store-upgrade" data-phase={notice.phase}>
      <MessageBarBody className={styles.body}>
        {upgrading ? `Upgrading the store — ${sentence}` : sentence}
        {upgrading ? <ProgressBar className={styles.progress} value={notice.total ? notice.done / notice.total : undefined} aria-label="Store upgrade" /> : null}
      </MessageBarBody>
      {upgrading ? null : (
        <MessageBarActions containerAction={<Button appearance="transparent" aria-label="Dismiss" icon={<DismissRegular />} onClick={() => setNotice(null)} data-testid="store-upgrade-dismiss" />} />
      )}
    </MessageBar>
  );
}
