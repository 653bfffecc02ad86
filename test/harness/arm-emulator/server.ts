import { EventEmitter } from 'node:events';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeAuthority, type ServicePrincipal } from './aad.ts';
import { Estate, guid, type EstateOptions, type RsvVaultModel } from './estate.ts';
import { queryResourceGraph } from './resource-graph.ts';
import { emulatorTls } from './tls.ts';

/**
 * An ARM emulator on https://127.0.0.1:<port>: subscriptions, Recovery
 * Services vaults and their backup resources, Backup vaults (DataProtection),
 * Resource Graph and a fake AAD authority, with fault injection. Real SDK
 * clients talk to it unchanged (endpoint + `tlsOptions: { ca }`).
 */

type Json = Record<string, unknown>;

export type Fault = {
  /** Tested against `METHOD /decoded/path` (no query), case-insensitively. */
  match: RegExp;
  /** HTTP status to answer with (429, 500, 503, 403, 404, ...). Ignored when `hold`. */
  status?: number;
  /** How many matching requests get the fault (default: all). */
  times?: number;
  /** Retry-After header in seconds (ARM's form). */
  retryAfter?: number;
  /** x-ms-retry-after-ms header. */
  retryAfterMs?: number;
  code?: string;
  message?: string;
  /** Never answer (until the client gives up or `releaseHeld()`); for cancel tests. */
  hold?: boolean;
};

export type RequestLogEntry = {
  seq: number;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  fault: boolean;
  principal: string | null;
  /** The Host header (which name the client used to reach us). */
  host: string;
  /** The parsed JSON body of a Resource Graph query. */
  body?: unknown;
};

export type ArmEmulatorOptions = EstateOptions & {
  /** Emulated service latency per request (default 0). */
  latencyMs?: number;
  /** Items per page of backupProtectedItems and other ARM lists (default 200). */
  pageSize?: number;
  faults?: Fault[];
  servicePrincipals?: ServicePrincipal[];
  /** Refuse requests without a token issued by the fake authority (default true). */
  requireAuth?: boolean;
  /**
   * The token audience ARM accepts and advertises at /metadata/endpoints
   * (default: the emulator's own URL). Tokens for another audience get 401.
   */
  audience?: string;
  /** Origin put in nextLinks instead of the emulator's own (to test that clients refuse foreign hosts). */
  nextLinkOrigin?: string;
  /**
   * Render every protected-items page once at start and serve the text from
   * memory (benchmarks: the stand-in for Azure should not compete with the
   * collector for CPU). Costs about 0.5 GB for 100,000 items.
   */
  prerenderItemPages?: boolean;
};

export type ArmEmulator = {
  url: string;
  port: number;
  /** PEM of the self-signed certificate (trust it with `tlsOptions: { ca }`). */
  ca: string;
  estate: Estate;
  authority: FakeAuthority;
  requests: RequestLogEntry[];
  /** Requests being answered right now, the most at once, and TLS connections accepted. */
  load: { inFlight: number; peak: number; connections: number };
  events: EventEmitter;
  addFault(f: Fault): void;
  clearFaults(): void;
  /** 403 AuthorizationFailed for every request under this vault. */
  forbidVault(name: string): void;
  setLatency(ms: number): void;
  /** Resolves with the first logged request (past or future) that matches. */
  waitForRequest(pred: (r: RequestLogEntry) => boolean): Promise<RequestLogEntry>;
  releaseHeld(): void;
  /** A token the emulator accepts, for tests using a fixed credential. */
  userToken(scope?: string): string;
  close(): Promise<void>;
};

/** A response body already rendered as JSON text. */
class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

function armError(status: number, code: string, message: string): { status: number; body: Json } {
  return { status, body: { error: { code, message } } };
}

function decodeSegments(pathname: string): string[] {
  return pathname
    .split('/')
    .filter((p) => p.length > 0)
    .map((p) => decodeURIComponent(p));
}

