/**
 * Vector charts drawn with pdfkit paths: they stay sharp at any zoom and
 * their labels remain text (searchable, copyable).
 */
import { COLORS, type PdfWriter } from './layout.ts';

export type StackedRow = { label: string; segments: Array<{ key: string; value: number }> };

function legend(w: PdfWriter, keys: Array<{ key: string; color: string }>): void {
  let x = w.left;
  w.ensure(16);
  for (const k of keys) {
    const tw = w.ts.width(k.key, 'regular', 8);
    if (x + tw + 22 > w.right) {
      x = w.left;
      w.y += 13;
    }
    w.doc.rect(x, w.y + 1, 8, 8).fill(k.color);
    w.ts.line(k.key, x + 11, w.y, { size: 8, color: COLORS.muted });
    x += tw + 24;
  }
  w.y += 18;
}

/** Horizontal stacked bars (one per row), scaled to the largest row total. */
export function stackedBars(w: PdfWriter, title: string, rows: StackedRow[], colors: Record<string, string>, o: { valueText?: (total: number) => string } = {}): void {
  const barH = 13;
  const gap = 6;
  const labelW = 130;
  const valueW = 60;
  w.ensure(30 + Math.min(rows.length, 12) * (barH + gap) + 30);
  w.ts.line(title, w.left, w.y, { weight: 'bold', size: 10, color: COLORS.heading });
  w.y += 17;
  const keys = [...new Set(rows.flatMap((r) => r.segments.filter((s) => s.value > 0).map((s) => s.key)))];
  legend(w, keys.map((k) => ({ key: k, color: colors[k] ?? COLORS.faint })));
  const max = Math.max(1, ...rows.map((r) => r.segments.reduce((s, x) => s + x.value, 0)));
  const area = w.width - labelW - valueW;
  for (const r of rows) {
    w.ensure(barH + gap);
    w.ts.line(w.ts.fit(r.label, labelW - 8, 'regular', 8), w.left, w.y + 2, { size: 8 });
    let x = w.left + labelW;
    let total = 0;
    for (const s of r.segments) {
      if (s.value <= 0) continue;
      const bw = (s.value / max) * area;
      w.doc.rect(x, w.y, Math.max(bw, 0.5), barH).fill(colors[s.key] ?? COLORS.faint);
      x += bw;
      total += s.value;
    }
    w.ts.line(o.valueText ? o.valueText(total) : String(total), x + 4, w.y + 2, { size: 8, color: COLORS.muted });
    w.y += barH + gap;
  }
  w.y += 8;
}

/** Two bars per row (before and after), for cost by vault. */
export function pairedBars(
  w: PdfWriter,
  title: string,
  rows: Array<{ label: string; before: number | null; after: number | null }>,
  o: { beforeLabel: string; afterLabel: string; valueText: (v: number) => string },
): void {
  const barH = 7;
  const gap = 7;
  const labelW = 130;
  const valueW = 80;
  w.ensure(40 + Math.min(rows.length, 8) * (barH * 2 + gap));
  w.ts.line(title, w.left, w.y, { weight: 'bold', size: 10, color: COLORS.heading });
  w.y += 17;
  const colors = { before: '#ADB5BD', after: COLORS.accent };
  legend(w, [
    { key: o.beforeLabel, color: colors.before },
    { key: o.afterLabel, color: colors.after },
  ]);
  const max = Math.max(0.01, ...rows.flatMap((r) => [r.before ?? 0, r.after ?? 0]));
  const area = w.width - labelW - valueW;
  for (const r of rows) {
    w.ensure(barH * 2 + gap);
    w.ts.line(w.ts.fit(r.label, labelW - 8, 'regular', 8), w.left, w.y + 3, { size: 8 });
    const draw = (v: number | null, y: number, color: string): void => {
      const x = w.left + labelW;
      if (v === null) {
        w.ts.line('n/a', x, y - 1, { size: 6.5, color: COLORS.faint });
        return;
      }
      const bw = (v / max) * area;
      w.doc.rect(x, y, Math.max(bw, 0.5), barH).fill(color);
      w.ts.line(o.valueText(v), x + bw + 4, y - 0.5, { size: 6.5, color: COLORS.muted });
    };
    draw(r.before, w.y, colors.before);
    draw(r.after, w.y + barH, colors.after);
    w.y += barH * 2 + gap;
  }
  w.y += 8;
}

/** Simple single bars with their own colours (findings by severity). */
export function bars(w: PdfWriter, title: string, rows: Array<{ label: string; value: number; color: string }>): void {
  stackedBars(
    w,
    title,
    rows.map((r) => ({ label: r.label, segments: [{ key: r.label, value: r.value }] })),
    Object.fromEntries(rows.map((r) => [r.label, r.color])),
  );
}

/** A row of figure boxes (executive summary). */
export function figures(w: PdfWriter, items: Array<{ label: string; value: string; sub?: string; color?: string }>): void {
  const gap = 10;
  const perRow = Math.min(4, items.length);
  const bw = (w.width - gap * (perRow - 1)) / perRow;
  const bh = 58;
  for (let i = 0; i < items.length; i += perRow) {
    w.ensure(bh + gap);
    items.slice(i, i + perRow).forEach((it, j) => {
      const x = w.left + j * (bw + gap);
      w.doc.roundedRect(x, w.y, bw, bh, 4).lineWidth(0.8).strokeColor(COLORS.rule).stroke();
      w.ts.line(w.ts.fit(it.label, bw - 16, 'regular', 8), x + 8, w.y + 7, { size: 8, color: COLORS.muted });
      w.ts.line(w.ts.fit(it.value, bw - 16, 'bold', 16), x + 8, w.y + 20, { size: 16, weight: 'bold', color: it.color ?? COLORS.heading });
      if (it.sub) w.ts.line(w.ts.fit(it.sub, bw - 16, 'regular', 7.5), x + 8, w.y + 42, { size: 7.5, color: COLORS.muted });
    });
    w.y += bh + gap;
  }
  w.y += 4;
}
