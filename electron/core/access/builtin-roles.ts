/**
 * The built-in Azure role definitions shipped in assets/azure/builtin-roles.json
 * (copied from Microsoft's built-in roles reference, with source and date per
 * role), read once and checked: an exported role assignment carries only the
 * role's id, so offline access evidence depends on this file being whole.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { RoleDefinitionRecord } from '../../../shared/domain/types.ts';

export const BUILTIN_ROLES_PATH = fileURLToPath(new URL('../../../assets/azure/builtin-roles.json', import.meta.url));

const permission = z.object({ actions: z.array(z.string()), notActions: z.array(z.string()), dataActions: z.array(z.string()), notDataActions: z.array(z.string()) }).strict();
const fileSchema = z
  .object({
    schema: z.literal('vaultproof.builtin-roles/1'),
    note: z.string(),
    roles: z.array(
      z
        .object({
          id: z.string(),
          name: z.string().regex(/^[0-9a-f-]{36}$/),
          roleName: z.string().min(1),
          roleType: z.literal('BuiltInRole'),
          description: z.string(),
          assignableScopes: z.array(z.string()),
          permissions: z.array(permission).min(1),
          source: z.object({ url: z.string().url(), retrieved: z.string(), documentDate: z.string().optional() }).strict(),
        })
        .strict(),
    ),
  })
  .strict();

export type BuiltInRole = RoleDefinitionRecord & { source: { url: string; retrieved: string; documentDate?: string } };

let cached: BuiltInRole[] | null = null;

export function builtInRoles(): BuiltInRole[] {
  if (cached) return cached;
  const parsed = fileSchema.parse(JSON.parse(fs.readFileSync(BUILTIN_ROLES_PATH, 'utf8')) as unknown);
  cached = parsed.roles.map((r) => ({
    key: r.name.toLowerCase(),
    id: r.id,
    roleName: r.roleName,
    roleType: r.roleType,
    description: r.description,
    assignableScopes: r.assignableScopes,
    permissions: r.permissions,
    source: r.source,
  }));
  return cached;
}
