import type { User } from '@portolan/contract';
import type { ApiClientRow } from '../../db/schema.ts';
import type { UserWithTeams } from './identity.repository.ts';
import type { Principal } from './principal.ts';

export function toUser(row: UserWithTeams): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    moderatedBlueprints: row.moderated_blueprints,
    teams: row.teams,
    hasPassword: row.password_hash !== null,
    sso: row.oidc_subject !== null,
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
    lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
  };
}

export function userPrincipal(row: UserWithTeams): Principal {
  return { kind: 'user', id: row.id, actorId: `user:${row.email}`, email: row.email, name: row.name, role: row.role, teams: row.teams, moderatedBlueprints: row.moderated_blueprints };
}

export function clientPrincipal(row: ApiClientRow): Principal {
  return { kind: 'client', id: row.client_id, actorId: `client:${row.client_id}`, email: null, name: row.name, role: row.role, teams: row.teams, moderatedBlueprints: row.moderated_blueprints };
}

export function toApiClient(row: ApiClientRow) {
  return {
    clientId: row.client_id,
    name: row.name,
    role: row.role,
    teams: row.teams,
    moderatedBlueprints: row.moderated_blueprints,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}
