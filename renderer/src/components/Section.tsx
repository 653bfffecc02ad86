import type { ReactNode } from 'react';
import { Text, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', marginBottom: tokens.spacingVerticalM },
  title: { flexGrow: 1 },
  h1: { margin: 0, ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '2px' } },
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusLarge,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    marginBottom: tokens.spacingVerticalM,
  },
});

export function ViewHeader(props: { title: string; subtitle?: ReactNode; children?: ReactNode; compact?: boolean }) {
  const styles = useStyles();
  return (
    <div className={styles.header} style={props.compact ? { flexWrap: 'nowrap' } : undefined}>
      <div className={props.compact ? undefined : styles.title}>
        {/* tabIndex -1: a view switch from the keyboard moves focus here, not to <body>. */}
        <Text as="h1" size={600} weight="semibold" block tabIndex={-1} data-testid="view-heading" className={styles.h1}>
          {props.title}
        </Text>
        {props.subtitle ? (
          <Text size={200} block>
            {props.subtitle}
          </Text>
        ) : null}
      </div>
      {props.children}
    </div>
  );
}

export function Section(props: { title?: ReactNode; children: ReactNode; testId?: string; actions?: ReactNode }) {
  const styles = useStyles();
  return (
    <section className={styles.section} data-testid={props.testId}>
      {props.title || props.actions ? (
        <div className={styles.header} style={{ marginBottom: 0 }}>
          <Text as="h2" size={400} weight="semibold" className={styles.title}>
            {props.title}
          </Text>
          {props.actions}
        </div>
      ) : null}
      {props.children}
    </section>
  );
}
