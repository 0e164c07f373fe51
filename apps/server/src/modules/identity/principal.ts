import type { Role } from '@portolan/contract';

// The entity permission rule lives in the contract package so the web app hides exactly what this
// server refuses; re-exported here for the server's own imports.
export { canModerate, defaultBlueprintPermissions, entityDenial, type EntityAction } from '@portolan/contract/permissions';

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
  /** Set for an action run's scoped token: it may call only routes that opt in with
   * `config.runToken`, and only for this run (see plugins/access.ts). */
  runId?: string;
}

export function isAdmin(p: Principal | undefined): boolean {
  return p?.role === 'admin';
}
