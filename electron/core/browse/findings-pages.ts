/**
 * The Findings view at any size (issue 17): its head (counts, per severity and
 * per rule) and its rows a page at a time, from the evaluation kept by
 * finding-keys.ts. At 100k items a snapshot has ~200k findings: shipping them
 * all to the page (as findings.run does) took seconds to serialise, carry and
 * parse, and held them all in the tab. The view's list (group, search, order)
 * is shared/domain/findings-view.ts, the same filter the xlsx export applies;
 * the last list asked for is kept, so the next page of it is a slice.
 */
import type { FindingGroupCount, FindingsPage, FindingsSummary } from '../../../shared/contract/methods/findings.ts';
import type { FindingsRun } from '../../../shared/contract/methods/analysis.ts';
import type { Finding } from '../../../shared/domain/findings.ts';
import { findingsInView, type FindingsViewFilter } from '../../../shared/domain/findings-view.ts';
import type { Severity } from '../../../shared/domain/profile.ts';
import type { Store } from '../store/store.ts';
import { findingsReport } from './finding-keys.ts';

const severityOrder: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

const summaries = new WeakMap<FindingsRun, FindingsSummary>();
const lists = new WeakMap<FindingsRun, { key: string; list: readonly Finding[] }>();

function groupsOf(findings: readonly Finding[], by: 'severity' | 'rule'): FindingGroupCount[] {
  const m = new Map<string, FindingGroupCount>();
  // A group's findings come together (the evaluation lists them by severity, then rule): looked up once per run.
  let g: FindingGroupCount | undefined;
  for (const f of findings) {
    const k = by === 'severity' ? f.severity : f.rule;
    if (g === undefined || g.key !== k) {
      g = m.get(k);
      if (!g) m.set(k, (g = { key: k, count: 0, open: 0 }));
    }
    g.count++;
    if (!f.excepted) g.open++;
  }
  // Severity: severest first; rule: most findings first, then by id (the view's order before issue 17).
  return [...m.values()].sort((a, b) =>
    by === 'severity' ? severityOrder.indexOf(a.key as Severity) - severityOrder.indexOf(b.key as Severity) : b.count - a.count || a.key.localeCompare(b.key),
  );
}

/**
 * The view's list of every finding (group "all", no search) when the evaluation's own order already is that
 * list: findingsInView keeps every finding and sorts them stably by severity, which leaves findings already in
 * severity order as they are. Null otherwise (findingsInView then makes the list). Saves a copy and a sort of
 * ~200k findings on the view's first list.
 */
function wholeInOrder(findings: readonly Finding[], view: FindingsViewFilter): readonly Finding[] | null {
  if (!(view.group === null || view.group === 'all') || view.search.trim() !== '') return null;
  let last = 0;
  for (const f of findings) {
    const rank = severityOrder.indexOf(f.severity);
    if (rank < last) return null;
    last = rank;
  }
  return findings;
}

/** The view's list: findingsInView's answer (the evaluation's own array when that is already the list). */
export function viewList(findings: readonly Finding[], view: FindingsViewFilter): readonly Finding[] {
  return wholeInOrder(findings, view) ?? findingsInView(findings, view);
}

export function findingsSummary(store: Store, snapshotId: string): FindingsSummary {
  const run = findingsReport(store, snapshotId);
  const hit = summaries.get(run);
  if (hit) return hit;
  const { findings, labels: _labels, gate: _gate, ...head } = run;
  const s: FindingsSummary = { ...head, groups: { severity: groupsOf(findings, 'severity'), rule: groupsOf(findings, 'rule') } };
  summaries.set(run, s);
  return s;
}

export function findingsPage(store: Store, snapshotId: string, view: FindingsViewFilter, offset: number, limit: number): FindingsPage {
  const run = findingsReport(store, snapshotId);
  const key = JSON.stringify([view.groupBy, view.group, view.search]);
  let kept = lists.get(run);
  if (!kept || kept.key !== key) {
    kept = { key, list: viewList(run.findings, view) };
    lists.set(run, kept);
  }
  return { findings: kept.list.slice(offset, offset + limit), offset, total: kept.list.length };
}
