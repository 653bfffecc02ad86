/**
 * A readable name for an item key when only the key is at hand (diff and
 * findings lists carry keys): the last segment, with the container prefix
 * of Recovery Services names ("vm;iaasvmcontainerv2;rg;") dropped.
 */
export function nameFromKey(key: string): string {
  const segs = key.split('/');
  const last = segs.pop() ?? key;
  // File shares are named by a hash in their id: say which storage account holds it instead.
  if (/^azurefileshare;/i.test(last)) {
    const container = segs[segs.length - 2] ?? '';
    const account = container.split(';').pop() ?? '';
    return `file share ${last.slice(15, 23).toLowerCase()}… in ${account || 'a storage account'}`;
  }
  const parts = last.split(';');
  return parts[parts.length - 1] || last;
}
