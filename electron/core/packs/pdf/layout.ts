/**
 * Page layout on top of pdfkit: a cursor, page breaks, headings (with PDF
 * outline entries), paragraphs, key/value blocks and tables whose header
 * repeats on each page. Header, footer and page numbers are drawn at the end
 * over the buffered pages.
 */
import { Typesetter, type Weight } from './typeset.ts';

export const COLORS = {
  ink: '#222222',
  muted: '#666666',
  faint: '#999999',
  rule: '#D0D5DD',
  zebra: '#F4F6F8',
  heading: '#1F3A5F',
  accent: '#2F6DB5',
  ok: '#2F9E44',
  bad: '#C92A2A',
  warn: '#E67700',
} as const;

export const SEVERITY_COLORS: Record<string, string> = {
  critical: '#8B0000',
  high: '#D9480F',
  medium: '#E8A200',
  low: '#1971C2',
  info: '#868E96',
};

export const GROUP_COLORS: Record<string, string> = {
  Protected: '#2F9E44',
  'Initial backup pending': '#74C0FC',
  Stopped: '#F59F00',
  Error: '#E03131',
  'Soft-deleted': '#868E96',
  Other: '#CED4DA',
};

export type Column = {
  header: string;
  /** Relative width (shares of the table width). */
  width: number;
  /** At least this many points (dates, amounts): taken from the other columns. */
  minPt?: number;
  align?: 'left' | 'right';
  /** Lines a cell may wrap to (default 1: cut with an ellipsis). */
  maxLines?: number;
  weight?: Weight;
};

export type Cell = string | { text: string; color?: string; weight?: Weight; fill?: string; link?: string };

/** Relative widths to points, honouring each column's minimum. */
export function columnWidths(columns: Column[], total: number): number[] {
  const fixed = new Set<number>();
  let widths: number[] = [];
  for (let pass = 0; pass < columns.length; pass++) {
    const freeShare = columns.reduce((s, c, i) => (fixed.has(i) ? s : s + c.width), 0);
    const fixedPt = columns.reduce((s, c, i) => (fixed.has(i) ? s + (c.minPt ?? 0) : s), 0);
    widths = columns.map((c, i) => (fixed.has(i) ? (c.minPt ?? 0) : (c.width / freeShare) * (total - fixedPt)));
    const short = columns.findIndex((c, i) => !fixed.has(i) && c.minPt !== undefined && widths[i]! < c.minPt);
    if (short < 0) break;
    fixed.add(short);
  }
  return widths;
}

const MARGIN = { top: 62, bottom: 58, left: 48, right: 48 };

