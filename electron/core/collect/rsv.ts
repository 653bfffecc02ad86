/**
 * Recovery Services vaults through @azure/arm-recoveryservices and
 * @azure/arm-recoveryservicesbackup: per vault the protected items (every
 * page), backup policies, storage and security configuration, usages, jobs
 * of the last N days and, optionally, recovery points per item.
 */
import type { CoverageEntry } from '../../../shared/domain/types.ts';
import { ArmCallError, armErrorOf } from './http.ts';
import { mapLimit } from './limiter.ts';
import { keep, listElements, normaliseAll, rawBodies, type RunContext } from './context.ts';

export type VaultRef = { kind: 'rsv' | 'dpp'; id: string; key: string; subscriptionId: string; resourceGroup: string; name: string };

export type PartFailure = { part: string; code: string; message: string };

/** Lists every vault of a subscription, spooling the vault records; returns their references. */
export async function listRsvVaults(ctx: RunContext, subscriptionId: string): Promise<VaultRef[]> {
  const refs: VaultRef[] = [];
  const pager = ctx.vaults(subscriptionId).vaults.listBySubscriptionId(
    rawBodies(ctx, (body) => {
      const objects = listElements(body);
      const records = normaliseAll(ctx, 'vaults', objects);
      keep(ctx, `subscription:${subscriptionId}|rsv-vaults`, records);
      for (const r of records) {
        if (r.type !== 'vault') continue;
        refs.push({ kind: 'rsv', id: r.data.id, key: r.key, subscriptionId: r.data.subscriptionId ?? subscriptionId, resourceGroup: r.data.resourceGroup ?? '', name: r.data.name });
      }
    }),
  );
  for await (const _page of pager.byPage()) {
    // Records are taken from the raw bodies in onResponse; iterating drives the paging.
  }
  return refs;
}

/** `az backup job list` sends this form of time filter; the service expects it. */
export function jobTimeFilter(from: Date, to: Date): string {
  const fmt = (d: Date): string => {
    const h = d.getUTCHours();
    const h12 = h % 12 === 0 ? 12 : h % 12;
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(h12)}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
  };
  return `startTime eq '${fmt(from)}' and endTime eq '${fmt(to)}'`;
}

/** Container and item names of a protected item id (`…/protectionContainers/{c}/protectedItems/{i}`). */
function itemPathOf(id: string): { fabric: string; container: string; item: string } | null {
  const m = /\/backupFabrics\/([^/]+)\/protectionContainers\/([^/]+)\/protectedItems\/([^/]+)$/i.exec(id);
  return m ? { fabric: m[1]!, container: m[2]!, item: m[3]! } : null;
}

/**
 * Runs the named parts of one vault's collection. A failed part is recorded
 * (its records are dropped) and the others go on; an abort stops everything.
 */
export async function runParts(ctx: RunContext, vaultKey: string, parts: Array<[string, () => Promise<void>]>, failures: PartFailure[]): Promise<void> {
  await Promise.all(
    parts.map(async ([part, fn]) => {
      try {
        await fn();
        // The part is complete: its records may go to the snapshot writer now.
        ctx.spool.seal(`${vaultKey}|${part}`);
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        const err = armErrorOf(e);
        failures.push({ part, code: err.code, message: err.message });
        ctx.spool.drop(`${vaultKey}|${part}`);
      }
    }),
  );
}

/** The vault's coverage entry: collected, or failed with the most important part's ARM error. */
export function vaultCoverage(ctx: RunContext, vaultKey: string, itemParts: string[], failures: PartFailure[], order: string[]): CoverageEntry {
  const itemCount = itemParts.reduce((n, p) => n + ctx.spool.count(`${vaultKey}|${p}`, 'item'), 0);
  if (failures.length === 0) return { scope: `vault:${vaultKey}`, status: 'collected', error: null, itemCount };
  const sorted = [...failures].sort((a, b) => order.indexOf(a.part) - order.indexOf(b.part));
  const first = sorted[0]!;
  const others = sorted.length > 1 ? ` (also failed: ${sorted.slice(1).map((f) => `${f.part} ${f.code}`).join(', ')})` : '';
  return { scope: `vault:${vaultKey}`, status: 'failed', error: { code: first.code, message: `${first.part}: ${first.message}${others}` }, itemCount };
}

const rsvPartOrder = ['backupProtectedItems', 'backupPolicies', 'backupstorageconfig', 'backupconfig', 'usages', 'backupJobs', 'recoveryPoints'];

