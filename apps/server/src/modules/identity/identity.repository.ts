import { sql, type Kysely } from 'kysely';
import type { ApiClientRow, Database, Role, UserRow } from '../../db/schema.ts';

export type UserWithTeams = UserRow & { teams: string[] };

const teamsOf = sql<string[]>`coalesce((select array_agg(tm.team order by tm.team) from team_members tm where tm.user_id = users.id), '{}')`;

export async function findUsers(db: Kysely<Database>): Promise<UserWithTeams[]> {
  return db.selectFrom('users').selectAll().select(teamsOf.as('teams')).orderBy('email').execute();
}

export async function findUserById(db: Kysely<Database>, id: string): Promise<UserWithTeams | undefined> {
  return db.selectFrom('users').selectAll().select(teamsOf.as('teams')).where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserWithTeams | undefined> {
  return db.selectFrom('users').selectAll().select(teamsOf.as('teams')).where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
}

export async function findUserBySubject(db: Kysely<Database>, subject: string): Promise<UserWithTeams | undefined> {
  return db.selectFrom('users').selectAll().select(teamsOf.as('teams')).where('oidc_subject', '=', subject).executeTakeFirst();
}

export async function countAdmins(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).where('role', '=', 'admin').where('disabled', '=', false).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertUser(db: Kysely<Database>, values: { email: string; name: string | null; role: Role; moderated_blueprints: string[]; password_hash: string | null; oidc_subject?: string | null }): Promise<string> {
  const row = await db.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUser(db: Kysely<Database>, id: string, values: Partial<{ name: string | null; role: Role; moderated_blueprints: string[]; password_hash: string | null; disabled: boolean; oidc_subject: string | null; email: string; last_sign_in_at: Date }>): Promise<void> {
  if (Object.keys(values).length === 0) return;
  await db.updateTable('users').set({ ...values, updated_at: sql`now()` }).where('id', '=', id).execute();
}

export async function deleteUser(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

/** Make `userId` a member of exactly `teams`, creating teams that do not exist yet. */
export async function setUserTeams(db: Kysely<Database>, userId: string, teams: string[], source: 'local' | 'sso' = 'local'): Promise<void> {
  if (teams.length > 0) {
    await db.insertInto('teams').values(teams.map((identifier) => ({ identifier, source }))).onConflict((oc) => oc.column('identifier').doNothing()).execute();
  }
  await db.deleteFrom('team_members').where('user_id', '=', userId).execute();
  if (teams.length > 0) await db.insertInto('team_members').values(teams.map((team) => ({ team, user_id: userId }))).execute();
}

export interface TeamWithMembers {
  identifier: string;
  title: string | null;
  description: string | null;
  source: 'local' | 'sso';
  members: { id: string; email: string; name: string | null }[];
}

export async function findTeams(db: Kysely<Database>, identifier?: string): Promise<TeamWithMembers[]> {
  let q = db
    .selectFrom('teams as t')
    .select(['t.identifier', 't.title', 't.description', 't.source'])
    .select(
      sql<{ id: string; email: string; name: string | null }[]>`coalesce((select json_agg(json_build_object('id', u.id, 'email', u.email, 'name', u.name) order by u.email)
        from team_members tm join users u on u.id = tm.user_id where tm.team = t.identifier), '[]'::json)`.as('members'),
    )
    .orderBy('t.identifier');
  if (identifier !== undefined) q = q.where('t.identifier', '=', identifier);
  return q.execute();
}

export async function insertTeam(db: Kysely<Database>, values: { identifier: string; title: string | null; description: string | null }): Promise<void> {
  await db.insertInto('teams').values(values).execute();
}

export async function updateTeam(db: Kysely<Database>, identifier: string, values: Partial<{ title: string | null; description: string | null }>): Promise<void> {
  await db.updateTable('teams').set({ ...values, updated_at: sql`now()` }).where('identifier', '=', identifier).execute();
}

export async function setTeamMembers(db: Kysely<Database>, team: string, userIds: string[]): Promise<void> {
  await db.deleteFrom('team_members').where('team', '=', team).execute();
  if (userIds.length > 0) await db.insertInto('team_members').values(userIds.map((user_id) => ({ team, user_id }))).execute();
}

export async function deleteTeam(db: Kysely<Database>, identifier: string): Promise<void> {
  await db.deleteFrom('teams').where('identifier', '=', identifier).execute();
}

export async function insertSession(db: Kysely<Database>, values: { id_hash: string; user_id: string; csrf_token: string; expires_at: Date }): Promise<void> {
  await db.insertInto('sessions').values(values).execute();
}

export async function findSessionUser(db: Kysely<Database>, idHash: string): Promise<(UserWithTeams & { csrf_token: string }) | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users', 'users.id', 's.user_id')
    .selectAll('users')
    .select(['s.csrf_token', teamsOf.as('teams')])
    .where('s.id_hash', '=', idHash)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('users.disabled', '=', false)
    .executeTakeFirst();
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteSessionsOf(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', sql<Date>`now()`).execute();
}

export async function insertOneTimeToken(db: Kysely<Database>, values: { token_hash: string; user_id: string; purpose: string; expires_at: Date }): Promise<void> {
  await db.insertInto('one_time_tokens').values(values).execute();
}

/** Mark a one-time token used and return its user, atomically: a link works once. */
export async function consumeOneTimeToken(db: Kysely<Database>, tokenHash: string, purpose: string): Promise<string | undefined> {
  const row = await db
    .updateTable('one_time_tokens')
    .set({ used_at: sql`now()` })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id;
}

export async function findApiClients(db: Kysely<Database>): Promise<ApiClientRow[]> {
  return db.selectFrom('api_clients').selectAll().orderBy('client_id').execute();
}

export async function findApiClient(db: Kysely<Database>, clientId: string): Promise<ApiClientRow | undefined> {
  return db.selectFrom('api_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
}

export async function upsertApiClient(db: Kysely<Database>, values: { client_id: string; name: string; secret_hash: string; role: Role; teams: string[]; moderated_blueprints: string[]; created_by: string }): Promise<void> {
  await db
    .insertInto('api_clients')
    .values(values)
    .onConflict((oc) => oc.column('client_id').doUpdateSet({ secret_hash: values.secret_hash, role: values.role, name: values.name, teams: values.teams, moderated_blueprints: values.moderated_blueprints }))
    .execute();
}

export async function deleteApiClient(db: Kysely<Database>, clientId: string): Promise<boolean> {
  const r = await db.deleteFrom('api_clients').where('client_id', '=', clientId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function touchApiClient(db: Kysely<Database>, clientId: string): Promise<void> {
  await db.updateTable('api_clients').set({ last_used_at: sql`now()` }).where('client_id', '=', clientId).execute();
}

/** SSO group claims own the memberships of 'sso' teams; memberships of local teams are kept. */
export async function syncSsoTeams(db: Kysely<Database>, userId: string, teams: string[]): Promise<void> {
  if (teams.length > 0) {
    await db.insertInto('teams').values(teams.map((identifier) => ({ identifier, source: 'sso' as const }))).onConflict((oc) => oc.column('identifier').doNothing()).execute();
  }
  await db
    .deleteFrom('team_members')
    .where('user_id', '=', userId)
    .where('team', 'in', (eb) => eb.selectFrom('teams').select('identifier').where('source', '=', 'sso'))
    .$if(teams.length > 0, (q) => q.where('team', 'not in', teams))
    .execute();
  if (teams.length > 0) {
    await db.insertInto('team_members').values(teams.map((team) => ({ team, user_id: userId }))).onConflict((oc) => oc.doNothing()).execute();
  }
}
