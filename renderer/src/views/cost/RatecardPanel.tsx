import { useState } from 'react';
import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useQuery } from '../../api.ts';
import { shortHash } from '../../format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Section } from '../../components/Section.tsx';

const useStyles = makeStyles({
  pre: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, whiteSpace: 'pre-wrap', backgroundColor: tokens.colorNeutralBackground3, padding: tokens.spacingHorizontalS, borderRadius: tokens.borderRadiusMedium, maxHeight: '360px', overflow: 'auto', margin: 0 },
});

/** The bundled rate card: what every price above comes from. */
export function RatecardPanel() {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const card = useQuery('ratecards.default', open ? {} : null);
  return (
    <Section title="Rate card" testId="ratecard-panel" actions={<Button onClick={() => setOpen((o) => !o)}>{open ? 'Hide' : 'Show the rate card'}</Button>}>
      <Text size={200}>Prices are offline and versioned; the card's hash is recorded in every cost report and pack. A pack can use another card file.</Text>
      <ErrorNotice error={card.error} onRetry={card.reload} />
      {card.data ? (
        <>
          <Text>
            From {card.data.source}, hash {shortHash(card.data.hash, 16)}.
          </Text>
          {/* Focusable so the keyboard can scroll it. */}
          <pre className={styles.pre} tabIndex={0} aria-label="Rate card JSON">{JSON.stringify(card.data.ratecard, null, 2)}</pre>
        </>
      ) : null}
    </Section>
  );
}
