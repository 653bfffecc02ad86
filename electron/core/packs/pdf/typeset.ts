/**
 * Text on the page with font fallback. DejaVu Sans covers Latin, accented
 * letters and symbols; Droid Sans Fallback covers CJK. pdfkit draws one font
 * per call, so a string is split into runs by which font has each glyph, and
 * we measure, wrap and truncate ourselves (pdfkit's wrapper knows one font).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { shownInReport } from '../../terminal-text.ts';

export type Weight = 'regular' | 'bold';
type FontName = 'regular' | 'bold' | 'cjk';

type GlyphFont = { hasGlyphForCodePoint(cp: number): boolean };

export const fontsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../assets/fonts');

const fontFiles: Record<FontName, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  cjk: 'DroidSansFallbackFull.ttf',
};

let fontBytes: Record<FontName, Buffer> | null = null;

function loadFonts(): Record<FontName, Buffer> {
  if (!fontBytes) {
    const read = (f: string): Buffer => {
      try {
        return fs.readFileSync(path.join(fontsDir, f));
      } catch (e) {
        throw new Error(`font ${f} is missing from ${fontsDir} (${(e as Error).message})`);
      }
    };
    fontBytes = { regular: read(fontFiles.regular), bold: read(fontFiles.bold), cjk: read(fontFiles.cjk) };
  }
  return fontBytes;
}

type Glyph = { id: number; advanceWidth: number; codePoints: number[] };
type Position = { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number; advanceWidth: number };
type Run = { glyphs: Glyph[]; positions: Position[]; advanceWidth: number };
type EmbeddedFont = {
  font: GlyphFont & { glyphForCodePoint(cp: number): Glyph };
  scale: number;
  layoutRun(text: string, features?: unknown): Run;
  fastLayout?: boolean;
};

/** Scripts drawn glyph by glyph without shaping: Latin, Greek, Cyrillic, symbols, CJK, Hangul. */
// eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose: every Basic Latin code point
const NO_SHAPING = /^[\u0000-\u058f\u1e00-\u1fff\u2000-\u2bff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]*$/;

/**
 * pdfkit lays out every new word with fontkit's full OpenType shaping
 * (~0.7 ms a word with DejaVu's tables): a 1,000-row table took seconds. For
 * scripts that need no shaping we map code points to glyphs ourselves
 * (cached), giving up only kerning; other scripts (Arabic, Indic…) still go
 * through fontkit. The run has the shape pdfkit's EmbeddedFont.layoutRun returns.
 */
function useFastLayout(f: EmbeddedFont): void {
  if (f.fastLayout) return;
  f.fastLayout = true;
  const shaped = f.layoutRun.bind(f);
  const cache = new Map<number, { glyph: Glyph; adv: number }>();
  f.layoutRun = (text, features) => {
    if (features || !NO_SHAPING.test(text)) return shaped(text, features);
    const glyphs: Glyph[] = [];
    const positions: Position[] = [];
    let total = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let g = cache.get(cp);
      if (!g) {
        const glyph = f.font.glyphForCodePoint(cp);
        g = { glyph, adv: glyph.advanceWidth * f.scale };
        cache.set(cp, g);
      }
      glyphs.push(g.glyph);
      positions.push({ xAdvance: g.adv, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: g.adv });
      total += g.adv;
    }
    return { glyphs, positions, advanceWidth: total };
  };
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what we replace
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const PLAIN = /^[\u0020-\u007e]*$/;

