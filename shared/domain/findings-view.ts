/**
 * The Findings view's current list (issue 15 item 10): one pure filter the
 * UI draws and the engine exports, so the xlsx holds exactly the rows the
 * user was looking at (group, then search over item name, rule, title, key).
 */
import type { Finding } from './findings/types.ts';
import type { Severity } from './profile.ts';

export type FindingsViewFilter = { groupBy: 'severity' | 'rule'; group: string | null; search: string };

const severityOrder: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * A readable name for an item key when only the key is at hand: the last
 * segment, with the container prefix of Recovery Services names
 * ("vm;iaasvmcontainerv2;rg;") dropped.
 */
export function nameFromKey(key: string): string {
  const segs = key.split('/');
  const last = segs.pop() ?? key;
  // File shares are named by a hash in their id: say which storage account holds it instead.
  if (/^azurefileshare;/i.test(last)) {
    const container = segs[segs.length - 2] ?? '';
    const account = container.split(';').pop() ?? '';
    return `file share ${last.slice(15, 23).toLowerCase()}… in ${account || 'a storage account'}`;
  }
  const parts = last.split(';');
  return parts[parts.length - 1] || last;
}

/** The name a finding's item is shown by: the evidence's stated name, else one read from the key. */
export function findingName(f: Pick<Finding, 'evidence' | 'key'>): string {
  return typeof f.evidence.name === 'string' ? f.evidence.name : nameFromKey(f.key);
}

/** The findings the view shows, in its order: a group narrows, the search narrows both; "all" is severest first. */
export function findingsInView<F extends Pick<Finding, 'evidence' | 'key' | 'rule' | 'title' | 'severity'>>(findings: readonly F[], v: FindingsViewFilter): F[] {
  const q = v.search.trim().toLowerCase();
  const all = v.group === null || v.group === 'all';
  const out = findings.filter((f) => {
    if (!all && (v.groupBy === 'severity' ? f.severity : f.rule) !== v.group) return false;
    if (!q) return true;
    return `${findingName(f)} ${f.rule} ${f.title} ${f.key}`.toLowerCase().includes(q);
  });
  return all ? out.sort((a, b) => severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity)) : out;
}
