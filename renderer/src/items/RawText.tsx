import { useMemo, useState } from 'react';
import { Switch, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ItemDetail } from '../../../shared/contract/methods/snapshots.ts';
import { reindentJson } from '../../../shared/domain/reindent-json.ts';

const useStyles = makeStyles({
  pre: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    backgroundColor: tokens.colorNeutralBackground3,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    margin: 0,
  },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  note: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

/**
 * The item's raw JSON as the store keeps it, byte for byte (`rawText`), not
 * `raw` re-serialised: parsing loses digits past 2^53 and duplicate keys. The
 * formatted view only re-indents that text (shared/domain/reindent-json.ts) and says it is a
 * re-rendering.
 */
export function RawText(props: { detail: ItemDetail }) {
  const styles = useStyles();
  const [formatted, setFormatted] = useState(false);
  const text = useMemo(() => (formatted ? reindentJson(props.detail.rawText) : props.detail.rawText), [formatted, props.detail.rawText]);
  return (
    <div className={styles.note}>
      <Text size={200} block>
        Kept verbatim as the source gave it. SHA-256 recorded at import: <span className={styles.mono}>{props.detail.rawSha256}</span>
      </Text>
      <Switch checked={formatted} onChange={(_, d) => setFormatted(d.checked)} label="Formatted" data-testid="item-raw-formatted" />
      <Text size={200} block data-testid="item-raw-mode">
        {formatted ? 'A re-rendering: line breaks and indentation added for reading; every value as written. Switch off for the stored text.' : 'The exact text kept in the store.'}
      </Text>
      <pre className={styles.pre} data-testid="item-raw">
        {text}
      </pre>
    </div>
  );
}
