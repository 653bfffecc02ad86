import { Button, ProgressBar, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ProgressEvent } from '../../../shared/contract/events.ts';
import { formatCount } from '../format.ts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, padding: tokens.spacingVerticalS, borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground2 },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, justifyContent: 'space-between' },
});

/** A progress bar for long work, with what is happening and a Cancel button. */
export function JobProgress(props: { label: string; progress: ProgressEvent | null; onCancel?: () => void; testId?: string }) {
  const styles = useStyles();
  const p = props.progress;
  const fraction = p && p.total ? Math.min(1, p.done / p.total) : undefined;
  const counts = p ? (p.total ? `${formatCount(p.done)} of ${formatCount(p.total)}` : p.done > 0 ? formatCount(p.done) : '') : '';
  return (
    <div className={styles.root} data-testid={props.testId ?? 'job-progress'} role="status" aria-live="polite">
      <div className={styles.row}>
        <Text weight="semibold">
          {props.label}
          {p?.phase ? ` — ${p.phase}` : ''}
        </Text>
        {props.onCancel ? (
          <Button size="small" onClick={props.onCancel} data-testid="job-cancel">
            Cancel
          </Button>
        ) : null}
      </div>
      <ProgressBar value={fraction} thickness="large" aria-label={props.label} />
      <Text size={200}>
        {[counts, p?.message].filter(Boolean).join(' · ') || 'Starting…'}
      </Text>
    </div>
  );
}