export class Typesetter {
  readonly doc: PDFKit.PDFDocument;
  private readonly glyphs: Record<FontName, GlyphFont>;
  private readonly fontOfCp = new Map<number, FontName>();

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc;
    const bytes = loadFonts();
    for (const name of Object.keys(bytes) as FontName[]) doc.registerFont(name, bytes[name]);
    const glyphFont = (name: FontName): GlyphFont => {
      doc.font(name);
      // pdfkit keeps the fontkit font on the embedded font object; it is the only way to ask for coverage.
      const embedded = (doc as unknown as { _font: EmbeddedFont })._font;
      useFastLayout(embedded);
      return embedded.font;
    };
    this.glyphs = { regular: glyphFont('regular'), bold: glyphFont('bold'), cjk: glyphFont('cjk') };
    doc.font('regular');
  }

  /** Replaces control characters (tab, CR, LF, NUL…) with spaces: table cells are one logical line. */
  static clean(text: string): string {
    return shownInReport(text).replace(CONTROL, ' ');
  }

  private pick(cp: number, weight: Weight): FontName {
    const cacheKey = weight === 'bold' ? -cp - 1 : cp;
    let f = this.fontOfCp.get(cacheKey);
    if (f === undefined) {
      if (this.glyphs[weight].hasGlyphForCodePoint(cp)) f = weight;
      else if (this.glyphs.cjk.hasGlyphForCodePoint(cp)) f = 'cjk';
      else f = weight; // .notdef box: at least the reader sees something is there
      this.fontOfCp.set(cacheKey, f);
    }
    return f;
  }

  runs(text: string, weight: Weight): Array<{ font: FontName; text: string }> {
    if (PLAIN.test(text)) return text ? [{ font: weight, text }] : [];
    const out: Array<{ font: FontName; text: string }> = [];
    for (const ch of text) {
      const f = this.pick(ch.codePointAt(0)!, weight);
      const last = out[out.length - 1];
      if (last && last.font === f) last.text += ch;
      else out.push({ font: f, text: ch });
    }
    return out;
  }

  width(text: string, weight: Weight, size: number): number {
    let w = 0;
    for (const r of this.runs(text, weight)) w += this.doc.font(r.font).fontSize(size).widthOfString(r.text);
    return w;
  }

  /** Draws one line with its top at y (no wrapping). Returns the width drawn. */
  line(text: string, x: number, y: number, o: { weight?: Weight; size: number; color?: string; link?: string }): number {
    const weight = o.weight ?? 'regular';
    let cx = x;
    const baseline = y + o.size * 0.93;
    this.doc.fillColor(o.color ?? '#222222');
    for (const r of this.runs(text, weight)) {
      this.doc.font(r.font).fontSize(o.size);
      const w = this.doc.widthOfString(r.text);
      this.doc.text(r.text, cx, baseline, { lineBreak: false, baseline: 'alphabetic', ...(o.link ? { link: o.link, underline: false } : {}) });
      cx += w;
    }
    return cx - x;
  }

  /** The text cut to fit `width`, with an ellipsis when cut. */
  fit(text: string, width: number, weight: Weight, size: number): string {
    if (this.width(text, weight, size) <= width) return text;
    const cps = [...text];
    let lo = 0;
    let hi = cps.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.width(`${cps.slice(0, mid).join('')}…`, weight, size) <= width) lo = mid;
      else hi = mid - 1;
    }
    return `${cps.slice(0, lo).join('').trimEnd()}…`;
  }

  /**
   * Greedy word wrap; words longer than a line (ids, CJK text without spaces)
   * break between characters. At most `maxLines`; the last one gets an ellipsis if cut.
   */
  wrap(text: string, width: number, weight: Weight, size: number, maxLines = Infinity): string[] {
    const clean = text.replace(/\r\n?/g, '\n');
    const lines: string[] = [];
    for (const para of clean.split('\n')) {
      const tokens = Typesetter.clean(para).match(/\s+|[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]+/g) ?? [''];
      let cur = '';
      for (const tok of tokens) {
        const next = cur + tok;
        if (this.width(next.trimEnd(), weight, size) <= width) {
          cur = next;
          continue;
        }
        if (cur.trim() !== '') lines.push(cur.trimEnd());
        cur = /^\s+$/.test(tok) ? '' : tok;
        // A single token wider than the line: split it by characters.
        while (this.width(cur, weight, size) > width) {
          const cps = [...cur];
          let n = cps.length - 1;
          while (n > 1 && this.width(cps.slice(0, n).join(''), weight, size) > width) n = Math.max(1, Math.floor(n * 0.8));
          while (n + 1 < cps.length && this.width(cps.slice(0, n + 1).join(''), weight, size) <= width) n++;
          // Prefer to break ids and rule names after a separator rather than mid-word.
          for (let j = n - 1; j > n / 3; j--) {
            if ('-/;,_.:'.includes(cps[j]!)) {
              n = j + 1;
              break;
            }
          }
          lines.push(cps.slice(0, n).join(''));
          cur = cps.slice(n).join('');
        }
      }
      lines.push(cur.trimEnd());
    }
    if (lines.length > maxLines) {
      const kept = lines.slice(0, maxLines);
      kept[maxLines - 1] = this.fit(`${kept[maxLines - 1]} ${lines[maxLines]}`, width, weight, size);
      if (!kept[maxLines - 1]!.endsWith('…')) kept[maxLines - 1] = `${kept[maxLines - 1]}…`;
      return kept;
    }
    return lines;
  }
}
