/**
 * Backup vaults (Microsoft.DataProtection). There is no SDK package for them
 * here, so they go through the generic ARM client (core-client with the
 * bearer-token policy, our retry and limiter): backup instances, deleted
 * (soft-deleted) backup instances, and optionally jobs and recovery points.
 */
import { kitApiVersions } from '../../../shared/domain/collection-kit.ts';
import type { CoverageEntry } from '../../../shared/domain/types.ts';
import { mapLimit } from './limiter.ts';
import { keep, normaliseAll, type RunContext } from './context.ts';
import { runParts, vaultCoverage, type PartFailure, type VaultRef } from './rsv.ts';

export const dataProtectionApiVersion = kitApiVersions.dataProtection;

export async function listBackupVaults(ctx: RunContext, subscriptionId: string): Promise<VaultRef[]> {
  const refs: VaultRef[] = [];
  for await (const page of ctx.rest.pages(`/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.DataProtection/backupVaults?api-version=${dataProtectionApiVersion}`, ctx.signal)) {
    const records = normaliseAll(ctx, 'backupVaults', page.value);
    keep(ctx, `subscription:${subscriptionId}|backup-vaults`, records);
    for (const r of records) {
      if (r.type !== 'vault') continue;
      refs.push({ kind: 'dpp', id: r.data.id, key: r.key, subscriptionId: r.data.subscriptionId ?? subscriptionId, resourceGroup: r.data.resourceGroup ?? '', name: r.data.name });
    }
  }
  return refs;
}

const dppPartOrder = ['backupInstances', 'deletedBackupInstances', 'backupJobs', 'recoveryPoints'];

export async function collectBackupVault(ctx: RunContext, v: VaultRef): Promise<CoverageEntry> {
  const group = (part: string) => `${v.key}|${part}`;
  const base = `${v.id}`;
  const q = `?api-version=${dataProtectionApiVersion}`;
  const failures: PartFailure[] = [];
  const instanceIds: string[] = [];
  const list = async (part: string, path: string, onRecords?: (ids: string[]) => void) => {
    for await (const page of ctx.rest.pages(path, ctx.signal)) {
      const records = normaliseAll(ctx, part, page.value);
      keep(ctx, group(part), records);
      onRecords?.(records.filter((r) => r.type === 'item').map((r) => r.data.id));
    }
  };
  const parts: Array<[string, () => Promise<void>]> = [
    ['backupInstances', () => list('backupInstances', `${base}/backupInstances${q}`, (ids) => instanceIds.push(...ids))],
    ['deletedBackupInstances', () => list('deletedBackupInstances', `${base}/deletedBackupInstances${q}`)],
  ];
  if (ctx.include.has('jobs')) parts.push(['backupJobs', () => list('backupJobs', `${base}/backupJobs${q}`)]);
  await runParts(ctx, v.key, parts, failures);
  if (ctx.include.has('recovery-points') && !failures.some((f) => f.part === 'backupInstances')) {
    await runParts(
      ctx,
      v.key,
      [['recoveryPoints', async () => void (await mapLimit(instanceIds, ctx.concurrency, (id) => list('recoveryPoints', `${id}/recoveryPoints${q}`), ctx.signal))]],
      failures,
    );
  }
  return vaultCoverage(ctx, v.key, ['backupInstances', 'deletedBackupInstances'], failures, dppPartOrder);
}
