import { isObj, parseTime, type Obj } from '../../../shared/domain/normalise/fields.ts';

export type Container = {
  /** What the file was recognised as, reported per file. */
  format: string;
  objects: unknown[];
  /** A collection time the file carries (the offline kit's marker file). */
  asOf?: string;
  tenantIds?: string[];
};

function looksPowerShell(o: unknown): boolean {
  if (!isObj(o)) return false;
  const keys = Object.keys(o);
  return keys.length > 0 && !keys.includes('properties') && keys.filter((k) => /^[A-Z]/.test(k)).length >= keys.length / 2;
}

/** Resource Graph table format: {columns:[{name}], rows:[[...]]} → row objects. */
function tableRows(table: Obj): unknown[] | null {
  const cols = table.columns;
  const rows = table.rows;
  if (!Array.isArray(cols) || !Array.isArray(rows)) return null;
  const names = cols.map((c) => (isObj(c) && typeof c.name === 'string' ? c.name : ''));
  return rows.map((r) => (Array.isArray(r) ? Object.fromEntries(names.map((n, i) => [n, r[i]] as [string, unknown])) : r));
}

/**
 * Recognises the envelope of a parsed JSON document and returns the resource
 * objects inside it. Returns null when the document has no envelope we know.
 */
export function unwrap(doc: unknown): Container | null {
  if (Array.isArray(doc)) {
    const first = doc.find(isObj);
    if (first && looksPowerShell(first)) return { format: 'powershell', objects: doc };
    if (first && 'resourceGroup' in first && 'properties' in first && !('tenantId' in first)) return { format: 'az-cli', objects: doc };
    if (first && 'tenantId' in first && 'subscriptionId' in first) return { format: 'resource-graph-rows', objects: doc };
    return { format: 'json-array', objects: doc };
  }
  if (!isObj(doc)) return null;
  const marker = doc.collectedAt ?? doc.vaultproofCollectedAt;
  if (typeof marker === 'string' && Object.keys(doc).length <= 3) {
    const t = parseTime(marker);
    if (t) return { format: 'collection-time', objects: [], asOf: t };
  }
  if (Array.isArray(doc.value)) {
    const first = doc.value.find(isObj);
    // PowerShell 5.1 wraps piped arrays as {"value": [...], "Count": n}.
    if (first && looksPowerShell(first)) return { format: 'powershell', objects: doc.value };
    return { format: 'arm-list', objects: doc.value };
  }
  if ('data' in doc && ('count' in doc || 'totalRecords' in doc || 'total_records' in doc)) {
    const data = doc.data;
    const rows = Array.isArray(data) ? data : isObj(data) ? tableRows(data) : null;
    if (rows) {
      const format = 'total_records' in doc || 'skip_token' in doc ? 'resource-graph-cli' : 'resource-graph-rest';
      const tenants = [...new Set(rows.filter(isObj).map((r) => r.tenantId).filter((t): t is string => typeof t === 'string'))];
      return { format, objects: rows, tenantIds: tenants };
    }
  }
  if (typeof doc.id === 'string' || typeof doc.Id === 'string') return { format: looksPowerShell(doc) ? 'powershell' : 'arm-resource', objects: [doc] };
  return null;
}

/** A plain-text marker file holding one ISO-8601 time (written by the offline collection kit). */
export function timeMarker(text: string): string | null {
  const s = text.trim();
  if (s.length > 40 || s.includes('\n')) return null;
  return /^\d{4}-\d{2}-\d{2}T/.test(s) ? parseTime(s) : null;
}
