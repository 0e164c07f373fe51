import { sql, type Kysely } from 'kysely';

// Self-service actions: definitions (Port's action JSON, kept whole in `definition`), runs and run
// logs. A run's `dispatch_state` is the exactly-once guard for its side effect: a queue job must
// move it from 'pending' to 'dispatching' in one UPDATE before it calls the backend, so two
// replicas (or a duplicate job) never invoke the same run twice. Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('actions')
    .addColumn('identifier', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text')
    .addColumn('blueprint', 'text')
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await sql`create index actions_blueprint on actions (blueprint)`.execute(db);

  await db.schema
    .createTable('action_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('action_identifier', 'text', (c) => c.notNull())
    // The action as it was when the run was created (an edit later does not change the run).
    .addColumn('action', 'jsonb', (c) => c.notNull())
    .addColumn('blueprint', 'text')
    .addColumn('entity', 'text')
    .addColumn('properties', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('IN_PROGRESS', 'WAITING_FOR_APPROVAL', 'SUCCESS', 'FAILURE', 'DECLINED')`))
    .addColumn('status_label', 'text')
    .addColumn('link', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('summary', 'text')
    .addColumn('external_run_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('required_approval', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('approval', 'jsonb')
    .addColumn('payload', 'jsonb')
    .addColumn('response', 'jsonb')
    .addColumn('created_by', 'text', (c) => c.notNull())
    // Who ran it (role, teams, email): what the templates see as .trigger.by.user.
    .addColumn('principal', 'jsonb')
    .addColumn('dispatch_state', 'text', (c) => c.notNull().defaultTo('pending').check(sql`dispatch_state in ('pending', 'dispatching', 'dispatched', 'skipped')`))
    // GitHub tracking: {owner, repo, workflow, runId, correlationId, dispatchedAt, polls}.
    .addColumn('tracking', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .execute();
  await sql`create index action_runs_created on action_runs (created_at desc, id desc)`.execute(db);
  await sql`create index action_runs_action on action_runs (action_identifier, created_at desc)`.execute(db);
  await sql`create index action_runs_created_by on action_runs (created_by, created_at desc)`.execute(db);
  await sql`create index action_runs_external on action_runs (external_run_id) where external_run_id is not null`.execute(db);

  await db.schema
    .createTable('action_run_logs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('action_runs.id').onDelete('cascade'))
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('termination_status', 'text')
    .addColumn('status_label', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index action_run_logs_run on action_run_logs (run_id, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('action_run_logs').execute();
  await db.schema.dropTable('action_runs').execute();
  await db.schema.dropTable('actions').execute();
}
