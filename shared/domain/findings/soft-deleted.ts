import { addDaysIso } from '../findings-facts.ts';
import type { FindingRule } from './rule.ts';

export const softDeleted: FindingRule = {
  id: 'soft-deleted',
  items: 'softDeleted',
  evaluateItem(ctx, { it, target }) {
    // Recovery Services: deferredDeleteTimeInUTC is when the item was deleted; it is purged after the
    // soft-delete retention (14 days unless stated). Backup vaults state the scheduled purge time itself.
    const days = it.softDeleteRetentionDays && it.softDeleteRetentionDays > 0 ? it.softDeleteRetentionDays : 14;
    const rsv = it.vaultKind === 'RecoveryServices';
    ctx.emit('soft-deleted', it.key, target, {
      name: it.name,
      vault: it.vaultName,
      deferredDeleteTime: it.deferredDeleteTime,
      softDeleteRetentionDays: it.softDeleteRetentionDays,
      permanentDeletion: it.deferredDeleteTime ? (rsv ? addDaysIso(it.deferredDeleteTime, days) : it.deferredDeleteTime) : null,
      permanentDeletionRule: rsv ? `deferredDeleteTime + ${days} days` : 'scheduled purge time stated by the Backup vault',
    });
  },
};
