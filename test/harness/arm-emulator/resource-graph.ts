import { createHash } from 'node:crypto';
import type { Estate } from './estate.ts';

type Json = Record<string, unknown>;

/**
 * POST /providers/Microsoft.ResourceGraph/resources. Understands just enough
 * KQL for the queries Vaultproof sends: the table is the first word, and the
 * `type` filter is every quoted 'microsoft.x/y' string in the query (`=~`,
 * `in~` alike). Projections are ignored: rows come back whole, which is what
 * the collector asks for anyway. Pages: `$top` (default 100, max 1000) and
 * an opaque `$skipToken`, as the real service.
 */
export function queryResourceGraph(estate: Estate, request: Json): { status: number; body: unknown } {
  const query = typeof request.query === 'string' ? request.query : '';
  const table = /^\s*([A-Za-z]+)/.exec(query)?.[1]?.toLowerCase();
  if (table !== 'resources' && table !== 'recoveryservicesresources' && table !== 'policyresources') {
    return { status: 400, body: { error: { code: 'BadRequest', message: `Table '${table ?? ''}' is not known to the emulator.`, details: [{ code: 'InvalidQuery', message: 'Query is invalid.' }] } } };
  }
  const types = new Set([...query.matchAll(/'([a-z0-9.]+\/[a-z0-9./]+)'/gi)].map((m) => m[1]!.toLowerCase()));
  const subs = Array.isArray(request.subscriptions) ? new Set((request.subscriptions as string[]).map((s) => s.toLowerCase())) : null;
  const options = (request.options ?? {}) as Json;
  const top = Math.min(1000, Math.max(1, Number(options.$top ?? options.top ?? 100)));
  const queryHash = createHash('sha256').update(query).digest('hex').slice(0, 12);
  let offset = 0;
  const skipToken = (options.$skipToken ?? options.skipToken) as string | undefined;
  if (skipToken) {
    const decoded = Buffer.from(skipToken, 'base64url').toString('utf8').split(':');
    if (decoded[0] !== queryHash) return { status: 400, body: { error: { code: 'BadRequest', message: 'The skip token does not belong to this query.' } } };
    offset = Number(decoded[1]);
  }
  const segments = estate.argSegments(table).filter((s) => (types.size === 0 || types.has(s.type)) && (!subs || subs.has(s.subscriptionId.toLowerCase())));
  const total = segments.reduce((n, s) => n + s.count, 0);
  const data: Json[] = [];
  let pos = 0;
  for (const s of segments) {
    if (data.length >= top) break;
    if (pos + s.count <= offset) {
      pos += s.count;
      continue;
    }
    for (let i = Math.max(0, offset - pos); i < s.count && data.length < top; i++) data.push(s.get(i));
    pos += s.count;
  }
  const end = offset + data.length;
  const body: Json = { totalRecords: total, count: data.length, resultTruncated: 'false' };
  if (end < total) body.$skipToken = Buffer.from(`${queryHash}:${end}`).toString('base64url');
  body.data = data;
  body.facets = [];
  return { status: 200, body };
}
