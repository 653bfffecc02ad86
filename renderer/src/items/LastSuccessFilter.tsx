/**
 * "Which items have no successful backup in 48 h?" — the last successful
 * backup (shared/domain/last-success.ts) older than a number of hours or days
 * before the snapshot's as-of time, or none at all. A text field ("48h",
 * "36 hours", "7d") with the usual windows offered as suggestions; Enter or
 * leaving the field applies it, an empty field removes it.
 */
import { memo, useEffect, useState } from 'react';
import { Input, makeStyles } from '@fluentui/react-components';
import { HistoryRegular } from '@fluentui/react-icons';
import { parseHours } from './filter-state.ts';

const presets = [24, 48, 72, 168, 336, 720];

/** 48 → "48 hours" (the way the question is asked), 168 → "7 days". */
export function hoursInWords(h: number): string {
  if (h >= 72 && h % 24 === 0) return `${h / 24} days`;
  return h === 1 ? '1 hour' : `${h} hours`;
}

const useStyles = makeStyles({
  box: { width: '250px' },
});

export const LastSuccessFilter = memo(function LastSuccessFilter(props: { hours: number | undefined; onChange: (hours: number | undefined) => void }) {
  const styles = useStyles();
  const shown = (h: number | undefined) => (h === undefined ? '' : `older than ${hoursInWords(h)}`);
  const [text, setText] = useState(shown(props.hours));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    setText(shown(props.hours));
    setBad(false);
  }, [props.hours]);

  const commit = () => {
    const t = text.replace(/^\s*(last success\s*)?older than\s*/i, '').replace(/,?\s*or none\s*$/i, '').trim();
    if (t === '') {
      setBad(false);
      if (props.hours !== undefined) props.onChange(undefined);
      return;
    }
    const h = parseHours(t);
    if (h === null) return setBad(true);
    setBad(false);
    if (h !== props.hours) props.onChange(h);
    else setText(shown(h));
  };

  return (
    <>
      <Input
        className={styles.box}
        contentBefore={<HistoryRegular aria-hidden />}
        placeholder="Last success older than… (48h, 7d)"
        value={text}
        onChange={(_, d) => setText(d.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
        input={{ list: 'last-success-presets' }}
        aria-label="Last successful backup older than (hours or days, e.g. 48h or 7d); items with none are included"
        aria-invalid={bad}
        title={bad ? 'Write a number of hours or days: 48h, 36 hours, 7d, 10 days' : "Items whose last successful backup is older than this at the snapshot's as-of time, or that have none"}
        data-testid="filter-lastSuccess"
      />
      <datalist id="last-success-presets">
        {presets.map((h) => (
          <option key={h} value={shown(h)} />
        ))}
      </datalist>
    </>
  );
});
