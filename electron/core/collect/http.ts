/**
 * The HTTP side of a collection, shared by every SDK client: one request
 * limiter, one retry policy (429/5xx/timeouts, honouring Retry-After), a
 * guard that keeps the bearer token on the configured ARM endpoint, request
 * counters, and ARM error decoding. Plus a small generic ARM client (core-
 * client ServiceClient with the bearer policy) for the APIs we have no SDK
 * package for: subscriptions, Microsoft.DataProtection, cloud metadata.
 */
import tls from 'node:tls';
import { ServiceClient } from '@azure/core-client';
import type { TokenCredential } from '@azure/identity';
import { createPipelineRequest, isRestError, RestError, type Pipeline, type PipelinePolicy, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { toolVersion } from '../version.ts';
import { abortError, type Limiter, sleep as defaultSleep } from './limiter.ts';

export type RetrySettings = {
  /** Retries after the first attempt (default 4). */
  maxRetries: number;
  /** First back-off for 5xx / network errors without Retry-After (default 1000 ms), doubled each time. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is cut to it (default 5 min) so one vault cannot stall a run for hours. */
  maxRetryAfterMs: number;
};

export const defaultRetry: RetrySettings = { maxRetries: 4, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 300_000 };

export type HttpStats = { total: number; retried: number; throttled: number };

export type HttpSetup = {
  armEndpoint: string;
  tokenScope: string;
  credential: TokenCredential;
  /** CA certificates to trust (system roots plus the extra CA) or undefined for the default. */
  ca: string[] | undefined;
  /**
   * One object for every client: the HTTP layer caches its keep-alive agent by this object's identity.
   * The CAs go in as one secure context built once, not as `ca`: node's https agent names each request's
   * connection pool by concatenating `ca` — a string of every root certificate (about 200 kB) per
   * request, 8.5 s of CPU in a 1,400-request collection with an extra CA.
   */
  tlsOptions: { ca?: string[]; secureContext?: tls.SecureContext } | undefined;
  limiter: Limiter;
  retry: RetrySettings;
  stats: HttpStats;
  requestTimeoutMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
};

/** An ARM failure as coverage records it. */
export class ArmCallError extends Error {
  readonly code: string;
  readonly status: number | null;
  constructor(code: string, message: string, status: number | null) {
    super(message);
    this.name = 'ArmCallError';
    this.code = code;
    this.status = status;
  }
}

function armErrorBody(text: string | undefined): { code: string; message: string } | null {
  if (!text) return null;
  try {
    const doc = JSON.parse(text) as { error?: { code?: unknown; message?: unknown }; code?: unknown; message?: unknown };
    const e = doc.error ?? doc;
    if (typeof e.code === 'string') return { code: e.code, message: typeof e.message === 'string' ? e.message : '' };
  } catch {
    // not JSON: fall through
  }
  return null;
}

export function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || /operation was aborted/i.test(e.message));
}

/** { code, message } of anything an ARM call can throw (ARM error body first, then HTTP status). */
export function armErrorOf(e: unknown): { code: string; message: string; status: number | null } {
  if (e instanceof ArmCallError) return { code: e.code, message: e.message, status: e.status };
  if (isRestError(e)) {
    const status = e.statusCode ?? null;
    const body = armErrorBody(e.response?.bodyAsText ?? undefined);
    if (body) return { code: body.code, message: body.message || e.message, status };
    const code = e.code && !/^REQUEST_SEND_ERROR$/.test(e.code) ? e.code : status ? `HTTP${status}` : 'RequestFailed';
    return { code, message: e.message, status };
  }
  if (e instanceof Error) {
    const sys = (e as NodeJS.ErrnoException).code;
    return { code: typeof sys === 'string' ? sys : e.name || 'Error', message: e.message, status: null };
  }
  return { code: 'Error', message: String(e), status: null };
}

function retryAfterMs(res: PipelineResponse): number | null {
  for (const h of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = res.headers.get(h);
    if (v !== undefined && v !== '' && Number.isFinite(Number(v))) return Math.max(0, Number(v));
  }
  const ra = res.headers.get('retry-after');
  if (ra === undefined || ra === '') return null;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Number(ra) * 1000;
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

const transientCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'REQUEST_SEND_ERROR']);

function retryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * Retries 429, 408 and 5xx (honouring Retry-After / x-ms-retry-after-ms) and
 * network errors and timeouts (exponential back-off). Replaces the SDK's
 * default retry policy so every client counts retries in one place and tests
 * can pass a clock that does not really wait.
 */
