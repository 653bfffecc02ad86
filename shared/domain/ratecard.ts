/**
 * The offline rate card: protected-instance fee tiers and backup-storage
 * prices per GB-month, by region (with a fallback), workload and redundancy.
 * User-editable JSON (assets/ratecards/*.json), versioned; its hash is
 * recorded with every cost report.
 *
 * Money is computed in integer cents from the decimal text of each number
 * (no binary floating point in a price), rounded half-up to 0.01.
 */
import { z } from 'zod';

export const redundancies = ['LRS', 'ZRS', 'GRS', 'RA-GRS'] as const;
export type Redundancy = (typeof redundancies)[number];
export const storageTiers = ['standard', 'archive'] as const;
export type StorageTier = (typeof storageTiers)[number];

/** Above this no price per instance or GB-month is plausible; it also keeps every sum of cents exact (below 2^53). */
export const MAX_PRICE = 1_000_000;
const price = z.number().finite().min(0).max(MAX_PRICE, `a price above ${MAX_PRICE} is not plausible (and would lose precision in cents)`);

/** YYYY-MM-DD naming a day that exists (2026-02-30 does not). */
function isCalendarDay(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const feeScheduleSchema = z
  .object({
    /** Ascending: the first tier whose upToGb is >= the front-end size sets the fee. */
    tiers: z.array(z.object({ upToGb: z.number().finite().positive(), price }).strict()).min(1),
    /** Beyond the last tier: pricePerBlock for each started blockGb of the whole size. null = unpriced beyond. */
    beyond: z.object({ blockGb: z.number().finite().positive(), pricePerBlock: price }).strict().nullable(),
  })
  .strict()
  .refine((s) => s.tiers.every((t, i) => i === 0 || t.upToGb > s.tiers[i - 1]!.upToGb), { message: 'tiers must ascend by upToGb' });

const storageRatesSchema = z.partialRecord(z.enum(storageTiers), z.partialRecord(z.enum(redundancies), price));

/**
 * One workload's prices with where they came from. `instanceFee: null` says
 * the card knows the workload has its own fee but holds no figure for it
 * (the workload is then unpriced, never priced at another workload's fee).
 */
const workloadPricesSchema = z
  .object({
    instanceFee: feeScheduleSchema.nullable().optional(),
    storage: storageRatesSchema.optional(),
    /** Where the figures come from (a URL or document). */
    source: z.string().min(1).optional(),
    /** The day the figures were read from the source. */
    retrieved: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(isCalendarDay, { message: 'not a real calendar date' }).optional(),
    /** false: the figures could not be checked against the source on `retrieved`. */
    confirmed: z.boolean().optional(),
    note: z.string().optional(),
  })
  .strict();

const priceSetSchema = z
  .object({
    /** The Azure VM protected-instance fee (rate-card entry `azureVm`); other workloads have their own entries. */
    instanceFee: feeScheduleSchema.optional(),
    storage: storageRatesSchema.optional(),
    /** Keyed by rate-card entry (see rateEntryFor: "azureVm", "sqlServerInAzureVm", "sapHanaInAzureVm", "azureFiles", …) or by lower-cased workload type. */
    workloads: z.record(z.string(), workloadPricesSchema).optional(),
  })
  .strict();

export const rateCardSchema = z
  .object({
    schema: z.literal('vaultproof.ratecard/1'),
    name: z.string().min(1),
    version: z.string().min(1),
    currency: z.string().regex(/^[A-Z]{3}$/),
    effectiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(isCalendarDay, { message: 'not a real calendar date' }),
    source: z.string().min(1),
    notes: z.array(z.string()).optional(),
    /** Stated in every report; the computation always follows ROUNDING_RULE. */
    rounding: z.string().min(1),
    /** Whether soft-deleted backup data is billed (list price: it is not, during the soft-delete retention). */
    softDeletedBilled: z.boolean(),
    default: priceSetSchema,
    /** Keyed by ARM region name, lower-case without spaces ("westeurope"). */
    regions: z.record(z.string(), priceSetSchema),
  })
  .strict();

export type FeeSchedule = z.infer<typeof feeScheduleSchema>;
export type WorkloadPrices = z.infer<typeof workloadPricesSchema>;
export type RateCard = z.infer<typeof rateCardSchema>;
type StorageRates = z.infer<typeof storageRatesSchema>;

export const ROUNDING_RULE =
  'Each item\'s instance fee and storage cost are rounded half-up to 0.01 separately; the item total is their sum; every total is the sum of rounded item totals.';

export function parseRateCard(value: unknown): { ok: true; card: RateCard } | { ok: false; issues: Array<{ path: string; message: string }> } {
  const r = rateCardSchema.safeParse(value);
  if (r.success) return { ok: true, card: r.data };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })) };
}

