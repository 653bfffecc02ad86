import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/identity';
import type { ProgressUpdate } from '../../shared/contract/events.ts';
import type { CollectInclude } from '../../shared/contract/methods/collect.ts';
import { collect, type CollectDeps, type CollectOptions } from '../../electron/core/collect/index.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import type { ArmEmulator } from '../harness/arm-emulator/index.ts';

export function tempDir(prefix = 'vp-collect-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function tempStore(): { store: Store; storePath: string; dir: string } {
  const dir = tempDir();
  const storePath = path.join(dir, 'store.db');
  return { store: openStore(storePath), storePath, dir };
}

/** A credential that hands out tokens the emulator accepts (the real sign-in is tested separately). */
export function emulatorCredential(emu: ArmEmulator): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    getToken(scope: string | string[]): Promise<AccessToken> {
      const s = Array.isArray(scope) ? scope[0]! : scope;
      scopes.push(s);
      return Promise.resolve({ token: emu.userToken(s), expiresOnTimestamp: Date.now() + 3600_000 });
    },
  };
}

/** Back-off that never waits but remembers what it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number, signal?: AbortSignal) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: (ms, signal) => {
      delays.push(ms);
      if (signal?.aborted) return Promise.reject(new Error('aborted'));
      return Promise.resolve();
    },
  };
}

export function emulatorOptions(emu: ArmEmulator, over: Partial<CollectOptions> & { include?: ReadonlySet<CollectInclude> } = {}): CollectOptions {
  return {
    subscriptions: emu.estate.subscriptions.map((s) => s.subscriptionId),
    tenantId: emu.estate.tenantId,
    cloud: { name: 'custom', authorityHost: emu.url, armEndpoint: emu.url, tokenScope: `${emu.url}/.default`, extraCa: [emu.ca], caFile: null, custom: true },
    auth: { auth: 'cli', clientId: undefined, clientSecret: undefined, clientCertificatePath: undefined },
    include: new Set<CollectInclude>(['jobs', 'inventory', 'backup-vaults']),
    jobsDays: 7,
    concurrency: 8,
    itemsVia: 'arm',
    label: null,
    ...over,
  };
}

export type Run = {
  events: ProgressUpdate[];
  delays: number[];
  credential: ReturnType<typeof emulatorCredential>;
};

/** Collects from the emulator with a test credential, tiny retry delays and a clock that does not wait. */
export async function collectFromEmulator(
  emu: ArmEmulator,
  store: Store,
  over: Partial<CollectOptions> = {},
  deps: Partial<CollectDeps> = {},
): Promise<{ result: Awaited<ReturnType<typeof collect>>; run: Run }> {
  const credential = emulatorCredential(emu);
  const { sleep, delays } = recordingSleep();
  const events: Run['events'] = [];
  const result = await collect(emulatorOptions(emu, over), {
    store,
    now: () => new Date(emu.estate.baseTimeMs),
    user: 'auditor1',
    signal: new AbortController().signal,
    onProgress: (e) => events.push(e),
    credential,
    sleep,
    retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 60_000 },
    ...deps,
  });
  return { result, run: { events, delays, credential } };
}
