/**
 * The access findings of a snapshot, for the Access view (issue 17): the four
 * access rules (shared/domain/access/rules.ts) read the vaults, the role
 * assignments and definitions, the profile and the annotations, never the
 * items. So they are judged here by the same evaluation as findings.run with
 * no items, in milliseconds, instead of the whole evaluation (seconds, and
 * ~200k findings sent to the page at 100k items) that the view used to fetch
 * to keep four rules' findings. test/access/findings.test.ts checks the
 * answer against findings.run's own.
 */
import type { Finding } from '../../../shared/domain/findings.ts';
import { evaluateFindings } from '../../../shared/domain/findings.ts';
import { accessRuleIds } from '../../../shared/domain/access/rules.ts';
import { loadProfile } from '../analysis/assets.ts';
import { annotationsFor } from '../analysis/run.ts';
import type { Store } from '../store/store.ts';
import { accessInputOf } from './snapshot.ts';

/** The snapshot's findings of the access rules under the default audit profile, in findings.run's order. */
export function accessFindingsOf(store: Store, snapshotRef: string): Finding[] {
  const s = store.snapshots.resolve(snapshotRef);
  const profile = loadProfile();
  const report = evaluateFindings({
    asOf: s.asOf,
    profile: profile.value,
    profileHash: profile.hash,
    items: [],
    vaults: store.snapshots.records(s.id, 'vault'),
    policies: [],
    inventory: [],
    protectionConfiguredAt: null,
    annotations: annotationsFor(store),
    access: accessInputOf(store, s.id),
  });
  const wanted = new Set<string>(accessRuleIds);
  return report.findings.filter((f) => wanted.has(f.rule));
}
