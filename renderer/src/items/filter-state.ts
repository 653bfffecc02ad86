/**
 * The Items view's filter state as text a reviewer can paste into a working
 * paper, a ticket or a chat, and paste back: the same words as a link
 * (`…#items?…`, which opens the view with it) or alone (`items?…`).
 *
 *   items?snapshot=<id>&protectionState=Protected,IRPending&owner=,Ana%20Auditor&noSuccess=48h&q=sql
 *
 * One `field=value,value` pair per filter, values URI-encoded (so a comma in a
 * value stays inside it); an empty value is "(none)" ("(no owner)" for owner).
 * The snapshot is named by its full id, so the link means the same evidence
 * wherever it is opened.
 */
import type { FilterField, Filters } from './ItemFilters.tsx';
import { parseHours } from '../../../shared/domain/last-success.ts';

export { parseHours };

export type ItemsFilterState = {
  snapshot?: string;
  filters: Filters;
  search: string;
  /** "No successful backup in the last N hours" (shared/domain/last-success.ts), undefined for no such filter. */
  noSuccessHours?: number;
};

const filterFields: readonly FilterField[] = [
  'protectionState',
  'healthStatus',
  'workloadType',
  'owner',
  'vaultName',
  'subscriptionId',
  'finding',
  'softDeleted',
  'lastBackupStatus',
  'resourceGroup',
  'policyName',
  'backupManagementType',
];

/** 48 → "48h", 168 → "7d": the unit a person would have typed. */
export function hoursText(hours: number): string {
  return hours >= 72 && hours % 24 === 0 ? `${hours / 24}d` : `${hours}h`;
}

export function encodeFilterState(s: ItemsFilterState): string {
  const parts: string[] = [];
  if (s.snapshot) parts.push(`snapshot=${encodeURIComponent(s.snapshot)}`);
  for (const f of filterFields) {
    const values = s.filters[f];
    if (values && values.length > 0) parts.push(`${f}=${values.map(encodeURIComponent).join(',')}`);
  }
  if (s.noSuccessHours !== undefined) parts.push(`noSuccess=${hoursText(s.noSuccessHours)}`);
  if (s.search.trim()) parts.push(`q=${encodeURIComponent(s.search.trim())}`);
  return `items?${parts.join('&')}`;
}

/** The state in a pasted link or string; throws an Error whose message says what is wrong, in words. */
export function decodeFilterState(text: string): ItemsFilterState {
  const t = text.trim();
  const at = t.indexOf('items?');
  if (at < 0) throw new Error('This is not a Vaultproof filter: it should contain "items?" (copy one with "Share filter").');
  const out: ItemsFilterState = { filters: {}, search: '' };
  const query = t.slice(at + 'items?'.length);
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const raw = eq < 0 ? '' : pair.slice(eq + 1);
    let values: string[];
    try {
      values = raw.split(',').map((v) => decodeURIComponent(v));
    } catch {
      throw new Error(`The filter's "${key}" value is damaged (a broken %-escape); copy the filter again.`);
    }
    if (key === 'snapshot') out.snapshot = values.join(',');
    else if (key === 'q') out.search = values.join(',');
    else if (key === 'noSuccess') {
      const h = parseHours(values.join(','));
      if (h === null) throw new Error(`"noSuccess=${raw}" is not a duration: write it as 48h or 7d.`);
      out.noSuccessHours = h;
    } else if ((filterFields as readonly string[]).includes(key)) out.filters[key as FilterField] = values;
    else throw new Error(`The filter names a field Vaultproof does not have: "${key.slice(0, 40)}".`);
  }
  return out;
}
