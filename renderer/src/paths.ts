/**
 * Paths on the machine that runs the core, built in the renderer only to
 * suggest a place (the user can change it): the store's folder, with the
 * store path's own separator.
 */
export function inStoreFolder(storePath: string | undefined, ...parts: string[]): string {
  if (!storePath) return '';
  const sep = storePath.includes('\\') && !storePath.includes('/') ? '\\' : '/';
  const dir = storePath.slice(0, storePath.lastIndexOf(sep));
  return [dir, ...parts].join(sep);
}

/** A file-name-safe stamp of now, e.g. 20261124-2352. */
export function stamp(d: Date = new Date()): string {
  return d.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
}
