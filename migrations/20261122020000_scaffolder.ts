import { sql, type Kysely } from 'kysely';

// Scaffolder: templates (Backstage v1beta3 documents plus their skeleton files), tasks (one run of
// a template), their steps (status, outputs and checkpoints, so a retried or resumed task never
// repeats a step that already succeeded) and their events (the live log). The job queue itself is
// graphile-worker's own schema, which that library migrates. Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('templates')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text')
    .addColumn('description', 'text')
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    // The YAML as written (comments and order kept for the editor) and its parsed form.
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('document', 'jsonb', (c) => c.notNull())
    // Skeleton and other files: {"skeleton/package.json": {"content": "...", "encoding": "utf8"|"base64"}}.
    .addColumn('files', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('scaffolder_tasks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('template_name', 'text', (c) => c.notNull())
    .addColumn('template_title', 'text')
    // A snapshot of the template (document and files) as it was when the task was created: a
    // retry next week renders the same skeleton even if the template was edited since.
    .addColumn('template', 'jsonb', (c) => c.notNull())
    .addColumn('parameters', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'processing', 'completed', 'failed', 'cancelled')`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    // Who ran it, as the runner needs it for permissions and ${{ user }} (role, teams, …).
    .addColumn('principal', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('error', 'text')
    .addColumn('output', 'jsonb')
    .addColumn('cancel_requested', 'boolean', (c) => c.notNull().defaultTo(false))
    // The lease: which server process runs it, and when that process last said it is alive.
    // A stale heartbeat means the process died; the recovery sweep resumes or fails the task.
    .addColumn('lease_owner', 'text')
    .addColumn('heartbeat_at', 'timestamptz')
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`create index scaffolder_tasks_created on scaffolder_tasks (created_at desc, id desc)`.execute(db);
  await sql`create index scaffolder_tasks_created_by on scaffolder_tasks (created_by, created_at desc)`.execute(db);
  await sql`create index scaffolder_tasks_processing on scaffolder_tasks (heartbeat_at) where status = 'processing'`.execute(db);

  await db.schema
    .createTable('scaffolder_task_steps')
    .addColumn('task_id', 'uuid', (c) => c.notNull().references('scaffolder_tasks.id').onDelete('cascade'))
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled')`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('output', 'jsonb')
    // Progress inside a step that has side effects (publish:github: "repository created"),
    // written as soon as the effect happened, so a resumed step continues instead of repeating it.
    .addColumn('checkpoints', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('scaffolder_task_steps_pkey', ['task_id', 'step_id'])
    .execute();

  await db.schema
    .createTable('scaffolder_task_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('task_id', 'uuid', (c) => c.notNull().references('scaffolder_tasks.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('step_id', 'text')
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index scaffolder_task_events_task on scaffolder_task_events (task_id, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scaffolder_task_events').ifExists().execute();
  await db.schema.dropTable('scaffolder_task_steps').ifExists().execute();
  await db.schema.dropTable('scaffolder_tasks').ifExists().execute();
  await db.schema.dropTable('templates').ifExists().execute();
}
