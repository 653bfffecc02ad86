/**
 * `vaultproof demo`: the first thing a new user runs. Imports the bundled
 * demo estate (assets/demo: two snapshots a month apart, shaped like real ARM
 * payloads — a retired VM, a failed backup, a VM stopped but still billed, a
 * new VM waiting for its first backup, a vault without soft delete), records
 * owners, sizes, an exception and a restore test, builds a signed pack with a
 * local identity and verifies it. It never touches the user's own store: the
 * store and the pack live in --out (or a new temporary folder), and the
 * identity's passphrase is random for the run and never written anywhere.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoResult } from '../../../shared/contract/methods/packs.ts';
import type { Progress } from '../../../shared/contract/events.ts';
import { addRestoreTest, authorFor, setAnnotations } from '../annotations/service.ts';
import { toolVersion } from '../version.ts';
import { importFiles } from '../import/index.ts';
import { claimOutputFolder } from '../output/guard.ts';
import { openStore } from '../store/store.ts';
import { buildPack } from './build.ts';
import { readTrustAnchors } from './sign/trust.ts';
import { verifyPack } from './verify.ts';

export const demoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../assets/demo');

const SNAPSHOTS = [
  { folder: '2025-09-30', asOf: '2025-09-30T06:00:00Z', label: 'Demo estate, September' },
  { folder: '2025-10-30', asOf: '2025-10-30T06:00:00Z', label: 'Demo estate, October' },
];

const SUB = '5b1f4c2a-7d3e-4f60-9a8b-1c2d3e4f5a6b';
const VAULT = `/subscriptions/${SUB}/resourcegroups/rg-backup/providers/microsoft.recoveryservices/vaults/rsv-prod-weu/backupfabrics/azure/protectioncontainers`;
const demoKey = (container: string, item: string): string => `${VAULT}/${container}/protecteditems/${item}`;
const vmKey = (rg: string, vm: string): string => demoKey(`iaasvmcontainer;iaasvmcontainerv2;${rg};${vm}`, `vm;iaasvmcontainerv2;${rg};${vm}`);

const KEYS = {
  web: vmKey('rg-web', 'vm-web-01'),
  app: vmKey('rg-app', 'vm-app-02'),
  legacy: vmKey('rg-legacy', 'vm-legacy-03'),
  tokyo: vmKey('rg-fin', 'vm-fin-tokyo'),
  orders: demoKey('vmappcontainer;compute;rg-db;sql-orders-vm', 'sqldatabase;mssqlserver;orders'),
  share: demoKey('storagecontainer;storage;rg-files;stfinance01', 'azurefileshare;finance-share'),
};

function day(d: Date, plusDays: number): string {
  return new Date(d.getTime() + plusDays * 86_400_000).toISOString().slice(0, 10);
}

export async function runDemo(opts: { out?: string | undefined; now: Date; user: string; onProgress?: Progress; signal?: AbortSignal; /** the caller's own store, which the demo never writes into */ storePath?: string | null }): Promise<DemoResult> {
  const out = opts.out ? claimOutputFolder(opts.out, { storePath: opts.storePath ?? null, option: 'out' }) : fs.mkdtempSync(path.join(os.tmpdir(), 'vaultproof-demo-'));
  fs.mkdirSync(out, { recursive: true, mode: 0o700 });
  const storePath = path.join(out, 'demo-store', 'vaultproof.db');
  const store = openStore(storePath);
  try {
    const emit = (phase: string, done: number, message: string): void => opts.onProgress?.({ phase, done, total: 4, message });
    const snapshots: string[] = [];
    for (const s of SNAPSHOTS) {
      emit('import', snapshots.length, `importing ${s.folder}`);
      const dir = path.join(demoDir, s.folder);
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(dir, f));
      const r = await importFiles(store, files, { label: s.label, asOf: s.asOf, now: opts.now, user: opts.user, ...(opts.signal ? { signal: opts.signal } : {}) });
      snapshots.push(r.snapshotId);
    }

    emit('annotate', 2, 'recording owners, sizes, an exception and a restore test');
    const author = authorFor(store, opts.user, opts.now);
    const set = (target: string, fields: Record<string, unknown>): void => {
      setAnnotations(store, { target: `item:${target}`, ...fields } as Parameters<typeof setAnnotations>[1], author);
    };
    set(KEYS.web, { owner: 'Ana Silva', ownerEmail: 'ana.silva@contoso.example', team: 'Web platform', costCentre: 'CC-410', criticality: 'high', frontEndGb: 120, storageGb: 310 });
    set(KEYS.app, { owner: 'Ben Okafor', team: 'Line-of-business apps', costCentre: 'CC-220', frontEndGb: 220, storageGb: 540 });
    set(KEYS.legacy, { owner: 'Ben Okafor', frontEndGb: 80, storageGb: 160, decision: { decision: 'retire', reason: 'Replaced by vm-web-02' }, reason: 'Replaced by vm-web-02' });
    set(KEYS.orders, { owner: 'Chen Wei', team: 'Data', criticality: 'high', frontEndGb: 40, storageGb: 95 });
    set(KEYS.share, { owner: 'Dana Müller', team: 'Finance', frontEndGb: 600, storageGb: 880 });
    set(KEYS.tokyo, { owner: '佐藤 花子', team: 'Finance APAC', frontEndGb: 60, storageGb: 130 });
    set(KEYS.app, {
      exception: {
        rule: 'protection-stopped',
        justification: 'Application is being decommissioned; recovery points are kept for the legal hold until the archive export is signed off.',
        approver: 'Grace Hopper (CISO)',
        ticket: 'CHG-1042',
        expires: day(opts.now, 90),
      },
    });
    addRestoreTest(
      store,
      { target: `item:${KEYS.orders}`, date: '2025-10-15', recoveryPoint: '2025-10-14T23:00:09Z', outcome: 'passed', durationMin: 42, restoreTarget: 'sql-restore-test-vm', tester: 'Chen Wei', ticket: 'DR-2025-07' },
      author,
    );

    emit('pack', 3, 'building the signed evidence pack');
    // A fresh passphrase for this run only: the demo identity cannot be reused by anyone.
    const passphrase = crypto.randomBytes(24).toString('base64url');
    const pack = await buildPack(
      store,
      {
        snapshot: snapshots[1]!,
        compare: snapshots[0]!,
        sample: { seed: 'vaultproof-demo', size: 3 },
        out: path.join(out, 'pack'),
        signer: { kind: 'local', identity: 'demo', commonName: 'Vaultproof Demo Auditor', email: 'auditor@contoso.example' },
        passphrase,
      },
      { now: opts.now, user: opts.user, toolVersion, ...(opts.signal ? { signal: opts.signal } : {}) },
    );
    const trustAnchor = pack.signer.caPath!;
    const verify = await verifyPack(pack.path, { trust: readTrustAnchors([trustAnchor]) });
    emit('done', 4, verify.intact ? 'pack verified' : 'pack verification FAILED');
    return { storePath, snapshots, pack, verify, trustAnchor };
  } finally {
    store.close();
  }
}
