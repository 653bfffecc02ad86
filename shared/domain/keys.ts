/**
 * Canonical keys. An item's key is its ARM id lower-cased, with the optional
 * `/backupFabrics/Azure` segment always present for Recovery Services items,
 * a single leading slash, no trailing slash, and no host part (vaultId on real
 * items is an absolute URL). Real payloads mix `/Subscriptions/` and
 * `/subscriptions/`, `VMAppContainer;Compute;…` and `…;compute;…`, so case is
 * never significant.
 */
/** What makes an id need more than lower-casing: a doubled or trailing slash, a query, whitespace at either end. */
const NOT_PLAIN = /\/\/|\?|\/$|^\s|\s$/;

export function canonicalArmId(id: string): string {
  // An id as ARM writes it ("/subscriptions/…", nothing to trim, collapse or cut) only needs lower-casing:
  // one scan instead of five passes and as many new strings (each item has four or five ids).
  if (id.charCodeAt(0) === 47 && !NOT_PLAIN.test(id)) return id.toLowerCase();
  let s = id.trim();
  const hostMatch = /^https?:\/\/[^/]+(\/.*)$/i.exec(s);
  if (hostMatch) s = hostMatch[1] ?? s;
  s = s.split('?')[0] ?? s;
  s = s.replace(/\/+/g, '/').replace(/\/$/, '');
  if (!s.startsWith('/')) s = `/${s}`;
  return s.toLowerCase();
}

const rsvContainerWithoutFabric = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.recoveryservices\/vaults\/[^/]+)\/protectioncontainers\//;

export function itemKeyFromId(id: string): string {
  const s = canonicalArmId(id);
  // Some sources (PowerShell, older ARG rows) omit the fabric segment.
  return s.replace(rsvContainerWithoutFabric, '$1/backupfabrics/azure/protectioncontainers/');
}

export type ArmIdParts = {
  subscriptionId: string | null;
  resourceGroup: string | null;
  provider: string | null;
  /** type/name pairs after the provider, e.g. [['vaults','v1'],['backupFabrics','Azure']] */
  segments: Array<[string, string]>;
};

/** Splits an ARM id keeping the original casing of each part. */
export function parseArmId(id: string): ArmIdParts {
  let s = id.trim();
  const hostMatch = /^https?:\/\/[^/]+(\/.*)$/i.exec(s);
  if (hostMatch) s = hostMatch[1] ?? s;
  const parts = s.split('?')[0]!.split('/').filter((p) => p.length > 0);
  let subscriptionId: string | null = null;
  let resourceGroup: string | null = null;
  let provider: string | null = null;
  const segments: Array<[string, string]> = [];
  let i = 0;
  while (i < parts.length) {
    const seg = parts[i]!.toLowerCase();
    if (seg === 'subscriptions' && subscriptionId === null) {
      subscriptionId = parts[i + 1] ?? null;
      i += 2;
    } else if (seg === 'resourcegroups' && resourceGroup === null) {
      resourceGroup = parts[i + 1] ?? null;
      i += 2;
    } else if (seg === 'providers') {
      provider = parts[i + 1] ?? null;
      i += 2;
    } else {
      segments.push([parts[i]!, parts[i + 1] ?? '']);
      i += 2;
    }
  }
  return { subscriptionId, resourceGroup, provider, segments };
}

/** The vault id (original casing) that an item, policy or job id lives in. */
export function vaultIdOf(id: string): string | null {
  const m = /^(?:https?:\/\/[^/]+)?(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/(?:microsoft\.recoveryservices\/vaults|microsoft\.dataprotection\/backupvaults)\/[^/?]+)/i.exec(id.trim());
  return m ? m[1]! : null;
}
