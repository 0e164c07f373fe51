import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, ScaffolderTaskEventsTable, ScaffolderTasksTable, ScaffolderTaskStepsTable, StepStatus, TaskStatus, TemplatesTable } from '../../db/schema.ts';

// All scaffolder SQL. Functions take a Kysely so they run inside the caller's transaction.

export type TemplateRow = Selectable<TemplatesTable>;
export type TaskRow = Selectable<ScaffolderTasksTable>;
export type StepRow = Selectable<ScaffolderTaskStepsTable>;
export type EventRow = Selectable<ScaffolderTaskEventsTable>;

/** The channel every replica listens on; the payload is "taskId:eventId". */
export const EVENTS_CHANNEL = 'portolan_scaffolder_events';
export const JOB_IDENTIFIER = 'scaffolder:run-task';

const SUMMARY_COLUMNS = ['name', 'title', 'description', 'tags', 'type', 'owner', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by'] as const;

export async function listTemplates(db: Kysely<Database>, filter: { q?: string; tag?: string; type?: string }) {
  let q = db.selectFrom('templates').select(SUMMARY_COLUMNS).orderBy('title').orderBy('name');
  if (filter.tag) q = q.where(sql<boolean>`${filter.tag} = any(tags)`);
  if (filter.type) q = q.where('type', '=', filter.type);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('title', 'ilike', like), eb('description', 'ilike', like), eb(sql<string>`array_to_string(tags, ' ')`, 'ilike', like)]));
  }
  return q.execute();
}