export async function startArmEmulator(opts: ArmEmulatorOptions = {}): Promise<ArmEmulator> {
  const estate = new Estate(opts);
  const tls = emulatorTls();
  const authority = new FakeAuthority(estate.tenantId, opts.servicePrincipals ?? []);
  const faults: Array<Fault & { used: number }> = (opts.faults ?? []).map((f) => ({ ...f, used: 0 }));
  const requests: RequestLogEntry[] = [];
  const load = { inFlight: 0, peak: 0, connections: 0 };
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const held = new Set<ServerResponse>();
  let latencyMs = opts.latencyMs ?? 0;
  const pageSize = opts.pageSize ?? 200;
  const requireAuth = opts.requireAuth ?? true;
  let seq = 0;
  let baseUrl = '';

  /** Pre-rendered `value` arrays of item pages, keyed by vault id and offset. */
  const itemPages = new Map<string, string>();
  if (opts.prerenderItemPages) {
    for (const v of estate.rsvVaults) {
      for (let from = 0; from < v.itemCount; from += pageSize) itemPages.set(`${v.id}|${from}`, JSON.stringify(estate.rsvItems(v, from, from + pageSize)));
    }
  }

  const pagedList = (path: string, query: URLSearchParams, total: number, build: (from: number, to: number) => Json[], size = pageSize, cacheKey?: string): Json | RawJson => {
    const token = query.get('$skiptoken') ?? query.get('$skipToken');
    const from = token ? Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, '')) : 0;
    const to = Math.min(total, from + size);
    let nextLink: string | undefined;
    if (to < total) {
      // Real ARM: absolute URL, `$` percent-encoded, api-version kept.
      const next = new URLSearchParams();
      for (const [k, v] of query) if (k.toLowerCase() !== '$skiptoken') next.append(k, v);
      next.append('$skiptoken', Buffer.from(`offset:${to}`).toString('base64url'));
      nextLink = `${opts.nextLinkOrigin ?? baseUrl}${path}?${next.toString()}`;
    }
    const cached = cacheKey !== undefined && size === pageSize ? itemPages.get(`${cacheKey}|${from}`) : undefined;
    if (cached !== undefined) return new RawJson(`{"value":${cached}${nextLink ? `,"nextLink":${JSON.stringify(nextLink)}` : ''}}`);
    const body: Json = { value: build(from, to) };
    if (nextLink) body.nextLink = nextLink;
    return body;
  };

  /** Parses `startTime eq '2026-07-20 06:00:00 AM' and endTime eq '...'` (the az CLI's format). */
  const jobWindow = (filter: string | null): { from: number; to: number } | null => {
    if (!filter) return null;
    const parse = (name: string): number | null => {
      const m = new RegExp(`${name}\\s+eq\\s+'([^']+)'`, 'i').exec(filter);
      if (!m) return null;
      const t = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2}):(\d{2})(?:\s*(AM|PM))?/i.exec(m[1]!.trim());
      if (!t) return Date.parse(m[1]!);
      let h = Number(t[4]);
      if (t[7]) h = (h % 12) + (t[7].toUpperCase() === 'PM' ? 12 : 0);
      return Date.UTC(Number(t[1]), Number(t[2]) - 1, Number(t[3]), h, Number(t[5]), Number(t[6]));
    };
    const from = parse('startTime');
    const to = parse('endTime');
    if (from === null && to === null) return null;
    return { from: from ?? -Infinity, to: to ?? Infinity };
  };

  const rsvVaultRoute = (v: RsvVaultModel, rest: string[], path: string, query: URLSearchParams): { status: number; body: unknown } => {
    const r = rest.map((x) => x.toLowerCase());
    if (r.length === 0) return { status: 200, body: estate.rsvVaultBody(v) };
    if (r.length === 1 && r[0] === 'backupprotecteditems') {
      return { status: 200, body: pagedList(path, query, v.itemCount, (a, b) => estate.rsvItems(v, a, b), pageSize, v.id) };
    }
    if (r.length === 1 && r[0] === 'backuppolicies') return { status: 200, body: { value: estate.rsvPolicies(v) } };
    if (r.length === 1 && r[0] === 'backupjobs') {
      const win = jobWindow(query.get('$filter'));
      const jobs = estate.rsvJobs(v).filter((j) => {
        if (!win) return true;
        const t = Date.parse(String((j.properties as Json).startTime));
        return t >= win.from && t <= win.to;
      });
      return { status: 200, body: pagedList(path, query, jobs.length, (a, b) => jobs.slice(a, b)) };
    }
    if (r.length === 2 && r[0] === 'backupstorageconfig' && r[1] === 'vaultstorageconfig') return { status: 200, body: estate.storageConfig(v) };
    if (r.length === 2 && r[0] === 'backupconfig' && r[1] === 'vaultconfig') return { status: 200, body: estate.vaultConfig(v) };
    if (r.length === 2 && r[0] === 'backupencryptionconfigs') return { status: 200, body: estate.encryptionConfig(v) };
    if (r.length === 1 && r[0] === 'backupusagesummaries') return { status: 200, body: { value: estate.usageSummaries(v) } };
    if (r.length === 1 && r[0] === 'usages') return { status: 200, body: { value: estate.vaultUsages(v) } };
    // backupFabrics/{fabric}/protectionContainers/{container}/protectedItems/{item}[/recoveryPoints]
    if (r.length >= 6 && r[0] === 'backupfabrics' && r[2] === 'protectioncontainers' && r[4] === 'protecteditems') {
      const j = estate.findItem(v, rest[3]!, rest[5]!);
      if (j < 0) return armError(404, 'BMSUserErrorItemNotFound', `Item not found: ${rest[5]}`);
      if (r.length === 6) return { status: 200, body: estate.rsvItem(v, j) };
      if (r.length === 7 && r[6] === 'recoverypoints') {
        const rps = estate.recoveryPoints(v, j);
        return { status: 200, body: pagedList(path, query, rps.length, (a, b) => rps.slice(a, b)) };
      }
    }
    return armError(404, 'NotFound', `No route for ${path}`);
  };

  const route = (method: string, path: string, query: URLSearchParams, body: string): { status: number; body: unknown } => {
    const seg = decodeSegments(path);
    const low = seg.map((s) => s.toLowerCase());
    if (method === 'POST' && low.join('/') === 'providers/microsoft.resourcegraph/resources') {
      return queryResourceGraph(estate, JSON.parse(body || '{}') as Json);
    }
    if (method !== 'GET') return armError(405, 'MethodNotAllowed', `${method} is not supported by the emulator`);
    if (low[0] !== 'subscriptions') return armError(404, 'NotFound', `No route for ${path}`);
    if (seg.length === 1) {
      return { status: 200, body: pagedList(path, query, estate.subscriptions.length, (a, b) => estate.subscriptions.slice(a, b).map((s) => estate.subscriptionBody(s))) };
    }
    const sub = estate.subscription(seg[1]!);
    if (!sub) return armError(404, 'SubscriptionNotFound', `The subscription '${seg[1]}' could not be found.`);
    if (seg.length === 2) return { status: 200, body: estate.subscriptionBody(sub) };
    const tail = low.slice(2).join('/');
    if (tail === 'providers/microsoft.recoveryservices/vaults') {
      const vaults = estate.rsvVaultsOf(sub.subscriptionId);
      return { status: 200, body: pagedList(path, query, vaults.length, (a, b) => vaults.slice(a, b).map((v) => estate.rsvVaultBody(v))) };
    }
    if (tail === 'providers/microsoft.insights/actiongroups') return { status: 200, body: { value: estate.actionGroups(sub.subscriptionId) } };
    if (tail === 'providers/microsoft.alertsmanagement/actionrules') return { status: 200, body: { value: estate.alertProcessingRules(sub.subscriptionId) } };
    if (tail === 'providers/microsoft.authorization/roleassignments') {
      const list = estate.roleAssignments(sub.subscriptionId);
      return { status: 200, body: pagedList(path, query, list.length, (a, b) => list.slice(a, b)) };
    }
    if (tail === 'providers/microsoft.authorization/roledefinitions') {
      // Only the filter the collector sends (custom roles): built-in roles ship with Vaultproof.
      if (!/type eq 'customrole'/i.test(query.get('$filter') ?? '')) return armError(400, 'BadRequest', "the emulator serves role definitions with $filter=type eq 'CustomRole' only");
      return { status: 200, body: { value: estate.customRoles(sub.subscriptionId) } };
    }
    if (tail === 'providers/microsoft.dataprotection/backupvaults') {
      const vaults = estate.backupVaultsOf(sub.subscriptionId);
      return { status: 200, body: pagedList(path, query, vaults.length, (a, b) => vaults.slice(a, b).map((v) => estate.backupVaultBody(v))) };
    }
    // /subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}/...
    if (low[2] === 'resourcegroups' && low[4] === 'providers' && seg.length >= 8) {
      const rg = seg[3]!;
      const ns = `${low[5]}/${low[6]}`;
      const name = seg[7]!;
      const rest = seg.slice(8);
      if (ns === 'microsoft.recoveryservices/vaults') {
        const v = estate.rsvVault(sub.subscriptionId, rg, name);
        if (!v) return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.RecoveryServices/vaults/${name}' under resource group '${rg}' was not found.`);
        return rsvVaultRoute(v, rest, path, query);
      }
      if (ns === 'microsoft.dataprotection/backupvaults') {
        const b = estate.backupVault(sub.subscriptionId, rg, name);
        if (!b) return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.DataProtection/backupVaults/${name}' under resource group '${rg}' was not found.`);
        const r = rest.map((x) => x.toLowerCase());
        if (r.length === 0) return { status: 200, body: estate.backupVaultBody(b) };
        if (r.length === 1 && r[0] === 'backupinstances') {
          const list = estate.backupInstances(b);
          return { status: 200, body: pagedList(path, query, list.length, (x, y) => list.slice(x, y)) };
        }
        if (r.length === 1 && r[0] === 'deletedbackupinstances') {
          const list = estate.deletedBackupInstances(b);
          return { status: 200, body: pagedList(path, query, list.length, (x, y) => list.slice(x, y)) };
        }
        if (r.length === 1 && r[0] === 'backupjobs') {
          const list = estate.dppJobs(b);
          return { status: 200, body: pagedList(path, query, list.length, (x, y) => list.slice(x, y)) };
        }
        if (r.length === 3 && r[0] === 'backupinstances' && r[2] === 'recoverypoints') {
          const list = estate.dppRecoveryPoints(b, rest[1]!);
          return { status: 200, body: pagedList(path, query, list.length, (x, y) => list.slice(x, y)) };
        }
      }
    }
    return armError(404, 'NotFound', `No route for ${path}`);
  };

  const audienceOk = (aud: unknown): boolean => typeof aud === 'string' && aud.replace(/\/+$/, '') === (opts.audience ?? baseUrl).replace(/\/+$/, '');

  const principalOf = (req: IncomingMessage): { ok: boolean; principal: string | null; audience: boolean } => {
    const h = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(h);
    if (!m) return { ok: false, principal: null, audience: false };
    const t = authority.issued.get(m[1]!);
    if (!t) return { ok: false, principal: null, audience: false };
    const c = t.claims;
    return { ok: true, principal: String(c.upn ?? c.appid ?? c.oid), audience: audienceOk(c.aud) };
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = body instanceof RawJson ? body.text : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'x-ms-request-id': guid('req', seq),
      'x-ms-correlation-request-id': guid('corr', seq),
      ...headers,
    });
    res.end(text);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', baseUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const decoded = `/${decodeSegments(path).join('/')}`;
    const entry: RequestLogEntry = { seq: ++seq, method, path: decoded, query: Object.fromEntries(url.searchParams), status: 0, fault: false, principal: null, host: req.headers.host ?? '' };
    load.inFlight++;
    if (load.inFlight > load.peak) load.peak = load.inFlight;
    let counted = true;
    const done = () => {
      if (counted) load.inFlight--;
      counted = false;
    };
    res.on('close', done);
    const finish = (status: number, payload: unknown, headers?: Record<string, string>, fault = false) => {
      entry.status = status;
      entry.fault = fault;
      const respond = () => {
        done();
        if (res.destroyed) return;
        send(res, status, payload, headers);
      };
      if (latencyMs > 0) setTimeout(respond, latencyMs);
      else respond();
    };
    if (method === 'POST' && /resourcegraph/i.test(path)) {
      try {
        entry.body = JSON.parse(body) as unknown;
      } catch {
        entry.body = body;
      }
    }
    requests.push(entry);

    if (authority.handles(method, path)) {
      const r = authority.handle(method, path, url.searchParams, body);
      events.emit('request', entry);
      finish(r.status, r.body);
      return;
    }
    if (method === 'GET' && /^\/metadata\/endpoints$/i.test(path)) {
      events.emit('request', entry);
      const aud = opts.audience ?? `${baseUrl}/`;
      finish(200, {
        galleryEndpoint: `${baseUrl}/gallery/`,
        graphEndpoint: `${baseUrl}/graph/`,
        portalEndpoint: `${baseUrl}/portal/`,
        authentication: { loginEndpoint: `${baseUrl}/`, audiences: [aud] },
      });
      return;
    }
    const who = principalOf(req);
    entry.principal = who.principal;
    events.emit('request', entry);
    if (requireAuth && !who.ok) {
      finish(401, { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } }, { 'www-authenticate': `Bearer authorization_uri="${baseUrl}/${estate.tenantId}", error="invalid_token"` });
      return;
    }
    if (requireAuth && !who.audience) {
      finish(401, { error: { code: 'InvalidAuthenticationTokenAudience', message: `The access token has been obtained for wrong audience or resource. It should exactly match with one of the allowed audiences '${opts.audience ?? baseUrl}'.` } });
      return;
    }
    const key = `${method} ${decoded}`;
    const fault = faults.find((f) => f.match.test(key) && (f.times === undefined || f.used < f.times));
    if (fault) {
      fault.used++;
      if (fault.hold) {
        entry.status = -1;
        entry.fault = true;
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      const status = fault.status ?? 500;
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      if (fault.retryAfterMs !== undefined) headers['x-ms-retry-after-ms'] = String(fault.retryAfterMs);
      const code = fault.code ?? (status === 429 ? 'TooManyRequests' : status === 403 ? 'AuthorizationFailed' : status === 404 ? 'ResourceNotFound' : 'InternalServerError');
      const message =
        fault.message ??
        (status === 429
          ? 'The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00.'
          : status === 403
            ? `The client '${who.principal ?? 'unknown'}' with object id '${guid('oid', who.principal ?? '')}' does not have authorization to perform action 'Microsoft.RecoveryServices/vaults/read' over scope '${decoded}' or the scope is invalid. If access was recently granted, please refresh your credentials.`
            : 'An internal server error occurred. Please try again later.');
      finish(status, { error: { code, message } }, headers, true);
      return;
    }
    let result: { status: number; body: unknown };
    try {
      result = route(method, path, url.searchParams, body);
    } catch (e) {
      result = armError(500, 'EmulatorError', (e as Error).stack ?? String(e));
    }
    finish(result.status, result.body);
  };

  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.keepAliveTimeout = 30_000;
  server.on('secureConnection', () => load.connections++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `https://127.0.0.1:${port}`;
  authority.setBaseUrl(baseUrl);

  return {
    url: baseUrl,
    port,
    ca: tls.ca,
    estate,
    authority,
    requests,
    load,
    events,
    addFault(f) {
      faults.push({ ...f, used: 0 });
    },
    clearFaults() {
      faults.length = 0;
    },
    forbidVault(name) {
      const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      faults.unshift({ match: new RegExp(`/vaults/${esc}(/|$)`, 'i'), status: 403, used: 0 });
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    waitForRequest(pred) {
      const past = requests.find(pred);
      if (past) return Promise.resolve(past);
      return new Promise((resolve) => {
        const on = (r: RequestLogEntry) => {
          if (pred(r)) {
            events.off('request', on);
            resolve(r);
          }
        };
        events.on('request', on);
      });
    },
    releaseHeld() {
      for (const res of held) send(res, 500, { error: { code: 'Released', message: 'held request released' } });
      held.clear();
    },
    userToken(scope = `${baseUrl}/.default`) {
      return authority.issueUserToken(scope);
    },
    async close() {
      for (const res of held) res.destroy();
      held.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
