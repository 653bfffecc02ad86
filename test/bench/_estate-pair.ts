/**
 * Two exports of the same estate a day apart, shaped like `az backup item
 * list` output (ARM protectedItem resources), as issue 17 measures them: the
 * second day moves every last backup by a day, stops protection on 3 % of
 * items, fails 2 %, removes 1 % and adds 500. Written in chunks, never held
 * in memory. Usage as a script: node --import tsx _estate-pair.ts DIR N
 */
import fs from 'node:fs';
import path from 'node:path';
import { estateItems } from '../harness/estate.ts';

const DAY1 = '2026-11-20T08:00:00Z';
const DAY2 = '2026-11-21T08:00:00Z';

function dayTwo(it: Record<string, unknown>, i: number): Record<string, unknown> | null {
  const m = i % 100;
  if (m === 7) return null;
  const p = { ...(it.properties as Record<string, unknown>) };
  if (m === 10 || m === 11 || m === 12) {
    p.protectionState = 'ProtectionStopped';
    delete p.policyId;
    delete p.policyName;
  } else if (m === 20 || m === 21) {
    p.lastBackupStatus = 'Failed';
    p.protectionStatus = 'Unhealthy';
  }
  return { ...it, properties: p };
}

function writeList(file: string, items: Iterable<Record<string, unknown>>): { bytes: number; items: number } {
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let n = 0;
  let buf = '{"value":[';
  for (const it of items) {
    buf += (n++ ? ',\n' : '\n') + JSON.stringify(it, null, 1);
    if (buf.length > 1 << 20) {
      bytes += fs.writeSync(fd, buf);
      buf = '';
    }
  }
  buf += '\n]}\n';
  bytes += fs.writeSync(fd, buf);
  fs.closeSync(fd);
  return { bytes, items: n };
}

export type EstatePair = { day1: string; day2: string; bytes: number; asOf1: string; asOf2: string; items1: number; items2: number };

export function writeEstatePair(dir: string, n: number): EstatePair {
  const shape = { subscriptions: 10, vaultsPerSubscription: 10 };
  const day1 = path.join(dir, 'day1.json');
  const day2 = path.join(dir, 'day2.json');
  const a = writeList(day1, estateItems({ items: n, asOf: DAY1, ...shape }));
  // Same seed, so the same ids in the same order; asOf moves only the backup times. The 500 after n are the added ones.
  function* second(): Generator<Record<string, unknown>> {
    let i = 0;
    for (const it of estateItems({ items: n + 500, asOf: DAY2, ...shape })) {
      const out = i < n ? dayTwo(it, i) : it;
      i++;
      if (out) yield out;
    }
  }
  const b = writeList(day2, second());
  return { day1, day2, bytes: a.bytes + b.bytes, asOf1: DAY1, asOf2: DAY2, items1: a.items, items2: b.items };
}

if (process.argv[1] && /_estate-pair\.ts$/.test(process.argv[1])) {
  const [dir, n] = process.argv.slice(2);
  console.log(JSON.stringify(writeEstatePair(dir!, Number(n ?? 100_000))));
}
