/**
 * Reproducible audit samples. The same population, size, seed and
 * stratification always draw the same keys, on any machine: the population is
 * sorted by key, strata get proportional allocations (largest remainder), and
 * each stratum is drawn by a partial Fisher–Yates shuffle driven by sfc32
 * seeded from cyrb128(seed | stratum). The method text is recorded with every
 * sample.
 */

export const SAMPLE_METHOD =
  'vaultproof.sample/1: population sorted by key (UTF-16 code units); proportional allocation per stratum by largest remainder (ties: larger stratum, then stratum name); within each stratum a partial Fisher-Yates shuffle driven by sfc32 seeded with cyrb128(seed + "|" + stratum); drawn keys listed in key order';

export type Stratify = 'none' | 'workload' | 'vault' | 'severity';

export type SampleUnit = { key: string; stratum: string };

export type SampleResult = {
  method: string;
  seed: string;
  stratify: Stratify;
  requested: number;
  size: number;
  population: number;
  strata: Array<{ stratum: string; population: number; drawn: number }>;
  items: SampleUnit[];
};

/** cyrb128: a small, well-mixed 128-bit string hash (public domain, bryc). */
function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** sfc32 PRNG: returns uint32 values. */
function sfc32(seed: [number, number, number, number]): () => number {
  let [a, b, c, d] = seed;
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

/** Uniform integer in [0, n) without modulo bias. */
function below(next: () => number, n: number): number {
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  for (;;) {
    const x = next();
    if (x < limit) return x % n;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Draws `size` units (or all when the population is smaller). */
export function drawSample(population: readonly SampleUnit[], opts: { size: number; seed: string; stratify: Stratify }): SampleResult {
  if (!Number.isInteger(opts.size) || opts.size < 0) throw new Error(`sample size must be a whole number ≥ 0, got ${opts.size}`);
  const byStratum = new Map<string, string[]>();
  for (const u of population) {
    const s = opts.stratify === 'none' ? 'all' : u.stratum;
    let list = byStratum.get(s);
    if (!list) {
      list = [];
      byStratum.set(s, list);
    }
    list.push(u.key);
  }
  const total = population.length;
  const size = Math.min(opts.size, total);
  const strata = [...byStratum.entries()].map(([stratum, keys]) => ({ stratum, keys: keys.sort(cmp), quota: 0, rem: 0 })).sort((a, b) => cmp(a.stratum, b.stratum));
  // Largest-remainder (Hamilton) allocation, exact in integers.
  let allocated = 0;
  for (const s of strata) {
    const num = size * s.keys.length;
    s.quota = Math.floor(num / Math.max(total, 1));
    s.rem = num - s.quota * total;
    allocated += s.quota;
  }
  const byRemainder = [...strata].sort((a, b) => b.rem - a.rem || b.keys.length - a.keys.length || cmp(a.stratum, b.stratum));
  for (let i = 0; allocated < size; i++) {
    const s = byRemainder[i % byRemainder.length]!;
    if (s.quota < s.keys.length) {
      s.quota++;
      allocated++;
    }
  }
  const items: SampleUnit[] = [];
  for (const s of strata) {
    const next = sfc32(cyrb128(`${opts.seed}|${s.stratum}`));
    const keys = [...s.keys];
    for (let i = 0; i < s.quota; i++) {
      const j = i + below(next, keys.length - i);
      const t = keys[i]!;
      keys[i] = keys[j]!;
      keys[j] = t;
      items.push({ key: keys[i]!, stratum: s.stratum });
    }
  }
  items.sort((a, b) => cmp(a.key, b.key));
  return {
    method: SAMPLE_METHOD,
    seed: opts.seed,
    stratify: opts.stratify,
    requested: opts.size,
    size: items.length,
    population: total,
    strata: strata.map((s) => ({ stratum: s.stratum, population: s.keys.length, drawn: s.quota })),
    items,
  };
}
