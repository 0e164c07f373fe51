import { sql, type Kysely } from 'kysely';

// Identity and access: users, teams, sessions, API clients, one-time sign-in links, per-blueprint
// permissions, and the encrypted secrets store. Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    // scrypt hash ("scrypt$N$r$p$salt$hash"); null for users who only sign in through SSO.
    .addColumn('password_hash', 'text')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member').check(sql`role in ('admin', 'moderator', 'member', 'viewer')`))
    // Blueprints a moderator moderates (their definitions, actions and entities).
    .addColumn('moderated_blueprints', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('oidc_subject', 'text')
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_sign_in_at', 'timestamptz')
    .execute();
  // Emails compare case-insensitively: Alice@x and alice@x are one person.
  await sql`create unique index users_email_key on users (lower(email))`.execute(db);
  await sql`create unique index users_oidc_subject_key on users (oidc_subject) where oidc_subject is not null`.execute(db);

  await db.schema
    .createTable('teams')
    .addColumn('identifier', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text')
    .addColumn('description', 'text')
    // 'sso': kept in step with identity-provider claims; 'local': managed in the portal.
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('local'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('team_members')
    .addColumn('team', 'text', (c) => c.notNull().references('teams.identifier').onDelete('cascade').onUpdate('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('team_members_pkey', ['team', 'user_id'])
    .execute();
  await sql`create index team_members_user on team_members (user_id)`.execute(db);

  await db.schema
    .createTable('sessions')
    // sha256 of the cookie value: a leaked database does not hand out live sessions.
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index sessions_user on sessions (user_id)`.execute(db);

  await db.schema
    .createTable('one_time_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('api_clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member').check(sql`role in ('admin', 'moderator', 'member', 'viewer')`))
    .addColumn('teams', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('moderated_blueprints', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('blueprint_permissions')
    .addColumn('blueprint', 'text', (c) => c.primaryKey().references('blueprints.identifier').onDelete('cascade').onUpdate('cascade'))
    // {register|update|unregister: {roles: [], teams: [], ownedByTeam: bool}}
    .addColumn('entities', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text')
    // AES-256-GCM: iv (12 bytes) + auth tag (16 bytes) + ciphertext, base64.
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['secrets', 'blueprint_permissions', 'api_clients', 'one_time_tokens', 'sessions', 'team_members', 'teams', 'users']) {
    await db.schema.dropTable(table).execute();
  }
}
