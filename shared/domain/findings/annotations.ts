/** Rules on what people recorded about items: owners, restore tests, exceptions. */
import { criticalityFor, exceptionHolds, holdingException, ownerFor, restoreTestsFor } from '../annotation-lookup.ts';
import { DAY } from '../findings-facts.ts';
import { drillPoint } from './restore.ts';
import type { FindingRule } from './rule.ts';

export const ownerlessItem: FindingRule = {
  id: 'ownerless-item',
  evaluateItem(ctx, { it, target }) {
    if (ownerFor(ctx.annotations, it.key, it.sourceResourceKey) === null) ctx.emit('ownerless-item', it.key, target, { name: it.name, vault: it.vaultName });
  },
};

export const criticalWithoutRestoreTest: FindingRule = {
  id: 'critical-without-restore-test',
  evaluateItem(ctx, { it, target }) {
    const { annotations, profile, asOfMs } = ctx;
    const crit = criticalityFor(annotations, it.key, it.sourceResourceKey);
    if (crit === null || !profile.restoreTest.criticalities.includes(crit)) return;
    const tests = restoreTestsFor(annotations, it.key, it.sourceResourceKey);
    const oldest = asOfMs - profile.restoreTest.periodDays * DAY;
    const passed = tests.filter((t) => {
      const d = Date.parse(`${t.date}T00:00:00.000Z`);
      return t.outcome === 'passed' && d <= asOfMs && d + DAY > oldest;
    });
    if (passed.length > 0) return;
    const last = tests.filter((t) => Date.parse(`${t.date}T00:00:00.000Z`) <= asOfMs).sort((a, b) => (a.date < b.date ? 1 : -1))[0] ?? null;
    ctx.emit('critical-without-restore-test', it.key, target, {
      name: it.name,
      vault: it.vaultName,
      criticality: crit,
      periodDays: profile.restoreTest.periodDays,
      lastTest: last ? { date: last.date, outcome: last.outcome, id: last.id } : null,
      // What a drill would start from: the restore catalog's latest point.
      ...drillPoint(ctx, it),
    });
  },
};

export const exceptionExpired: FindingRule = {
  id: 'exception-expired',
  evaluate(ctx) {
    const { annotations, asOfMs } = ctx;
    for (const [target, a] of annotations) {
      for (const e of a.exceptions) {
        if (exceptionHolds(e, asOfMs)) continue;
        // Superseded by a holding exception for the same rule: nothing to renew.
        if (holdingException(annotations, target, e.rule, asOfMs)) continue;
        const key = target.slice(target.indexOf(':') + 1);
        ctx.emit('exception-expired', key, target, { exceptionId: e.id, exceptedRule: e.rule, expires: e.expires, approver: e.approver, ticket: e.ticket, justification: e.justification });
      }
    }
  },
};