export function retryPolicy(setup: Pick<HttpSetup, 'retry' | 'stats' | 'sleep'>): PipelinePolicy {
  return {
    name: 'vaultproofRetryPolicy',
    async sendRequest(request, next) {
      const signal = request.abortSignal as AbortSignal | undefined;
      for (let attempt = 0; ; attempt++) {
        let response: PipelineResponse | undefined;
        let error: unknown;
        try {
          response = await next(request);
        } catch (e) {
          error = e;
        }
        if (signal?.aborted) throw abortError(signal);
        let retryable = false;
        let wait: number | null = null;
        if (response) {
          if (retryableStatus(response.status)) {
            retryable = true;
            wait = retryAfterMs(response);
            if (response.status === 429) setup.stats.throttled++;
          }
        } else if (isAbort(error)) {
          // Not the caller's signal, so the per-request timeout fired.
          error = new ArmCallError('RequestTimeout', `no answer from ${new URL(request.url).host} within ${request.timeout} ms`, null);
          retryable = true;
        } else {
          const code = (error as { code?: unknown } | null)?.code;
          retryable = typeof code === 'string' && transientCodes.has(code);
        }
        if (!retryable || attempt >= setup.retry.maxRetries) {
          if (response) return response;
          throw error;
        }
        const backoff = Math.min(setup.retry.maxDelayMs, setup.retry.baseDelayMs * 2 ** attempt);
        const delay = wait !== null ? Math.min(wait, setup.retry.maxRetryAfterMs) : backoff * (0.8 + 0.4 * Math.random());
        setup.stats.retried++;
        await setup.sleep(delay, signal);
      }
    },
  };
}

/** Keeps every request (and so the bearer token) on the configured ARM endpoint: a nextLink elsewhere is refused. */
function originGuardPolicy(allowedOrigin: string): PipelinePolicy {
  return {
    name: 'vaultproofOriginGuard',
    sendRequest(request, next) {
      const origin = new URL(request.url).origin;
      if (origin !== allowedOrigin) {
        return Promise.reject(new ArmCallError('DisallowedHost', `refused to send a request to ${origin}: only ${allowedOrigin} is configured`, null));
      }
      return next(request);
    },
  };
}

/** Holds a permit of the shared limiter only while the request is on the wire (never while backing off). */
function limiterPolicy(limiter: Limiter, stats: HttpStats, timeoutMs: number): PipelinePolicy {
  return {
    name: 'vaultproofLimiter',
    async sendRequest(request: PipelineRequest, next) {
      await limiter.acquire(request.abortSignal as AbortSignal | undefined);
      stats.total++;
      if (!request.timeout) request.timeout = timeoutMs;
      try {
        return await next(request);
      } finally {
        limiter.release();
      }
    },
  };
}

/**
 * Replaces the SDK's model deserialization: a 2xx body is parsed once with
 * JSON.parse and handed on as is (the generated paging code only reads
 * `value` and `nextLink`), anything else becomes a RestError carrying the
 * ARM error. The SDK models would turn date-times into Date objects and drop
 * fields they do not know, and the evidence is the raw body anyway; mapping
 * 100,000 polymorphic items was also the largest CPU cost of a collection.
 */
function rawJsonPolicy(): PipelinePolicy {
  return {
    name: 'vaultproofRawJson',
    async sendRequest(request, next) {
      const response = await next(request);
      const text = response.bodyAsText ?? '';
      if (response.status >= 200 && response.status <= 299) {
        if (text.trim() !== '') {
          try {
            (response as PipelineResponse & { parsedBody?: unknown }).parsedBody = JSON.parse(text) as unknown;
          } catch {
            throw new RestError(`${new URL(request.url).pathname} answered ${response.status} with a body that is not JSON`, { code: 'InvalidResponse', statusCode: response.status, request, response });
          }
        }
        return response;
      }
      const body = armErrorBody(text);
      throw new RestError(body?.message || `${response.status} from ${request.method} ${new URL(request.url).pathname}`, { code: body?.code ?? `HTTP${response.status}`, statusCode: response.status, request, response });
    },
  };
}

/** Installs the shared policies on an SDK client's pipeline. */
export function instrumentPipeline(pipeline: Pipeline, setup: HttpSetup, opts: { rawJson?: boolean } = {}): void {
  if (opts.rawJson) {
    pipeline.removePolicy({ name: 'deserializationPolicy' });
    pipeline.addPolicy(rawJsonPolicy(), { phase: 'Deserialize' });
  }
  pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  pipeline.addPolicy(retryPolicy(setup), { phase: 'Retry' });
  pipeline.addPolicy(originGuardPolicy(new URL(setup.armEndpoint).origin), { afterPhase: 'Sign' });
  pipeline.addPolicy(limiterPolicy(setup.limiter, setup.stats, setup.requestTimeoutMs), { afterPhase: 'Sign' });
}

