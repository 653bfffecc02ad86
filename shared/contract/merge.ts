/**
 * Merges per-domain tables keyed by method name. A plain spread would let a
 * later table silently replace an earlier entry of the same name; this throws
 * instead, so a repeated name stops the program at start-up.
 */
export function mergeUnique<T extends object>(tables: readonly T[]): T {
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    for (const [name, value] of Object.entries(table)) {
      if (Object.prototype.hasOwnProperty.call(out, name)) throw new Error(`Conflicting method name ${name}`);
      out[name] = value;
    }
  }
  return out as T;
}
