/**
 * Web mode reaches the engine from a browser tab, where nobody picks a path
 * in a system dialog: a path in a call is whatever the page sent. So every
 * path a method reads or writes must lie under an allowed root — the store's
 * folder (uploads are staged in its staging/ folder, exports and packs go
 * beside the store by default) or a folder given to `vaultproof serve
 * --allow DIR` — after symbolic links are resolved. A script in the page, or a
 * typo, cannot make the engine read /etc/shadow or write over ~/.bashrc.
 *
 * The table lists every path field of every method; test/web/hygiene.test.ts
 * checks that no method with a path-shaped field is missing.
 */
import path from 'node:path';
import { UserError } from '../errors.ts';
import { isInside, realTarget } from '../output/guard.ts';

type Access = 'read' | 'write';
/** Where in the input a path sits: keys, with '*' for every element of an array. */
type FieldPath = string[];

export const webPathFields: Record<string, Array<[FieldPath, Access]>> = {
  'import.files': [[['paths', '*'], 'read']],
  'owners.import': [[['path'], 'read']],
  'sizes.import': [[['path'], 'read']],
  'annotations.merge': [[['path'], 'read']],
  'annotations.export': [[['path'], 'write']],
  'annotations.verifyLog': [
    [['against'], 'read'],
    [['trust', '*'], 'read'],
  ],
  'cost.run': [[['ratecardPath'], 'read']],
  'cost.reconcile': [
    [['billing'], 'read'],
    [['ratecardPath'], 'read'],
  ],
  'findings.run': [[['profilePath'], 'read']],
  'findings.export': [
    [['profilePath'], 'read'],
    [['path'], 'write'],
  ],
  'sample.draw': [[['profilePath'], 'read']],
  'collect.start': [
    [['caFile'], 'read'],
    [['clientCertificate'], 'read'],
  ],
  'demo.run': [[['out'], 'write']],
  'packs.build': [
    [['profile'], 'read'],
    [['ratecard'], 'read'],
    [['signer', 'file'], 'read'],
    [['out'], 'write'],
  ],
  'packs.verify': [
    [['path'], 'read'],
    [['trust', '*'], 'read'],
    [['trustTsa', '*'], 'read'],
  ],
  'packs.cosign': [
    [['path'], 'write'],
    [['signer', 'file'], 'read'],
  ],
  'app.openStore': [[['path'], 'write']],
  'shell.showInFolder': [[['path'], 'read']],
};

function valuesAt(input: unknown, field: FieldPath): Array<{ where: string; value: string }> {
  let nodes: Array<{ where: string; value: unknown }> = [{ where: '', value: input }];
  for (const key of field) {
    const next: typeof nodes = [];
    for (const n of nodes) {
      if (key === '*') {
        if (Array.isArray(n.value)) n.value.forEach((v: unknown, i) => next.push({ where: `${n.where}[${i}]`, value: v }));
      } else if (n.value !== null && typeof n.value === 'object' && Object.hasOwn(n.value, key)) {
        next.push({ where: n.where ? `${n.where}.${key}` : key, value: (n.value as Record<string, unknown>)[key] });
      }
    }
    nodes = next;
  }
  return nodes.filter((n): n is { where: string; value: string } => typeof n.value === 'string');
}

/**
 * Throws unless every path the call would read or write lies under one of
 * `roots` (each resolved through its symbolic links). Relative paths are
 * refused: the server's working folder is not something the page chose.
 */
export function checkWebPaths(method: string, input: unknown, roots: string[]): void {
  const fields = webPathFields[method];
  if (!fields) return;
  const realRoots = roots.map((r) => realTarget(r));
  for (const [field, access] of fields) {
    for (const { where, value } of valuesAt(input, field)) {
      const ok = path.isAbsolute(value) && realRoots.some((r) => isInside(realTarget(value), r));
      if (!ok) {
        throw new UserError(
          'BAD_INPUT',
          `${method}: ${where} is outside the folders web mode may ${access === 'read' ? 'read' : 'write'} (${realRoots.join(', ')}); in web mode, upload the file (drag it onto the page) or choose a place under those folders — or start \`vaultproof serve --allow DIR\``,
          { details: { option: field[0] } },
        );
      }
    }
  }
}
