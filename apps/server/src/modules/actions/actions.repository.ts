import { sql, type Kysely } from 'kysely';
import type { ActionRunRow, Database, DispatchState, RunStatus } from '../../db/schema.ts';

export const INVOKE_JOB = 'actions:invoke';
export const TRACK_JOB = 'actions:track';

export async function listActions(db: Kysely<Database>, filter: { blueprint?: string; operation?: string }) {
  let q = db.selectFrom('actions').selectAll().orderBy('identifier');
  if (filter.blueprint) q = q.where('blueprint', '=', filter.blueprint);
  if (filter.operation) q = q.where('operation', '=', filter.operation);
  return q.execute();
}

export async function findAction(db: Kysely<Database>, identifier: string) {
  return db.selectFrom('actions').selectAll().where('identifier', '=', identifier).executeTakeFirst();
}

export async function upsertAction(db: Kysely<Database>, row: { identifier: string; title: string | null; blueprint: string | null; operation: string; definition: unknown; actor: string }) {
  await db
    .insertInto('actions')
    .values({ identifier: row.identifier, title: row.title, blueprint: row.blueprint, operation: row.operation, definition: JSON.stringify(row.definition), created_by: row.actor, updated_by: row.actor })
    .onConflict((oc) =>
      oc.column('identifier').doUpdateSet({ title: row.title, blueprint: row.blueprint, operation: row.operation, definition: JSON.stringify(row.definition), updated_by: row.actor, updated_at: sql`now()` }),
    )
    .execute();
}

export async function deleteAction(db: Kysely<Database>, identifier: string): Promise<boolean> {
  const res = await db.deleteFrom('actions').where('identifier', '=', identifier).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function insertRun(db: Kysely<Database>, row: Omit<ActionRunRow, 'created_at' | 'updated_at' | 'ended_at' | 'dispatch_state' | 'tracking' | 'link' | 'response' | 'approval' | 'status_label' | 'summary' | 'external_run_id' | 'payload'>) {
  await db
    .insertInto('action_runs')
    .values({ ...row, action: JSON.stringify(row.action), properties: JSON.stringify(row.properties), principal: JSON.stringify(row.principal) })
    .execute();
}

export async function findRun(db: Kysely<Database>, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('action_runs').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listRuns(db: Kysely<Database>, filter: { action?: string; entity?: string; blueprint?: string; active?: boolean; createdBy?: string; limit: number }) {
  let q = db.selectFrom('action_runs').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit);
  if (filter.action) q = q.where('action_identifier', '=', filter.action);
  if (filter.entity) q = q.where('entity', '=', filter.entity);
  if (filter.blueprint) q = q.where('blueprint', '=', filter.blueprint);
  if (filter.createdBy) q = q.where('created_by', '=', filter.createdBy);
  if (filter.active !== undefined) q = q.where('status', filter.active ? 'in' : 'not in', ['IN_PROGRESS', 'WAITING_FOR_APPROVAL']);
  return q.execute();
}

export interface RunChanges {
  status?: RunStatus;
  status_label?: string | null;
  link?: string[];
  summary?: string | null;
  external_run_id?: string | null;
  approval?: unknown;
  payload?: unknown;
  response?: unknown;
  dispatch_state?: DispatchState;
  tracking?: unknown;
}

/** Updates a run; a terminal status also sets ended_at. */
export async function updateRun(db: Kysely<Database>, id: string, changes: RunChanges, where: { status?: RunStatus } = {}): Promise<boolean> {
  const set: Record<string, unknown> = { updated_at: sql`now()` };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) continue;
    set[k] = ['link', 'approval', 'payload', 'response', 'tracking'].includes(k) ? JSON.stringify(v) : v;
  }
  if (changes.status && changes.status !== 'IN_PROGRESS' && changes.status !== 'WAITING_FOR_APPROVAL') set.ended_at = sql`now()`;
  let q = db.updateTable('action_runs').set(set).where('id', '=', id);
  if (where.status) q = q.where('status', '=', where.status);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** The exactly-once gate of a run's side effect: only one caller moves it out of 'pending'. */
export async function claimDispatch(db: Kysely<Database>, id: string) {
  return db
    .updateTable('action_runs')
    .set({ dispatch_state: 'dispatching', updated_at: sql`now()` })
    .where('id', '=', id)
    .where('dispatch_state', '=', 'pending')
    .where('status', '=', 'IN_PROGRESS')
    .returningAll()
    .executeTakeFirst();
}

export async function insertLog(db: Kysely<Database>, runId: string, message: string, extra: { terminationStatus?: string | null; statusLabel?: string | null } = {}) {
  await db.insertInto('action_run_logs').values({ run_id: runId, message, termination_status: extra.terminationStatus ?? null, status_label: extra.statusLabel ?? null }).execute();
}

export async function listLogs(db: Kysely<Database>, runId: string, limit: number, offset: number) {
  return db.selectFrom('action_run_logs').selectAll().where('run_id', '=', runId).orderBy('id').limit(limit).offset(offset).execute();
}

export async function enqueueInvoke(db: Kysely<Database>, runId: string): Promise<void> {
  await sql`select graphile_worker.add_job(${INVOKE_JOB}::text, json_build_object('runId', ${runId}::text), max_attempts => 1, job_key => ${`action-invoke:${runId}`}::text)`.execute(db);
}

/** One pending tracking job per run (the job key replaces a waiting one). */
export async function enqueueTrack(db: Kysely<Database>, runId: string, delayMs: number): Promise<void> {
  await sql`select graphile_worker.add_job(${TRACK_JOB}::text, json_build_object('runId', ${runId}::text), run_at => now() + make_interval(secs => ${delayMs / 1000}::float8), max_attempts => 1, job_key => ${`action-track:${runId}`}::text)`.execute(db);
}

/** Runs a crashed process left behind: dispatching too long, or tracked runs with no recent poll. */
export async function staleRuns(db: Kysely<Database>, staleAfterMs: number) {
  return db
    .selectFrom('action_runs')
    .selectAll()
    .where('status', '=', 'IN_PROGRESS')
    .where('dispatch_state', 'in', ['dispatching', 'dispatched'])
    .where('updated_at', '<', sql<Date>`now() - make_interval(secs => ${staleAfterMs / 1000}::float8)`)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function findRunByGitHubRun(db: Kysely<Database>, owner: string, repo: string, ghRunId: number) {
  return db
    .selectFrom('action_runs')
    .select(['id'])
    .where('status', '=', 'IN_PROGRESS')
    .where(sql<boolean>`tracking->>'runId' = ${String(ghRunId)} and lower(tracking->>'owner') = lower(${owner}) and lower(tracking->>'repo') = lower(${repo})`)
    .execute();
}
