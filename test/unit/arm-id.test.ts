/**
 * canonicalArmId (shared/domain/keys.ts) lower-cases an id that needs
 * nothing else in one step; any other id takes the full path. The reference
 * is the previous code, verbatim, compared on ids built from the pieces that
 * decide between the two (slashes, queries, hosts, whitespace of every kind).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalArmId } from '../../shared/domain/keys.ts';

function canonicalArmIdRef(id: string): string {
  let s = id.trim();
  const hostMatch = /^https?:\/\/[^/]+(\/.*)$/i.exec(s);
  if (hostMatch) s = hostMatch[1] ?? s;
  s = s.split('?')[0] ?? s;
  s = s.replace(/\/+/g, '/').replace(/\/$/, '');
  if (!s.startsWith('/')) s = `/${s}`;
  return s.toLowerCase();
}

const piece = fc.constantFrom('/', '//', '?', '?api-version=1', 'subscriptions', 'resourceGroups', 'RG-1', 'Vault;x', ' ', '\t', '\n', '\u00a0', '\u2028', '\ufeff', '\u3000', 'https://management.azure.com', 'http://h', 'É', 'İ', '');
const id = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));

test('canonicalArmId gives what the full path gave, for ids of every shape', () => {
  fc.assert(
    fc.property(fc.oneof(id, id, fc.string()), (s) => {
      assert.equal(canonicalArmId(s), canonicalArmIdRef(s), JSON.stringify(s));
    }),
    { numRuns: 20000 },
  );
  assert.equal(canonicalArmId('/subscriptions/S/resourceGroups/RG/providers/Microsoft.RecoveryServices/vaults/V'), '/subscriptions/s/resourcegroups/rg/providers/microsoft.recoveryservices/vaults/v');
  assert.equal(canonicalArmId('/subscriptions/S//resourceGroups/RG/ '), '/subscriptions/s/resourcegroups/rg');
});