export async function collectRsvVault(ctx: RunContext, v: VaultRef): Promise<CoverageEntry> {
  const backup = ctx.backup(v.subscriptionId);
  const group = (part: string) => `${v.key}|${part}`;
  const details = ctx.vaultDetails.get(v.key) ?? {};
  ctx.vaultDetails.set(v.key, details);
  const failures: PartFailure[] = [];
  const itemIds: string[] = [];
  const parts: Array<[string, () => Promise<void>]> = [
    [
      'backupProtectedItems',
      async () => {
        const pager = backup.backupProtectedItems.list(
          v.name,
          v.resourceGroup,
          rawBodies(ctx, (body) => {
            const records = normaliseAll(ctx, 'backupProtectedItems', listElements(body));
            keep(ctx, group('backupProtectedItems'), records);
            if (ctx.include.has('recovery-points')) for (const r of records) if (r.type === 'item') itemIds.push(r.data.id);
          }),
        );
        for await (const _page of pager.byPage()) {
          // paging only
        }
      },
    ],
    [
      'backupPolicies',
      async () => {
        const pager = backup.backupPolicies.list(v.name, v.resourceGroup, rawBodies(ctx, (body) => keep(ctx, group('backupPolicies'), normaliseAll(ctx, 'backupPolicies', listElements(body)))));
        for await (const _page of pager.byPage()) {
          // paging only
        }
      },
    ],
    [
      'backupstorageconfig',
      async () => {
        await backup.backupResourceStorageConfigsNonCRR.get(v.name, v.resourceGroup, rawBodies(ctx, (body) => (details.storageConfig = (body as { properties?: unknown } | null)?.properties ?? body)));
      },
    ],
    [
      'backupconfig',
      async () => {
        await backup.backupResourceVaultConfigs.get(v.name, v.resourceGroup, rawBodies(ctx, (body) => (details.vaultConfig = (body as { properties?: unknown } | null)?.properties ?? body)));
      },
    ],
    [
      'usages',
      async () => {
        const pager = ctx.vaults(v.subscriptionId).usages.listByVaults(
          v.resourceGroup,
          v.name,
          rawBodies(ctx, (body) => {
            details.usages = listElements(body).map((u) => {
              const o = (u ?? {}) as { name?: { value?: unknown }; currentValue?: unknown; unit?: unknown };
              return { name: o.name?.value ?? null, currentValue: o.currentValue ?? null, unit: o.unit ?? null };
            });
          }),
        );
        for await (const _page of pager.byPage()) {
          // paging only
        }
      },
    ],
  ];
  if (ctx.include.has('jobs')) {
    parts.push([
      'backupJobs',
      async () => {
        const pager = backup.backupJobs.list(v.name, v.resourceGroup, {
          ...rawBodies(ctx, (body) => keep(ctx, group('backupJobs'), normaliseAll(ctx, 'backupJobs', listElements(body)))),
          filter: jobTimeFilter(ctx.jobsWindow.from, ctx.jobsWindow.to),
        });
        for await (const _page of pager.byPage()) {
          // paging only
        }
      },
    ]);
  }
  await runParts(ctx, v.key, parts, failures);
  if (ctx.include.has('recovery-points') && !failures.some((f) => f.part === 'backupProtectedItems')) {
    await runParts(
      ctx,
      v.key,
      [
        [
          'recoveryPoints',
          async () => {
            await mapLimit(
              itemIds,
              ctx.concurrency,
              async (itemId) => {
                const p = itemPathOf(itemId);
                if (!p) return;
                const pager = backup.recoveryPoints.list(
                  v.name,
                  v.resourceGroup,
                  p.fabric,
                  p.container,
                  p.item,
                  rawBodies(ctx, (body) => keep(ctx, group('recoveryPoints'), normaliseAll(ctx, 'recoveryPoints', listElements(body)))),
                );
                try {
                  for await (const _page of pager.byPage()) {
                    // paging only
                  }
                } catch (e) {
                  if (ctx.signal.aborted) throw e;
                  const err = armErrorOf(e);
                  // Name the item: one item's recovery points failing says nothing about the others.
                  throw new ArmCallError(err.code, `${p.item}: ${err.message}`, err.status);
                }
              },
              ctx.signal,
            );
          },
        ],
      ],
      failures,
    );
  }
  return vaultCoverage(ctx, v.key, ['backupProtectedItems'], failures, rsvPartOrder);
}