export async function findTemplate(db: Kysely<Database>, name: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('templates').selectAll().where('name', '=', name);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertTemplate(db: Kysely<Database>, row: Omit<TemplateRow, 'version' | 'created_at' | 'updated_at'>) {
  return db
    .insertInto('templates')
    .values({ ...row, document: JSON.stringify(row.document), files: JSON.stringify(row.files) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateTemplate(db: Kysely<Database>, name: string, row: Omit<TemplateRow, 'name' | 'version' | 'created_at' | 'created_by' | 'updated_at'>) {
  return db
    .updateTable('templates')
    .set({ ...row, document: JSON.stringify(row.document), files: JSON.stringify(row.files), version: sql`version + 1`, updated_at: sql`now()` })
    .where('name', '=', name)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteTemplate(db: Kysely<Database>, name: string) {
  return db.deleteFrom('templates').where('name', '=', name).returningAll().executeTakeFirst();
}

export async function countTemplates(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom('templates').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

// ---- tasks ----

export async function insertTask(db: Kysely<Database>, task: { template_name: string; template_title: string | null; template: unknown; parameters: unknown; created_by: string; principal: unknown }, steps: { step_id: string; name: string; action: string }[]) {
  const row = await db
    .insertInto('scaffolder_tasks')
    .values({
      template_name: task.template_name,
      template_title: task.template_title,
      template: JSON.stringify(task.template),
      parameters: JSON.stringify(task.parameters),
      created_by: task.created_by,
      principal: task.principal === null ? null : JSON.stringify(task.principal),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto('scaffolder_task_steps')
    .values(steps.map((s, i) => ({ task_id: row.id, step_id: s.step_id, position: i, name: s.name, action: s.action })))
    .execute();
  return row;
}

/** Queues the task's job in the same transaction as the change that makes it runnable. */
export async function enqueueTaskJob(db: Kysely<Database>, taskId: string, attempt: number): Promise<void> {
  await sql`select graphile_worker.add_job(
      ${JOB_IDENTIFIER}::text,
      json_build_object('taskId', ${taskId}::text),
      max_attempts => 1,
      job_key => ${`scaffolder-task:${taskId}:${attempt}`}::text
    )`.execute(db);
}

export async function findTask(db: Kysely<Database>, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('scaffolder_tasks').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listSteps(db: Kysely<Database>, taskId: string) {
  return db.selectFrom('scaffolder_task_steps').selectAll().where('task_id', '=', taskId).orderBy('position').execute();
}

export async function listTasks(db: Kysely<Database>, f: { createdBy?: string; status?: TaskStatus; templateName?: string; limit: number; before?: { createdAt: Date; id: string } }) {
  let q = db
    .selectFrom('scaffolder_tasks')
    .select(['id', 'template_name', 'template_title', 'status', 'created_by', 'created_at', 'started_at', 'finished_at', 'error', 'output', 'cancel_requested', 'attempt'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit);
  if (f.createdBy) q = q.where('created_by', '=', f.createdBy);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.templateName) q = q.where('template_name', '=', f.templateName);
  if (f.before) q = q.where(sql<boolean>`(created_at, id) < (${f.before.createdAt}, ${f.before.id}::uuid)`);
  return q.execute();
}

/** Takes the task for this process if it is open: exactly one claimer wins. */
export async function claimTask(db: Kysely<Database>, id: string, owner: string) {
  return db
    .updateTable('scaffolder_tasks')
    .set({ status: 'processing', lease_owner: owner, heartbeat_at: sql`now()`, attempt: sql`attempt + 1`, started_at: sql`coalesce(started_at, now())`, error: null, finished_at: null })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('cancel_requested', '=', false)
    .returningAll()
    .executeTakeFirst();
}

/** Refreshes the lease; returns the cancel flag, or null when the lease was lost. */
export async function heartbeat(db: Kysely<Database>, id: string, owner: string): Promise<{ cancelRequested: boolean } | null> {
  const r = await db
    .updateTable('scaffolder_tasks')
    .set({ heartbeat_at: sql`now()` })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'processing')
    .returning(['cancel_requested'])
    .executeTakeFirst();
  return r ? { cancelRequested: r.cancel_requested } : null;
}

export async function finishTask(db: Kysely<Database>, id: string, owner: string, status: Extract<TaskStatus, 'completed' | 'failed' | 'cancelled'>, fields: { error?: string | null; output?: unknown }) {
  return db
    .updateTable('scaffolder_tasks')
    .set({
      status,
      finished_at: sql`now()`,
      lease_owner: null,
      heartbeat_at: null,
      error: fields.error ?? null,
      ...(fields.output !== undefined ? { output: JSON.stringify(fields.output) } : {}),
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .returning(['id'])
    .executeTakeFirst();
}

export async function updateStep(db: Kysely<Database>, taskId: string, stepId: string, set: { status: StepStatus; started_at?: unknown; finished_at?: unknown; output?: unknown; error?: string | null }) {
  await db
    .updateTable('scaffolder_task_steps')
    .set({
      status: set.status,
      ...(set.started_at !== undefined ? { started_at: set.started_at === 'now' ? sql`now()` : (set.started_at as null) } : {}),
      ...(set.finished_at !== undefined ? { finished_at: set.finished_at === 'now' ? sql`now()` : (set.finished_at as null) } : {}),
      ...(set.output !== undefined ? { output: set.output === null ? null : JSON.stringify(set.output) } : {}),
      ...(set.error !== undefined ? { error: set.error } : {}),
    })
    .where('task_id', '=', taskId)
    .where('step_id', '=', stepId)
    .execute();
}

export async function setCheckpoint(db: Kysely<Database>, taskId: string, stepId: string, key: string, value: unknown) {
  await db
    .updateTable('scaffolder_task_steps')
    .set({ checkpoints: sql`checkpoints || jsonb_build_object(${key}::text, ${JSON.stringify(value ?? null)}::jsonb)` })
    .where('task_id', '=', taskId)
    .where('step_id', '=', stepId)
    .execute();
}

export async function clearCheckpoint(db: Kysely<Database>, taskId: string, stepId: string, key: string) {
  await db
    .updateTable('scaffolder_task_steps')
    .set({ checkpoints: sql`checkpoints - ${key}::text` })
    .where('task_id', '=', taskId)
    .where('step_id', '=', stepId)
    .execute();
}

/** Stores an event and notifies every replica (delivered when the transaction commits). */
export async function insertEvent(db: Kysely<Database>, e: { task_id: string; type: string; step_id?: string | null; body: Record<string, unknown> }) {
  const r = await sql<{ id: string }>`
    with e as (
      insert into scaffolder_task_events (task_id, type, step_id, body)
      values (${e.task_id}::uuid, ${e.type}, ${e.step_id ?? null}, ${JSON.stringify(e.body)}::jsonb)
      returning id, task_id
    )
    select e.id::text as id, pg_notify(${EVENTS_CHANNEL}, e.task_id::text || ':' || e.id::text) from e`.execute(db);
  return r.rows[0]!.id;
}

export async function listEvents(db: Kysely<Database>, taskId: string, afterId: string | null, limit = 1000) {
  let q = db.selectFrom('scaffolder_task_events').selectAll().where('task_id', '=', taskId).orderBy('id').limit(limit);
  if (afterId) q = q.where('id', '>', afterId as never);
  return q.execute();
}

/** Tasks whose process stopped heart-beating: locked so one sweeper handles each. */
export async function staleTasks(db: Kysely<Database>, staleMs: number) {
  return db
    .selectFrom('scaffolder_tasks')
    .selectAll()
    .where('status', '=', 'processing')
    .where(sql<boolean>`heartbeat_at < now() - make_interval(secs => ${staleMs / 1000})`)
    .forUpdate()
    .skipLocked()
    .limit(50)
    .execute();
}
