/**
 * The findings rules about who holds rights over a vault's backups and what
 * guards them: the Access view shows them under each vault. Each is judged
 * from the vault records, the role assignments and definitions, the profile
 * and the annotations alone (shared/domain/findings/access.ts), never from
 * the items, so they can be judged without the item pass (electron/core/access/findings.ts).
 */
import type { RuleId } from '../findings-rules.ts';

export const accessRuleIds: readonly RuleId[] = ['access-delete-over-limit', 'access-delete-without-mua', 'access-broad-or-guest', 'vault-soft-delete-not-always-on'];
