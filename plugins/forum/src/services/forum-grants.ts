import type { SpaceRole } from '@plein/sdk';
import { FORUM_MESSAGES, GRANT_ROLE_PATTERN, invalid } from './forum-names';

/** What a category may override: who reads it, who starts topics in it, who replies in it. */
export const GRANT_ACTIONS = ['read', 'create', 'reply'] as const;
export type GrantAction = (typeof GRANT_ACTIONS)[number];

/** A category's own rules: for each action, the roles allowed; an absent action inherits. */
export type CategoryGrants = Partial<Record<GrantAction, string[]>>;

/** Who asks, as far as grants care. */
export interface GrantSubject {
  signedIn: boolean;
  /** Global roles (`admin`, `moderator`, custom roles). */
  roles: readonly string[];
  /** Their role in the category's space, if any. */
  spaceRole: SpaceRole | null;
}

/** The stored JSON of a category's grants; anything unreadable counts as "inherit everything". */
export function parseGrants(json: string | null | undefined): CategoryGrants {
  try {
    const parsed = JSON.parse(json || '{}') as Record<string, unknown>;
    const grants: CategoryGrants = {};
    for (const action of GRANT_ACTIONS) {
      const roles = parsed[action];
      if (Array.isArray(roles) && roles.every((r) => typeof r === 'string')) grants[action] = roles as string[];
    }
    return grants;
  } catch {
    return {};
  }
}

/**
 * Grants as a request gives them: for each action, a list of roles (an empty list: nobody but
 * administrators and category managers) or null to inherit. Unknown actions and role names that
 * cannot be roles are a 422 naming the field.
 */
export function checkGrants(input: unknown): CategoryGrants {
  if (input === null || input === undefined) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw invalid('grants', 'must be an object');
  const grants: CategoryGrants = {};
  for (const [action, roles] of Object.entries(input as Record<string, unknown>)) {
    if (!(GRANT_ACTIONS as readonly string[]).includes(action))
      throw invalid(`grants.${action}`, `is not one of ${GRANT_ACTIONS.join(', ')}`);
    if (roles === null || roles === undefined) continue;
    if (
      !Array.isArray(roles) ||
      roles.length > 20 ||
      !roles.every((r) => typeof r === 'string' && GRANT_ROLE_PATTERN.test(r))
    )
      throw invalid(`grants.${action}`, FORUM_MESSAGES.grantRole);
    grants[action as GrantAction] = [...new Set(roles as string[])].sort();
  }
  return grants;
}

/** The rule that applies to `action`: the category's own, else its parent's, else null (inherit). */
export function effectiveRule(
  own: CategoryGrants,
  parent: CategoryGrants | null,
  action: GrantAction,
): string[] | null {
  return own[action] ?? parent?.[action] ?? null;
}

const SPACE_RANK: Record<SpaceRole, number> = { member: 1, moderator: 2, admin: 3 };

/**
 * Whether a rule lets `who` in: `anonymous` is everyone, `member` everyone signed in, a global role
 * name those who hold it, `space:member|moderator|admin` those with at least that role in the space.
 */
export function ruleAllows(rule: readonly string[], who: GrantSubject): boolean {
  for (const role of rule) {
    if (role === 'anonymous') return true;
    if (!who.signedIn) continue;
    if (role === 'member') return true;
    if (role.startsWith('space:')) {
      const wanted = role.slice('space:'.length) as SpaceRole;
      if (who.spaceRole && SPACE_RANK[who.spaceRole] >= SPACE_RANK[wanted]) return true;
    } else if (who.roles.includes(role)) return true;
  }
  return false;
}