// ---- exact decimal arithmetic -------------------------------------------

type Decimal = { digits: bigint; scale: number };

/** The decimal a JS number was written as (its shortest round-trip text). */
function toDecimal(n: number): Decimal {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  const text = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/i.exec(text);
  if (!m) throw new Error(`cannot read number ${text}`);
  const frac = m[3] ?? '';
  const exp = m[4] ? Number(m[4]) : 0;
  let digits = BigInt(`${m[2]}${frac}`);
  let scale = frac.length - exp;
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: m[1] === '-' ? -digits : digits, scale };
}

/** Rounds digits / 10^scale to whole cents, half-up (away from zero at exactly .5). */
function decimalToCents(d: Decimal): number {
  // cents = digits / 10^(scale-2)
  const shift = d.scale - 2;
  if (shift <= 0) return Number(d.digits * 10n ** BigInt(-shift));
  const div = 10n ** BigInt(shift);
  const neg = d.digits < 0n;
  const abs = neg ? -d.digits : d.digits;
  let q = abs / div;
  const r = abs % div;
  if (r * 2n >= div) q += 1n;
  return Number(neg ? -q : q);
}

type SmallDecimal = { digits: number; scale: number };

/** The decimal text of n as a safe integer and a scale, or null when it does not fit. */
function toSmallDecimal(n: number): SmallDecimal | null {
  const text = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return null;
  const frac = m[3] ?? '';
  const digits = Number(`${m[1]}${m[2]}${frac}`);
  return Number.isSafeInteger(digits) ? { digits, scale: frac.length } : null;
}

/** a × b in cents, rounded half-up (exact: integer arithmetic on the decimal digits). */
export function multiplyToCents(a: number, b: number): number {
  const x = toSmallDecimal(a);
  const y = toSmallDecimal(b);
  if (x && y) {
    const p = x.digits * y.digits;
    const shift = x.scale + y.scale - 2;
    if (Number.isSafeInteger(p) && shift <= 15) {
      if (shift <= 0) {
        const v = p * 10 ** -shift;
        if (Number.isSafeInteger(v)) return v;
      } else {
        const div = 10 ** shift;
        const abs = Math.abs(p);
        const r = abs % div;
        let q = (abs - r) / div;
        if (r * 2 >= div) q += 1;
        return p < 0 ? -q : q;
      }
    }
  }
  const bx = toDecimal(a);
  const by = toDecimal(b);
  return decimalToCents({ digits: bx.digits * by.digits, scale: bx.scale + by.scale });
}

export function toCents(amount: number): number {
  return decimalToCents(toDecimal(amount));
}

/** Cents as a number with two decimals (12.3 → 12.30 when printed with toFixed(2)). */
export function fromCents(cents: number): number {
  return cents / 100;
}

// ---- lookups --------------------------------------------------------------

export function normaliseRegion(location: string | null | undefined): string | null {
  if (!location) return null;
  return location.replace(/\s+/g, '').toLowerCase();
}

/** Maps a vault's storage redundancy (as the source says it) to the rate-card key. */
export function redundancyOf(storageRedundancy: string | null | undefined, crossRegionRestore: boolean | null | undefined): Redundancy | null {
  if (!storageRedundancy) return null;
  const s = storageRedundancy.replace(/[\s_-]/g, '').toLowerCase();
  if (s === 'locallyredundant' || s === 'lrs') return 'LRS';
  if (s === 'zoneredundant' || s === 'zrs') return 'ZRS';
  // Cross-region restore needs read access to the secondary region, billed as RA-GRS.
  if (s === 'georedundant' || s === 'grs') return crossRegionRestore === true ? 'RA-GRS' : 'GRS';
  if (s === 'readaccessgeoredundant' || s === 'ragrs' || s === 'readaccessgeozoneredundant' || s === 'ragzrs') return 'RA-GRS';
  return null;
}

export type InstanceFeeResult = { cents: number; rule: string } | { cents: null; rule: string };

export function instanceFeeCents(schedule: FeeSchedule, frontEndGb: number): InstanceFeeResult {
  for (const t of schedule.tiers) {
    if (frontEndGb <= t.upToGb) return { cents: toCents(t.price), rule: `≤ ${t.upToGb} GB` };
  }
  if (!schedule.beyond) return { cents: null, rule: `> ${schedule.tiers[schedule.tiers.length - 1]!.upToGb} GB is not priced by the rate card` };
  const blocks = Math.ceil(frontEndGb / schedule.beyond.blockGb);
  return { cents: blocks * toCents(schedule.beyond.pricePerBlock), rule: `${blocks} started block(s) of ${schedule.beyond.blockGb} GB` };
}

