/**
 * "Share filter": the Items view's filters as a link and as text (see
 * filter-state.ts), each with a Copy button and shown in full so it can be
 * selected by hand where the clipboard is not allowed; and a field to paste
 * one back.
 */
import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
  Tooltip,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { LinkRegular } from '@fluentui/react-icons';
import { decodeFilterState, encodeFilterState, type ItemsFilterState } from './filter-state.ts';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end' },
  grow: { flexGrow: 1 },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/**
 * The link opens the Items view with this state, in web mode and in the window alike (the hash is read at start).
 * It never carries web mode's token, since it is made to be pasted into working papers and tickets: a fresh tab of the
 * same browser gets the token from an open Vaultproof tab (renderer/src/transport.ts); in the window it is pasted back below.
 */
export function filterLink(state: ItemsFilterState): string {
  return `${window.location.origin}${window.location.pathname}#${encodeFilterState(state)}`;
}

function CopyRow(props: { label: string; value: string; testId: string }) {
  const styles = useStyles();
  const [copied, setCopied] = useState(false);
  return (
    <div className={styles.row}>
      <Field label={props.label} className={styles.grow}>
        <Input readOnly value={props.value} onFocus={(e) => e.target.select()} data-testid={props.testId} />
      </Field>
      <Button
        onClick={() => {
          void navigator.clipboard?.writeText(props.value).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
        data-testid={`${props.testId}-copy`}
      >
        {copied ? 'Copied' : 'Copy'}
      </Button>
    </div>
  );
}

export function ShareFilter(props: { state: ItemsFilterState; onApply: (state: ItemsFilterState) => void }) {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string | null>(null);
  const apply = () => {
    try {
      props.onApply(decodeFilterState(pasted));
      setPasted('');
      setError(null);
      setOpen(false);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Dialog open={open} onOpenChange={(_, d) => (setOpen(d.open), setError(null))}>
      <DialogTrigger disableButtonEnhancement>
        <Tooltip content="Share or paste a filter" relationship="label">
          <Button icon={<LinkRegular />} data-testid="items-share" />
        </Tooltip>
      </DialogTrigger>
      <DialogSurface data-testid="share-dialog">
        <DialogBody>
          <DialogTitle>Share this filter</DialogTitle>
          <DialogContent className={styles.content}>
            <CopyRow label="Link (opens the Items view with these filters)" value={filterLink(props.state)} testId="share-link" />
            <CopyRow label="As text" value={encodeFilterState(props.state)} testId="share-text" />
            <div className={styles.row}>
              <Field
                label="Paste a filter (a link or text copied here)"
                className={styles.grow}
                validationState={error ? 'error' : 'none'}
                validationMessage={error ?? undefined}
              >
                <Input value={pasted} onChange={(_, d) => setPasted(d.value)} onKeyDown={(e) => e.key === 'Enter' && apply()} data-testid="share-paste" />
              </Field>
              <Button appearance="primary" onClick={apply} disabled={pasted.trim() === ''} data-testid="share-apply">
                Apply
              </Button>
            </div>
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button>Close</Button>
            </DialogTrigger>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