/** Options every SDK client is built with (the generated clients read `$host` for URLs and `endpoint` for the pipeline). */
export function sdkClientOptions(setup: HttpSetup): Record<string, unknown> {
  return {
    endpoint: setup.armEndpoint,
    $host: setup.armEndpoint,
    credentialScopes: [setup.tokenScope],
    retryOptions: { maxRetries: 0 },
    userAgentOptions: { userAgentPrefix: `vaultproof/${toolVersion}` },
    ...(setup.tlsOptions ? { tlsOptions: setup.tlsOptions } : {}),
  };
}

export function createHttpSetup(p: Omit<HttpSetup, 'stats' | 'sleep' | 'retry' | 'requestTimeoutMs' | 'tlsOptions'> & Partial<Pick<HttpSetup, 'sleep' | 'retry' | 'requestTimeoutMs'>>): HttpSetup {
  return {
    ...p,
    tlsOptions: p.ca ? { secureContext: tls.createSecureContext({ ca: p.ca }) } : undefined,
    retry: p.retry ?? defaultRetry,
    requestTimeoutMs: p.requestTimeoutMs ?? 120_000,
    sleep: p.sleep ?? defaultSleep,
    stats: { total: 0, retried: 0, throttled: 0 },
  };
}

export type ArmPage = { value: unknown[]; nextLink: string | null };

/**
 * A generic ARM client over core-client's ServiceClient (bearer-token
 * policy, our retry and limiter). Bodies come back as parsed JSON exactly as
 * received, with no model mapping.
 */
export class ArmRestClient {
  private readonly client: ServiceClient;
  private readonly setup: HttpSetup;

  constructor(setup: HttpSetup) {
    this.setup = setup;
    this.client = new ServiceClient({
      endpoint: setup.armEndpoint,
      credential: setup.credential,
      credentialScopes: [setup.tokenScope],
      retryOptions: { maxRetries: 0 },
      userAgentOptions: { userAgentPrefix: `vaultproof/${toolVersion}` },
      ...(setup.tlsOptions ? { tlsOptions: setup.tlsOptions } : {}),
    });
    instrumentPipeline(this.client.pipeline, setup);
  }

  /** GET a path (relative to the ARM endpoint) or an absolute URL; throws ArmCallError unless 2xx. */
  async get(pathOrUrl: string, signal: AbortSignal): Promise<unknown> {
    const url = /^https:\/\//i.test(pathOrUrl) ? pathOrUrl : `${this.setup.armEndpoint}${pathOrUrl}`;
    const req = createPipelineRequest({ url, method: 'GET', abortSignal: signal });
    req.headers.set('accept', 'application/json');
    const res = await this.client.sendRequest(req);
    if (res.status < 200 || res.status > 299) {
      const body = armErrorBody(res.bodyAsText ?? undefined);
      throw new ArmCallError(body?.code ?? `HTTP${res.status}`, body?.message || `${res.status} from GET ${new URL(url).pathname}`, res.status);
    }
    try {
      return JSON.parse(res.bodyAsText ?? 'null') as unknown;
    } catch {
      throw new ArmCallError('InvalidResponse', `GET ${new URL(url).pathname} answered ${res.status} with a body that is not JSON`, res.status);
    }
  }

  /** Every page of an ARM list, following absolute nextLinks. */
  async *pages(path: string, signal: AbortSignal): AsyncGenerator<ArmPage> {
    let next: string | null = path;
    let guard = 0;
    while (next) {
      const body = (await this.get(next, signal)) as { value?: unknown; nextLink?: unknown } | null;
      const value = Array.isArray(body?.value) ? body.value : [];
      const link = typeof body?.nextLink === 'string' && body.nextLink !== '' ? body.nextLink : null;
      yield { value, nextLink: link };
      if (link === next || ++guard > 100_000) throw new ArmCallError('PagingLoop', `the service returned the same nextLink twice for ${path}`, null);
      next = link;
    }
  }
}

/**
 * Asks an ARM endpoint for its token audience (`/metadata/endpoints`, what
 * `az cloud register` reads): Azure Stack Hub and private clouds advertise an
 * audience that is not the endpoint URL. Unauthenticated; null when absent.
 */
export async function discoverAudience(armEndpoint: string, ca: string[] | undefined, signal: AbortSignal): Promise<string | null> {
  const client = new ServiceClient({ retryOptions: { maxRetries: 1 }, ...(ca ? { tlsOptions: { ca } } : {}) });
  const req = createPipelineRequest({ url: `${armEndpoint}/metadata/endpoints?api-version=2015-01-01`, method: 'GET', abortSignal: signal, timeout: 30_000 });
  try {
    const res = await client.sendRequest(req);
    if (res.status !== 200) return null;
    const doc = JSON.parse(res.bodyAsText ?? '{}') as { authentication?: { audiences?: unknown } };
    const aud = doc.authentication?.audiences;
    return Array.isArray(aud) && typeof aud[0] === 'string' && aud[0] !== '' ? aud[0] : null;
  } catch (e) {
    if (signal.aborted) throw e;
    return null;
  }
}
