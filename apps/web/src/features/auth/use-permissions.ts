import { canModerate, entityDenial, type EntityAction } from '@portolan/contract/permissions';
import { useBlueprintPermissions } from '../blueprints/api/get-blueprint-permissions.ts';
import { useMe } from './api/get-me.ts';

// What the UI offers follows the same rule the server enforces (shared from the contract package);
// the server still refuses anything the UI gets wrong.

export const useIsAdmin = (): boolean => useMe().data?.user.role === 'admin';

/** Admins and moderators of the blueprint: they may change its definition. */
export function useCanModerate(blueprint: string): boolean {
  const user = useMe().data?.user;
  return canModerate(user, blueprint);
}

export interface EntityPermissions {
  /** True while the user or the blueprint's rule is still loading: offer nothing yet. */
  pending: boolean;
  /** Why `action` on an entity owned by `teams` would be refused, or null when it is allowed. */
  denial(action: EntityAction, teams: string[]): string | null;
  can(action: EntityAction, teams: string[]): boolean;
  /** Creating: allowed if the user may create an entity that names one of their own teams. */
  canCreate: boolean;
}

export function useEntityPermissions(blueprint: string): EntityPermissions {
  const me = useMe();
  const user = me.data?.user;
  // Viewers can do nothing and moderators everything: their answer needs no rule from the server.
  const needsRule = user !== undefined && user.role !== 'viewer' && !canModerate(user, blueprint);
  const rule = useBlueprintPermissions(blueprint, needsRule);
  const pending = !user || (needsRule && !rule.data);
  const denial = (action: EntityAction, teams: string[]): string | null => {
    if (!user) return 'Not signed in';
    if (needsRule && !rule.data) return 'Checking your permissions…';
    return entityDenial(user, blueprint, action, teams, rule.data ?? { entities: { register: EMPTY, update: EMPTY, unregister: EMPTY } });
  };
  return {
    pending,
    denial,
    can: (action, teams) => denial(action, teams) === null,
    canCreate: denial('register', user?.teams ?? []) === null,
  };
}

const EMPTY = { roles: [], teams: [], ownedByTeam: false };