/** The rate-card entry that prices each workload type (lower-cased), with the name a reader sees. */
const rateEntries: Record<string, { entry: string; label: string }> = {
  vm: { entry: 'azureVm', label: 'Azure VM' },
  sqldatabase: { entry: 'sqlServerInAzureVm', label: 'SQL Server in Azure VM' },
  saphanadatabase: { entry: 'sapHanaInAzureVm', label: 'SAP HANA in Azure VM' },
  saphanadbinstance: { entry: 'sapHanaSnapshotInAzureVm', label: 'SAP HANA instance snapshot in Azure VM' },
  sapasedatabase: { entry: 'sapAseInAzureVm', label: 'SAP ASE in Azure VM' },
  azurefileshare: { entry: 'azureFiles', label: 'Azure Files' },
  azuresqldb: { entry: 'azureSqlDatabase', label: 'Azure SQL Database (legacy backup)' },
  'microsoft.compute/disks': { entry: 'azureDisks', label: 'Azure Disks' },
  'microsoft.storage/storageaccounts/blobservices': { entry: 'azureBlobs', label: 'Azure Blobs' },
  'microsoft.storage/storageaccounts/adlsblobservices': { entry: 'azureDataLakeStorage', label: 'Azure Data Lake Storage' },
  'microsoft.containerservice/managedclusters': { entry: 'aks', label: 'Azure Kubernetes Service' },
  'microsoft.dbforpostgresql/servers/databases': { entry: 'postgreSql', label: 'Azure Database for PostgreSQL' },
  'microsoft.dbforpostgresql/flexibleservers': { entry: 'postgreSqlFlexible', label: 'Azure Database for PostgreSQL flexible server' },
  'microsoft.dbformysql/flexibleservers': { entry: 'mySqlFlexible', label: 'Azure Database for MySQL flexible server' },
};

export function rateEntryFor(workloadType: string | null): { entry: string; label: string } | null {
  return workloadType ? (rateEntries[workloadType.toLowerCase()] ?? null) : null;
}

export type InstanceFeeSource =
  | { schedule: FeeSchedule; source: string; confirmed: boolean }
  | { schedule: null; source: string | null; reason: string };

/**
 * The instance fee for a workload in a region: the region's entry, then the
 * card's default entry. Only the workload's own entry prices it; a workload
 * the card lacks is unpriced with the reason.
 */
export function instanceFeeFor(card: RateCard, region: string | null, workloadType: string | null): InstanceFeeSource {
  const e = rateEntryFor(workloadType);
  if (!e) return { schedule: null, source: null, reason: workloadType ? `the rate card has no entry for workload type ${workloadType}` : 'the workload type is unknown' };
  const w = workloadType!.toLowerCase();
  const r = region ? card.regions[region] : undefined;
  const sets: Array<[string, typeof r]> = [...(r ? ([[`${region}:`, r]] as Array<[string, typeof r]>) : []), ['', card.default]];
  for (const [prefix, set] of sets) {
    // A figure under either key beats an entry that only says "no figure".
    const both = [set?.workloads?.[e.entry], set?.workloads?.[w]];
    const own = both.find((x) => x?.instanceFee) ?? both.find((x) => x !== undefined);
    if (own && own.instanceFee !== undefined) {
      if (own.instanceFee === null) return { schedule: null, source: `${prefix}${e.entry}`, reason: `the rate card holds no fee for ${e.label} (${e.entry})${own.note ? `: ${own.note}` : ''}` };
      return { schedule: own.instanceFee, source: `${prefix}${e.entry}`, confirmed: own.confirmed !== false };
    }
    // The set's own instanceFee is the Azure VM fee.
    if (e.entry === 'azureVm' && set?.instanceFee) return { schedule: set.instanceFee, source: `${prefix}azureVm`, confirmed: own?.confirmed !== false };
  }
  return { schedule: null, source: null, reason: `the rate card has no instance fee for ${e.label} (${e.entry})` };
}

export function storageRateFor(card: RateCard, region: string | null, workloadType: string | null, redundancy: Redundancy, tier: StorageTier = 'standard'): number | null {
  const w = workloadType?.toLowerCase() ?? null;
  const r = region ? card.regions[region] : undefined;
  const pick = (rates: StorageRates | undefined): number | undefined => rates?.[tier]?.[redundancy];
  return pick(w ? r?.workloads?.[w]?.storage : undefined) ?? pick(r?.storage) ?? pick(w ? card.default.workloads?.[w]?.storage : undefined) ?? pick(card.default.storage) ?? null;
}
