import { useId, useRef } from 'react';
import { Button, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { CalendarRegular } from '@fluentui/react-icons';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'center' },
  // The native date input only supplies the calendar popup; it stays out of sight and out of the tab order.
  native: { position: 'absolute', width: '1px', height: '1px', opacity: 0, pointerEvents: 'none', border: 0, padding: 0 },
});

type Order = Array<'day' | 'month' | 'year'>;

/** The order of day, month and year in the user's locale ("31/12/2026" in en-GB, "12/31/2026" in en-US). */
export function localeDateOrder(locale?: string): Order {
  const parts = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(Date.UTC(2026, 11, 31, 12)));
  return parts.filter((p) => p.type === 'day' || p.type === 'month' || p.type === 'year').map((p) => p.type as 'day' | 'month' | 'year');
}

/** How the locale writes 31 December 2026 (shown as the example to follow). */
export function localeExample(locale?: string): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 11, 31, 12)));
}

function validDay(y: number, m: number, d: number): string | null {
  if (!(y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A calendar day typed as ISO (2026-12-31) or in the locale's order (31/12/2026, 31.12.2026); null when it is neither or no such day. */
export function parseDay(text: string, locale?: string): string | null {
  const s = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (iso) return validDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const m = /^(\d{1,4})[/.\-\s]+(\d{1,2})[/.\-\s]+(\d{1,4})\.?$/.exec(s);
  if (!m) return null;
  const order = localeDateOrder(locale);
  const v: Record<string, number> = {};
  order.forEach((part, i) => (v[part] = Number(m[i + 1])));
  return validDay(v.year!, v.month!, v.day!);
}

/** "Thursday, 31 December 2026" in the user's locale, for the line under the field. */
export function dayInWords(iso: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`));
}

/**
 * A day typed in the locale's format or as ISO, with a calendar button.
 * `value` is what the user typed; the parent reads the day with parseDay.
 */
export function DateField(props: { label: string; value: string; onChange: (text: string) => void; required?: boolean; hint?: string; testId: string; min?: string; max?: string }) {
  const styles = useStyles();
  const native = useRef<HTMLInputElement>(null);
  const id = useId();
  const day = props.value.trim() ? parseDay(props.value) : null;
  const bad = props.value.trim() !== '' && day === null;
  const example = localeExample();
  const message = bad ? `Not a day: write it as ${example} or 2026-12-31.` : day ? `${dayInWords(day)}${props.hint ? ` — ${props.hint}` : ''}` : props.required ? `Required: ${example} or 2026-12-31.` : undefined;
  return (
    <Field label={props.label} required={props.required} validationState={bad ? 'error' : 'none'} validationMessage={message} validationMessageIcon={bad ? undefined : null}>
      <div className={styles.row}>
        <Input id={id} style={{ flexGrow: 1 }} value={props.value} onChange={(_, d) => props.onChange(d.value)} placeholder={example} data-testid={props.testId} aria-invalid={bad} />
        <Button
          icon={<CalendarRegular />}
          aria-label={`Pick ${props.label.toLowerCase()} from a calendar`}
          onClick={() => {
            const el = native.current;
            if (!el) return;
            el.value = day ?? '';
            try {
              el.showPicker();
            } catch {
              el.focus();
            }
          }}
          data-testid={`${props.testId}-calendar`}
        />
        <input
          ref={native}
          type="date"
          tabIndex={-1}
          aria-hidden
          className={styles.native}
          min={props.min}
          max={props.max}
          onChange={(e) => e.target.value && props.onChange(e.target.value)}
          data-testid={`${props.testId}-native`}
        />
      </div>
    </Field>
  );
}
