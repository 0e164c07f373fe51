import type { BlueprintPermissions, Role } from '@portolan/contract';

/** Who is calling, resolved once per request by the auth plugin. */
export interface Principal {
  kind: 'user' | 'client';
  /** users.id or api_clients.client_id */
  id: string;
  /** What the audit log and createdBy/updatedBy show: "user:alice@example.com", "client:ci-bot". */
  actorId: string;
  email: string | null;
  name: string | null;
  role: Role;
  teams: string[];
  moderatedBlueprints: string[];
}

export function isAdmin(p: Principal | undefined): boolean {
  return p?.role === 'admin';
}

/** Admins, and moderators of this blueprint: they manage its definition, actions and entities. */
export function canModerate(p: Principal | undefined, blueprint: string): boolean {
  return p !== undefined && (p.role === 'admin' || (p.role === 'moderator' && p.moderatedBlueprints.includes(blueprint)));
}

export type EntityAction = 'register' | 'update' | 'unregister';

/** Without a stored rule: admins and the blueprint's moderators, and members for their teams' entities. */
export function defaultBlueprintPermissions(): BlueprintPermissions {
  const rule = { roles: [] as Role[], teams: [] as string[], ownedByTeam: true };
  return { entities: { register: { ...rule }, update: { ...rule }, unregister: { ...rule } } };
}

/**
 * May `p` perform `action` on an entity of `blueprint` whose teams are `entityTeams`? Returns null
 * when allowed, else the reason (shown to the caller in the 403).
 */
export function entityDenial(p: Principal | undefined, blueprint: string, action: EntityAction, entityTeams: string[], permissions: BlueprintPermissions): string | null {
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
