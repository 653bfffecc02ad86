import { z } from 'zod';
import { cloudNames } from '../../domain/azure-clouds.ts';
import type { CollectionKit } from '../../domain/collection-kit.ts';
import type { CoverageEntry } from '../../domain/types.ts';

const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'expected a GUID such as 00000000-0000-0000-0000-000000000000');
const httpsUrl = z.string().max(2000).regex(/^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i, 'expected an https:// URL');

/** What a collection gathers besides items, policies, vaults and vault configuration. */
export const collectIncludes = ['recovery-points', 'jobs', 'inventory', 'backup-vaults', 'access', 'alerts', 'policy'] as const;
export type CollectInclude = (typeof collectIncludes)[number];
/** Used when the caller names no `include`: everything except the one-call-per-item recovery points and (for now) access (role assignments), alerts (action groups, alert processing rules) and policy (Azure Policy compliance states of the backup definitions), opt-in. */
export const defaultCollectIncludes: readonly CollectInclude[] = ['jobs', 'inventory', 'backup-vaults'];

export const authMethods = ['cli', 'browser', 'device', 'sp'] as const;
export type AuthMethod = (typeof authMethods)[number];

export const collectStartInput = z
  .object({
    /** Subscriptions to collect; or `allSubscriptions` for every one the principal can read. */
    subscriptions: z.array(guid).min(1).max(10000).optional(),
    allSubscriptions: z.boolean().optional(),
    tenantId: z.string().min(1).max(200).optional(),
    cloud: z.enum(cloudNames).optional(),
    /** Custom cloud only. */
    armEndpoint: httpsUrl.optional(),
    authorityHost: httpsUrl.optional(),
    /** Custom cloud only; default: the ARM endpoint's advertised audience, else `<armEndpoint>/.default`. */
    tokenScope: z.string().min(1).max(2000).optional(),
    /** A PEM file with extra CA certificates to trust (private clouds). */
    caFile: z.string().min(1).max(4096).optional(),
    auth: z.enum(authMethods).optional(),
    clientId: z.string().min(1).max(200).optional(),
    /** Service principal secret: the NAME of an environment variable that holds it (CLI)... */
    clientSecretEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).max(200).optional(),
    /** ...or the secret itself (desktop UI; kept in memory only, never stored or echoed). */
    clientSecret: z.string().min(1).max(2000).optional(),
    /** A PEM file holding the service principal's certificate and private key. */
    clientCertificate: z.string().min(1).max(4096).optional(),
    include: z.array(z.enum(collectIncludes)).max(collectIncludes.length).optional(),
    /** Backup jobs of the last N days (default 7). */
    jobsDays: z.number().int().min(1).max(180).optional(),
    /** Requests in flight (default 8). */
    concurrency: z.number().int().min(1).max(64).optional(),
    /** `resource-graph`: items, vaults, policies and jobs from one paged Resource Graph query (tenants with thousands of vaults). */
    itemsVia: z.enum(['arm', 'resource-graph']).optional(),
    label: z.string().max(500).optional(),
  })
  .strict()
  .refine((v) => (v.subscriptions !== undefined) !== (v.allSubscriptions === true), {
    message: 'give either subscriptions or allSubscriptions: true (not both)',
    path: ['subscriptions'],
  })
  .refine((v) => (v.cloud === 'custom' ? v.armEndpoint !== undefined && v.authorityHost !== undefined : v.armEndpoint === undefined && v.authorityHost === undefined && v.tokenScope === undefined), {
    message: 'a custom cloud needs armEndpoint and authorityHost; the named clouds take neither (nor tokenScope)',
    path: ['cloud'],
  })
  .refine((v) => !(v.clientSecret !== undefined && v.clientSecretEnv !== undefined) && !((v.clientSecret !== undefined || v.clientSecretEnv !== undefined) && v.clientCertificate !== undefined), {
    message: 'give one of clientSecret, clientSecretEnv or clientCertificate',
    path: ['clientSecret'],
  });
export type CollectStartInput = z.infer<typeof collectStartInput>;

export type CollectResult = {
  snapshotId: string;
  itemCount: number;
  contentHash: string;
  asOf: string;
  /** false when any subscription, vault or query failed (see coverage); the CLI then exits 4. */
  complete: boolean;
  coverage: CoverageEntry[];
  /** Records written per type (item, vault, policy, recoveryPoint, job, inventory). */
  records: Record<string, number>;
  /** Records seen twice (a page served twice) and dropped; 0 in a healthy collection. */
  duplicates: number;
  requests: { total: number; retried: number; throttled: number; peakInFlight: number };
  startedAt: string;
  endedAt: string;
  /** Wall-clock milliseconds of each phase: sign-in, network collection, writing the snapshot. */
  timings: { signInMs: number; collectMs: number; writeMs: number };
  warnings: string[];
};

export const collectMethods = {
  /**
   * Collects live from Azure into a new snapshot. Progress arrives as job events (phases sign-in,
   * subscriptions, vaults with done/total vaults and "N items so far", inventory, writing, done);
   * with device-code sign-in the `sign-in` event's message holds the code and the URL to show.
   * Cancel with jobs.cancel: nothing is stored. An incomplete collection is still a result
   * (complete: false), not an error.
   */
  'collect.start': { input: collectStartInput },
  /** The offline collection kit: the az CLI and Resource Graph commands whose outputs `import` accepts. */
  'collect.kit': {
    input: z
      .object({
        subscriptions: z.array(guid).max(1000).optional(),
        jobsDays: z.number().int().min(1).max(180).optional(),
        cloud: z.enum(['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud']).optional(),
      })
      .strict(),
  },
} as const;

export type CollectOutputs = {
  'collect.start': CollectResult;
  'collect.kit': CollectionKit;
};