export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  readonly ts: Typesetter;
  y = MARGIN.top;
  readonly left = MARGIN.left;
  right: number;
  readonly top = MARGIN.top;
  bottom: number;
  private layout: 'portrait' | 'landscape' = 'portrait';
  private outlineSection: PDFKit.PDFOutline | null = null;

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc;
    this.ts = new Typesetter(doc);
    this.right = doc.page.width - MARGIN.right;
    this.bottom = doc.page.height - MARGIN.bottom;
  }

  get width(): number {
    return this.right - this.left;
  }

  /** A new page in the current orientation, or switches orientation from here on. */
  newPage(layout: 'portrait' | 'landscape' = this.layout): void {
    this.layout = layout;
    this.doc.addPage({ size: 'A4', layout, margins: MARGIN });
    this.right = this.doc.page.width - MARGIN.right;
    this.bottom = this.doc.page.height - MARGIN.bottom;
    this.y = this.top;
  }

  /** Starts a new page unless `h` points still fit. */
  ensure(h: number): void {
    if (this.y + h > this.bottom) this.newPage();
  }

  space(h: number): void {
    this.y += h;
  }

  /**
   * A section title with an outline entry. It starts a new page when asked,
   * or when less than a third of the page is left.
   */
  section(title: string, opts: { newPage?: boolean; layout?: 'portrait' | 'landscape' } = {}): void {
    if (opts.layout && opts.layout !== this.layout) this.newPage(opts.layout);
    else if (opts.newPage || this.y > this.top + (this.bottom - this.top) * 0.66) this.newPage();
    else if (this.y > this.top) this.y += 18;
    this.ts.line(title, this.left, this.y, { weight: 'bold', size: 17, color: COLORS.heading });
    this.outlineSection = this.doc.outline.addItem(title);
    this.y += 24;
    this.doc.moveTo(this.left, this.y).lineTo(this.right, this.y).lineWidth(1.2).strokeColor(COLORS.heading).stroke();
    this.y += 12;
  }

  subheading(title: string): void {
    this.ensure(44);
    this.y += 4;
    this.ts.line(title, this.left, this.y, { weight: 'bold', size: 12, color: COLORS.heading });
    this.outlineSection?.addItem(title);
    this.y += 19;
  }

  paragraph(text: string, o: { size?: number; color?: string; weight?: Weight; indent?: number; gap?: number } = {}): void {
    const size = o.size ?? 9.5;
    const lh = size * 1.38;
    const x = this.left + (o.indent ?? 0);
    for (const line of this.ts.wrap(text, this.right - x, o.weight ?? 'regular', size)) {
      this.ensure(lh);
      this.ts.line(line, x, this.y, { size, color: o.color ?? COLORS.ink, weight: o.weight ?? 'regular' });
      this.y += lh;
    }
    this.y += o.gap ?? 5;
  }

  note(text: string): void {
    this.paragraph(text, { size: 8.5, color: COLORS.muted });
  }

  /** Label / value rows; values wrap. */
  keyValues(rows: Array<[string, string]>, o: { labelWidth?: number; size?: number } = {}): void {
    const size = o.size ?? 9.5;
    const lw = o.labelWidth ?? 150;
    const lh = size * 1.4;
    for (const [label, value] of rows) {
      const lines = this.ts.wrap(value, this.width - lw, 'regular', size, 6);
      this.ensure(lines.length * lh);
      this.ts.line(label, this.left, this.y, { size, color: COLORS.muted });
      for (const l of lines) {
        this.ts.line(l, this.left + lw, this.y, { size });
        this.y += lh;
      }
      this.y += 1.5;
    }
    this.y += 6;
  }

  /**
   * A table. Rows are consumed lazily, so a long iterable never sits in memory.
   * Returns the number of rows drawn.
   */
  table(columns: Column[], rows: Iterable<Cell[]>, o: { size?: number; zebra?: boolean; empty?: string } = {}): number {
    const size = o.size ?? 8;
    const pad = 3;
    const lh = size * 1.3;
    const widths = columnWidths(columns, this.width);
    const xs: number[] = [];
    let acc = this.left;
    for (const w of widths) {
      xs.push(acc);
      acc += w;
    }
    const drawHeader = (): void => {
      const h = lh + pad * 2;
      this.doc.rect(this.left, this.y, this.width, h).fill(COLORS.heading);
      columns.forEach((c, i) => {
        const text = this.ts.fit(c.header, widths[i]! - pad * 2, 'bold', size);
        const tx = c.align === 'right' ? xs[i]! + widths[i]! - pad - this.ts.width(text, 'bold', size) : xs[i]! + pad;
        this.ts.line(text, tx, this.y + pad, { weight: 'bold', size, color: '#FFFFFF' });
      });
      this.y += h;
    };
    this.ensure(lh * 3 + pad * 4);
    drawHeader();
    let n = 0;
    for (const row of rows) {
      const cells = row.map((c) => (typeof c === 'string' ? { text: c } : c));
      const lines = cells.map((c, i) => {
        const col = columns[i]!;
        const w = widths[i]! - pad * 2;
        const text = Typesetter.clean(c.text ?? '');
        const wt = c.weight ?? col.weight ?? 'regular';
        return (col.maxLines ?? 1) > 1 ? this.ts.wrap(c.text ?? '', w, wt, size, col.maxLines) : [this.ts.fit(text, w, wt, size)];
      });
      const h = Math.max(1, ...lines.map((l) => l.length)) * lh + pad * 2;
      if (this.y + h > this.bottom) {
        this.newPage();
        drawHeader();
      }
      if (o.zebra !== false && n % 2 === 1) this.doc.rect(this.left, this.y, this.width, h).fill(COLORS.zebra);
      cells.forEach((c, i) => {
        if (c.fill) this.doc.rect(xs[i]!, this.y, widths[i]!, h).fill(c.fill);
        const col = columns[i]!;
        const wt = c.weight ?? col.weight ?? 'regular';
        lines[i]!.forEach((l, li) => {
          const tx = col.align === 'right' ? xs[i]! + widths[i]! - pad - this.ts.width(l, wt, size) : xs[i]! + pad;
          this.ts.line(l, tx, this.y + pad + li * lh, { size, weight: wt, color: c.color ?? COLORS.ink, ...(c.link ? { link: c.link } : {}) });
        });
      });
      this.y += h;
      n++;
    }
    if (n === 0) {
      this.ts.line(o.empty ?? 'None.', this.left + pad, this.y + pad, { size, color: COLORS.muted });
      this.y += lh + pad * 2;
    }
    this.doc.moveTo(this.left, this.y).lineTo(this.right, this.y).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
    this.y += 10;
    return n;
  }

  /** Header (pack id) and footer (page x of y) on every page, drawn last. */
  finishPages(header: string, footerLeft: string): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const w = this.doc.page.width;
      const h = this.doc.page.height;
      const width = w - MARGIN.left - MARGIN.right;
      this.ts.line(this.ts.fit(header, width, 'regular', 7.5), this.left, 30, { size: 7.5, color: COLORS.muted });
      this.doc.moveTo(this.left, 42).lineTo(w - MARGIN.right, 42).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
      this.doc.moveTo(this.left, h - 44).lineTo(w - MARGIN.right, h - 44).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
      this.ts.line(this.ts.fit(footerLeft, width - 90, 'regular', 7.5), this.left, h - 38, { size: 7.5, color: COLORS.muted });
      const pageText = `Page ${i - range.start + 1} of ${range.count}`;
      this.ts.line(pageText, w - MARGIN.right - this.ts.width(pageText, 'regular', 7.5), h - 38, { size: 7.5, color: COLORS.muted });
    }
  }
}
