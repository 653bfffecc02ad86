/**
 * The backup-related built-in Azure Policy definitions shipped in
 * assets/azure/backup-policy-definitions.json (name, id and effect copied from
 * Azure/azure-policy with the commit and date): policy states carry only the
 * definition's id, so reconciling offline needs this file. Read once, checked.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { BackupPolicyDefinition } from '../../../shared/domain/policy/reconcile.ts';

export const BACKUP_POLICY_DEFINITIONS_PATH = fileURLToPath(new URL('../../../assets/azure/backup-policy-definitions.json', import.meta.url));

const fileSchema = z
  .object({
    schema: z.literal('vaultproof.backup-policy-definitions/1'),
    note: z.string(),
    definitions: z.array(
      z
        .object({
          name: z.string().regex(/^[0-9a-f-]{36}$/),
          displayName: z.string().min(1),
          effect: z.string().min(1),
          protects: z.enum(['virtualMachine', 'disk', 'fileShare', 'blob']),
          source: z.object({ url: z.string().url(), retrieved: z.string() }).strict(),
        })
        .strict(),
    ),
  })
  .strict();

let cached: Map<string, BackupPolicyDefinition> | null = null;

/** By definition name (the GUID), lower-case. */
export function backupPolicyDefinitions(): ReadonlyMap<string, BackupPolicyDefinition> {
  if (!cached) {
    const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(BACKUP_POLICY_DEFINITIONS_PATH, 'utf8')));
    if (!parsed.success) throw new Error(`${BACKUP_POLICY_DEFINITIONS_PATH}: not a backup policy definitions file: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    cached = new Map(parsed.data.definitions.map((d) => [d.name.toLowerCase(), { name: d.name, displayName: d.displayName, effect: d.effect, protects: d.protects }]));
  }
  return cached;
}
