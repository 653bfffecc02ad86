/**
 * Azure RBAC action matching. An action string is case-insensitive; `*` in a
 * pattern matches any run of characters, slashes included (`*\/read` grants
 * every read action of every provider, `Microsoft.RecoveryServices/*` every
 * action of the provider). A permission block grants an action when one of
 * its actions matches and none of its notActions does; a role grants it when
 * any of its blocks does. notActions are not deny rules: another role (or
 * another block) that grants the action still grants it.
 */
import type { RolePermission } from '../types.ts';

const cache = new Map<string, RegExp>();

function patternOf(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern
      .trim()
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`, 'i');
    cache.set(pattern, re);
  }
  return re;
}

/** Whether one action pattern (from a role's actions or notActions) covers a concrete action. */
export function actionMatches(pattern: string, action: string): boolean {
  return patternOf(pattern).test(action.trim());
}

/** The pattern of `actions` that grants `action` after notActions, per block; null when none does. */
export function grantingPattern(permissions: readonly RolePermission[], action: string): string | null {
  for (const p of permissions) {
    const granted = p.actions.find((a) => actionMatches(a, action));
    if (granted === undefined) continue;
    if (p.notActions.some((n) => actionMatches(n, action))) continue;
    return granted;
  }
  return null;
}

export function permits(permissions: readonly RolePermission[], action: string): boolean {
  return grantingPattern(permissions, action) !== null;
}
