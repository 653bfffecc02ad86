import type { ReactNode } from 'react';
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';

export type PillColor = 'success' | 'warning' | 'danger' | 'informative' | 'subtle';

/**
 * A status label for grid cells. Looks like Fluent's tint Badge but is one
 * plain span: the grid draws dozens of them on every scroll frame and
 * keystroke, where the full Badge component costs noticeably more.
 */
const useStyles = makeStyles({
  pill: {
    display: 'inline-block',
    padding: '0 6px',
    borderRadius: tokens.borderRadiusCircular,
    fontSize: tokens.fontSizeBase100,
    lineHeight: '16px',
    fontWeight: tokens.fontWeightSemibold,
    whiteSpace: 'nowrap',
  },
  success: { backgroundColor: tokens.colorPaletteGreenBackground1, color: tokens.colorPaletteGreenForeground1, border: `1px solid ${tokens.colorPaletteGreenBorder1}` },
  warning: { backgroundColor: tokens.colorPaletteYellowBackground1, color: tokens.colorPaletteYellowForeground2, border: `1px solid ${tokens.colorPaletteYellowBorder1}` },
  danger: { backgroundColor: tokens.colorPaletteRedBackground1, color: tokens.colorPaletteRedForeground1, border: `1px solid ${tokens.colorPaletteRedBorder1}` },
  informative: { backgroundColor: tokens.colorNeutralBackground4, color: tokens.colorNeutralForeground3, border: `1px solid ${tokens.colorNeutralStroke2}` },
  subtle: { backgroundColor: tokens.colorNeutralBackground3, color: tokens.colorNeutralForeground2, border: `1px solid ${tokens.colorNeutralStroke2}` },
});

export function Pill(props: { color: PillColor; children: ReactNode }) {
  const styles = useStyles();
  return <span className={mergeClasses(styles.pill, styles[props.color])}>{props.children}</span>;
}
