/**
 * What every part of one collection shares: HTTP setup, the record spool,
 * the SDK clients (one per subscription, built on first use), options,
 * progress counters, warnings and per-vault configuration details.
 */
import type { FullOperationResponse, OperationOptions } from '@azure/core-client';
import { RecoveryServicesClient } from '@azure/arm-recoveryservices';
import { RecoveryServicesBackupClient } from '@azure/arm-recoveryservicesbackup';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import type { Progress } from '../../../shared/contract/events.ts';
import type { CollectInclude } from '../../../shared/contract/methods/collect.ts';
import { normaliseResource } from '../../../shared/domain/normalise/index.ts';
import type { NormalisedRecord } from '../../../shared/domain/types.ts';
import { ArmRestClient, instrumentPipeline, sdkClientOptions, type HttpSetup } from './http.ts';
import type { RecordSpool } from './spool.ts';

export type VaultDetails = {
  storageConfig?: unknown;
  vaultConfig?: unknown;
  usages?: Array<{ name: unknown; currentValue: unknown; unit: unknown }>;
};

/** Counters behind the 'vaults' progress updates. */
export type RunCounts = {
  vaultsDone: number;
  vaultsTotal: number;
  items: number;
  lastEmit: number;
};

export type RunContext = {
  http: HttpSetup;
  spool: RecordSpool;
  signal: AbortSignal;
  include: ReadonlySet<CollectInclude>;
  concurrency: number;
  /** Backup jobs started in this window are collected. */
  jobsWindow: { from: Date; to: Date };
  warnings: string[];
  vaultDetails: Map<string, VaultDetails>;
  progress: RunCounts;
  onProgress: Progress;
  rest: ArmRestClient;
  graph(): ResourceGraphClient;
  backup(subscriptionId: string): RecoveryServicesBackupClient;
  vaults(subscriptionId: string): RecoveryServicesClient;
  /** Unrecognised objects per source, reported once as a warning. */
  skipped: Map<string, number>;
};

export function createClients(http: HttpSetup): Pick<RunContext, 'rest' | 'graph' | 'backup' | 'vaults'> {
  const backups = new Map<string, RecoveryServicesBackupClient>();
  const vaults = new Map<string, RecoveryServicesClient>();
  let graph: ResourceGraphClient | null = null;
  const opts = sdkClientOptions(http);
  return {
    rest: new ArmRestClient(http),
    graph() {
      if (!graph) {
        graph = new ResourceGraphClient(http.credential, opts);
        instrumentPipeline(graph.pipeline, http, { rawJson: true });
      }
      return graph;
    },
    backup(subscriptionId) {
      let c = backups.get(subscriptionId);
      if (!c) {
        c = new RecoveryServicesBackupClient(http.credential, subscriptionId, opts);
        instrumentPipeline(c.pipeline, http, { rawJson: true });
        backups.set(subscriptionId, c);
      }
      return c;
    },
    vaults(subscriptionId) {
      let c = vaults.get(subscriptionId);
      if (!c) {
        c = new RecoveryServicesClient(http.credential, subscriptionId, opts);
        instrumentPipeline(c.pipeline, http, { rawJson: true });
        vaults.set(subscriptionId, c);
      }
      return c;
    },
  };
}

/**
 * Operation options that hand each successful response body, parsed from
 * the text exactly as received, to `onBody`. The SDK's own models (Dates,
 * dropped unknown fields) are never built (see rawJsonPolicy).
 */
export function rawBodies(ctx: RunContext, onBody: (body: unknown) => void): OperationOptions {
  return {
    abortSignal: ctx.signal,
    onResponse: (raw: FullOperationResponse, _flat: unknown, error?: unknown) => {
      if (error || raw.status < 200 || raw.status > 299) return;
      // parsedBody is JSON.parse of the text as received (see rawJsonPolicy in http.ts), never an SDK model.
      onBody(raw.parsedBody ?? null);
    },
  };
}

/** The elements of an ARM list body (`value`), or of a Resource Graph body (`data`, either format). */
export function listElements(body: unknown): unknown[] {
  if (body === null || typeof body !== 'object') return [];
  const b = body as { value?: unknown; data?: unknown };
  if (Array.isArray(b.value)) return b.value;
  if (Array.isArray(b.data)) return b.data;
  const table = b.data as { columns?: unknown; rows?: unknown } | undefined;
  if (table && Array.isArray(table.columns) && Array.isArray(table.rows)) {
    const names = table.columns.map((c) => (c && typeof c === 'object' && typeof (c as { name?: unknown }).name === 'string' ? (c as { name: string }).name : ''));
    return table.rows.map((r) => (Array.isArray(r) ? Object.fromEntries(names.map((n, i) => [n, r[i]] as [string, unknown])) : r));
  }
  return [];
}

/**
 * Normalises raw objects exactly as the importer does (no tenant hint: a
 * record's tenant comes from the object itself), so a collection and an
 * import of the same payloads hash the same.
 */
export function normaliseAll(ctx: RunContext, source: string, objects: unknown[]): NormalisedRecord[] {
  const out: NormalisedRecord[] = [];
  for (const o of objects) {
    const r = normaliseResource(o);
    if (r) out.push(r);
    else ctx.skipped.set(source, (ctx.skipped.get(source) ?? 0) + 1);
  }
  return out;
}

/** Spools a page of records under a group and counts items for progress. */
export function keep(ctx: RunContext, group: string, records: NormalisedRecord[]): void {
  ctx.spool.append(group, records);
  let items = 0;
  for (const r of records) if (r.type === 'item') items++;
  if (items > 0) {
    ctx.progress.items += items;
    const now = Date.now();
    if (now - ctx.progress.lastEmit >= 250) {
      ctx.progress.lastEmit = now;
      ctx.onProgress({ phase: 'vaults', done: ctx.progress.vaultsDone, total: ctx.progress.vaultsTotal, message: `${ctx.progress.items} items so far` });
    }
  }
}
