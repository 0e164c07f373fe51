import type { BlueprintPermissions, Role } from './identity.ts';

// The entity permission rule, shared by the server (which enforces it) and the web app (which hides
// what a person may not do). Type-only imports: the web app loads this without zod.

/** Who is asking: a signed-in user or an API client, as far as permissions care. */
export interface PermissionSubject {
  role: Role;
  teams: string[];
  moderatedBlueprints: string[];
}

export type EntityAction = 'register' | 'update' | 'unregister';

/** Admins, and moderators of this blueprint: they manage its definition, actions and entities. */
export function canModerate(p: PermissionSubject | undefined, blueprint: string): boolean {
  return p !== undefined && (p.role === 'admin' || (p.role === 'moderator' && p.moderatedBlueprints.includes(blueprint)));
}

/** Without a stored rule: admins and the blueprint's moderators, and members for their teams' entities. */
export function defaultBlueprintPermissions(): BlueprintPermissions {
  const rule = { roles: [] as Role[], teams: [] as string[], ownedByTeam: true };
  return { entities: { register: { ...rule }, update: { ...rule }, unregister: { ...rule } } };
}

/**
 * May `p` perform `action` on an entity of `blueprint` whose teams are `entityTeams`? Returns null
 * when allowed, else the reason (shown to the caller in the 403).
 */
export function entityDenial(p: PermissionSubject | undefined, blueprint: string, action: EntityAction, entityTeams: string[], permissions: BlueprintPermissions): string | null {
  if (!p) return null; // the system itself (example loading, background jobs)
  if (canModerate(p, blueprint)) return null;
  const verb = action === 'register' ? 'create' : action === 'update' ? 'change' : 'delete';
  if (p.role === 'viewer') return `Read-only users cannot ${verb} entities`;
  const rule = permissions.entities[action];
  if (rule.roles.includes(p.role)) return null;
  if (rule.teams.some((t) => p.teams.includes(t))) return null;
  if (rule.ownedByTeam && entityTeams.some((t) => p.teams.includes(t))) return null;
  const owned = rule.ownedByTeam ? ` (only entities owned by your teams${p.teams.length ? `: ${p.teams.join(', ')}` : '; you belong to none'})` : '';
  return `You may not ${verb} "${blueprint}" entities${owned}`;
}
