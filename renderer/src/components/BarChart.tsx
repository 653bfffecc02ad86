import { Text, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  legend: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'center', marginBottom: tokens.spacingVerticalXS },
  swatch: { display: 'inline-block', width: '12px', height: '12px', borderRadius: '2px', marginRight: '6px', verticalAlign: 'middle' },
  svg: { display: 'block', width: '100%', overflow: 'visible' },
});

export type BarSeries = { name: string; color: string };
/** `labels` (optional) replace the formatted values, e.g. "≥ $12.00" where part of a bar is unknown. */
export type BarRow = { label: string; values: Array<number | null>; labels?: string[] };

/**
 * Horizontal grouped bars (one bar per series for each row), drawn as SVG
 * with theme colours: no chart library, no canvas, works under the CSP.
 */
export function BarChart(props: { series: BarSeries[]; rows: BarRow[]; format: (n: number) => string; testId?: string; ariaLabel: string }) {
  const styles = useStyles();
  const labelW = 220;
  const valueW = 110;
  const barH = 14;
  const gap = 4;
  const groupGap = 10;
  const width = 900;
  const plotW = width - labelW - valueW;
  const max = Math.max(1, ...props.rows.flatMap((r) => r.values.map((v) => v ?? 0)));
  const groupH = props.series.length * (barH + gap) - gap;
  const height = props.rows.length * (groupH + groupGap);
  return (
    <div data-testid={props.testId}>
      <div className={styles.legend}>
        {props.series.map((s) => (
          <Text key={s.name} size={200}>
            <span className={styles.swatch} style={{ backgroundColor: s.color }} />
            {s.name}
          </Text>
        ))}
      </div>
      <svg className={styles.svg} viewBox={`0 0 ${width} ${Math.max(height, 20)}`} role="img" aria-label={props.ariaLabel}>
        {props.rows.map((r, i) => {
          const y0 = i * (groupH + groupGap);
          return (
            <g key={`${r.label}-${i}`}>
              <text x={labelW - 8} y={y0 + groupH / 2 + 4} textAnchor="end" fontSize="12" style={{ fill: tokens.colorNeutralForeground1 }}>
                {r.label.length > 32 ? `${r.label.slice(0, 31)}…` : r.label}
                <title>{r.label}</title>
              </text>
              {r.values.map((v, j) => {
                const y = y0 + j * (barH + gap);
                const w = v === null ? 0 : Math.max(v > 0 ? 1 : 0, (v / max) * plotW);
                return (
                  <g key={j}>
                    <rect x={labelW} y={y} width={w} height={barH} rx={2} style={{ fill: props.series[j]?.color ?? tokens.colorBrandBackground }} />
                    <text x={labelW + w + 6} y={y + barH - 3} fontSize="11" style={{ fill: tokens.colorNeutralForeground2 }}>
                      {r.labels?.[j] ?? (v === null ? 'n/a' : props.format(v))}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
