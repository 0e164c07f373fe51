import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { Logger, makeWorkerUtils, run, runMigrations, type Runner, type Task, type WorkerUtils } from 'graphile-worker';
import * as repo from './scaffolder.repository.ts';
import type { TaskRunner } from './task-runner.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

// The durable queue is graphile-worker (PostgreSQL, SKIP LOCKED, LISTEN/NOTIFY for instant
// pick-up). A job only says "run task X"; the task row is the truth. Exactly-once per task:
// graphile-worker hands a job to one worker, and the runner must also win `claimTask` (an
// UPDATE … WHERE status = 'open'), so a duplicate job is a no-op. While a task runs, its process
// refreshes `heartbeat_at`; the recovery sweep (every replica runs it) finds tasks whose process
// died (stale heartbeat), and resumes them from their first unfinished step, or fails them with a
// message when they were interrupted too often or the template asks not to resume
// (`spec.recovery.strategy: none`). See README.md in this folder.

export interface QueueOptions {
  connectionString: string;
  concurrency?: number;
  /** How often a running task's lease is refreshed (and its cancel flag read). */
  heartbeatMs?: number;
  /** A lease older than this belongs to a dead process. */
  staleAfterMs?: number;
  /** How often this replica looks for such tasks. */
  sweepIntervalMs?: number;
  /** graphile-worker's fallback poll (new jobs normally arrive through LISTEN/NOTIFY). */
  pollIntervalMs?: number;
  /** Interruptions after which a task is failed instead of resumed. */
  maxResumes?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/**
 * For periodic jobs, called by every replica's sweep: queues `job` when `intervalMs` has passed
 * since a replica last did, as recorded under `settingsKey`. The due check and the stamp are one
 * statement, so replicas racing here queue it once; the job key keeps one in the queue at a time.
 */
export async function queueIfDue(db: Kysely<Database>, job: { task: string; key: string; settingsKey: string; intervalMs: number }): Promise<boolean> {
  const { rows } = await sql<{ key: string }>`
    insert into settings (key, value) values (${job.settingsKey}, to_jsonb(now()))
    on conflict (key) do update set value = to_jsonb(now()), updated_at = now()
      where (settings.value #>> '{}')::timestamptz <= now() - make_interval(secs => ${job.intervalMs / 1000}::float8)
    returning key`.execute(db);
  if (rows.length === 0) return false;
  await sql`select graphile_worker.add_job(${job.task}::text, '{}'::json, max_attempts => 1, job_key => ${job.key}::text)`.execute(db);
  return true;
}

const silentLogger = new Logger(() => () => {});

/** Installs or upgrades graphile-worker's schema, one replica at a time. */
export async function migrateJobQueue(connectionString: string): Promise<void> {
  const pool = new pg.Pool({ connectionString, max: 2 });
  pool.on('error', () => {});
  const lock = await pool.connect();
  try {
    await lock.query(`select pg_advisory_lock(hashtext('portolan:graphile-worker-migrate'))`);
    await runMigrations({ pgPool: pool, logger: silentLogger });
    await lock.query(`select pg_advisory_unlock(hashtext('portolan:graphile-worker-migrate'))`);
  } finally {
    lock.release();
    await pool.end();
  }
}

export class TaskQueue {
  readonly instanceId = `portolan-${randomUUID().slice(0, 8)}`;
  private runner: Runner | null = null;
  private utils: WorkerUtils | null = null;
  private pool: pg.Pool | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly running = new Map<string, { abort: AbortController; heartbeat: NodeJS.Timeout; done: Promise<void> }>();
  private stopping = false;
  // Other job types sharing this one graphile-worker runner (action runs), and their sweeps.
  private readonly extraTasks: Record<string, Task> = {};
  private readonly extraSweeps: (() => Promise<unknown>)[] = [];
  private readonly opts: Required<Omit<QueueOptions, 'log'>> & Pick<QueueOptions, 'log'>;

  constructor(private readonly db: Kysely<Database>, private readonly taskRunner: TaskRunner, options: QueueOptions) {
    this.opts = {
      concurrency: 4,
      heartbeatMs: 2000,
      staleAfterMs: 30_000,
      sweepIntervalMs: 10_000,
      pollIntervalMs: 2000,
      maxResumes: 3,
      ...options,
    };
  }

  /** Adds a job type to the shared runner; call before start(). */
  addTask(identifier: string, task: Task, sweep?: () => Promise<unknown>): void {
    if (this.runner) throw new Error(`add job type ${identifier} before the queue starts`);
    this.extraTasks[identifier] = task;
    if (sweep) this.extraSweeps.push(sweep);
  }

  /** Whether this process is stopping (long jobs end early and leave their work for a sweep). */
  get isStopping(): boolean {
    return this.stopping;
  }

  get started(): boolean {
    return this.runner !== null;
  }

  async start(): Promise<void> {
    if (this.runner) return;
    this.stopping = false;
    await migrateJobQueue(this.opts.connectionString);
    this.pool = new pg.Pool({ connectionString: this.opts.connectionString, max: this.opts.concurrency + 3, application_name: 'portolan-jobs' });
    this.pool.on('error', () => {});
    this.utils = await makeWorkerUtils({ pgPool: this.pool, logger: silentLogger });
    this.runner = await run({
      pgPool: this.pool,
      concurrency: this.opts.concurrency,
      noHandleSignals: true,
      pollInterval: this.opts.pollIntervalMs,
      logger: silentLogger,
      taskList: {
        ...this.extraTasks,
        [repo.JOB_IDENTIFIER]: async (payload, helpers) => {
          const taskId = (payload as { taskId?: string }).taskId;
          if (typeof taskId === 'string') await this.execute(taskId, helpers.job.locked_by ?? 'unknown');
        },
      },
    });
    // Recovery: once now (a restart picks up what the previous run left), then periodically.
    const sweepAll = async () => {
      await this.sweep().catch((e) => this.opts.log?.('error', `scaffolder recovery sweep failed: ${(e as Error).message}`));
      for (const s of this.extraSweeps) await s().catch((e) => this.opts.log?.('error', `recovery sweep failed: ${(e as Error).message}`));
    };
    await sweepAll();
    this.sweepTimer = setInterval(() => void sweepAll(), this.opts.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  /** Runs a task if this process wins the claim. */
  private async execute(taskId: string, workerId: string): Promise<void> {
    if (this.stopping) return;
    // The lease names this process and the graphile-worker worker holding the job, so a sweep
    // after a crash can release that job.
    const owner = `${this.instanceId}|${workerId}`;
    const task = await repo.claimTask(this.db, taskId, owner);
    if (!task) return; // someone else has it, or it was cancelled or finished
    const abort = new AbortController();
    const heartbeat = setInterval(() => {
      repo
        .heartbeat(this.db, taskId, owner)
        .then((h) => {
          if (!h) abort.abort(new Error('lease lost'));
          else if (h.cancelRequested && !abort.signal.aborted) abort.abort(new Error('Cancelled'));
        })
        .catch(() => {});
    }, this.opts.heartbeatMs);
    const done = this.taskRunner
      .run(task, owner, abort.signal, () => this.stopping)
      .catch(async (error) => {
        this.opts.log?.('error', `scaffolder task ${taskId} crashed: ${(error as Error).stack ?? error}`);
        await repo.finishTask(this.db, taskId, owner, 'failed', { error: `Internal error: ${this.taskRunner.redact((error as Error).message)}` }).catch(() => {});
        await this.taskRunner.event(taskId, 'status', null, { status: 'failed', message: 'The task failed because of an internal error' }).catch(() => {});
      })
      .finally(() => {
        clearInterval(heartbeat);
        this.running.delete(taskId);
      });
    this.running.set(taskId, { abort, heartbeat, done });
    await done;
  }

  /** A person asked to cancel: abort at once when it runs here (other replicas see the flag). */
  cancelLocal(taskId: string): void {
    this.running.get(taskId)?.abort.abort(new Error('Cancelled'));
  }

  /** Finds tasks whose process died and resumes or fails them. */
  async sweep(): Promise<number> {
    let handled = 0;
    const deadWorkers = new Set<string>();
    await this.db.transaction().execute(async (trx) => {
      const stale = await repo.staleTasks(trx, this.opts.staleAfterMs);
      for (const task of stale) {
        const worker = task.lease_owner?.split('|')[1];
        if (worker) deadWorkers.add(worker);
        const steps = await repo.listSteps(trx, task.id);
        const current = steps.find((s) => s.status === 'running') ?? steps.find((s) => s.status === 'pending');
        const stepName = current ? `"${current.name}"` : 'its last step';
        const doc = (task.template as { document?: { spec?: { recovery?: { strategy?: string }; EXPERIMENTAL_recovery?: { EXPERIMENTAL_strategy?: string } } } }).document;
        const strategy = doc?.spec?.recovery?.strategy ?? doc?.spec?.EXPERIMENTAL_recovery?.EXPERIMENTAL_strategy;
        const noResume = strategy === 'none';
        if (noResume || task.attempt > this.opts.maxResumes) {
          const reason = noResume
            ? `The server running this task stopped while step ${stepName} was running; this template is not resumed automatically. Check what the step did, then retry the task to continue from that step.`
            : `The server running this task stopped ${task.attempt} times (last during step ${stepName}); giving up. Retry the task to continue from that step.`;
          if (current?.status === 'running') await repo.updateStep(trx, task.id, current.step_id, { status: 'failed', finished_at: 'now', error: 'Interrupted: the server running it stopped' });
          await trx.updateTable('scaffolder_tasks').set({ status: 'failed', error: reason, finished_at: sql`now()`, lease_owner: null, heartbeat_at: null }).where('id', '=', task.id).execute();
          await this.taskRunner.eventIn(trx, task.id, 'status', null, { status: 'failed', message: reason });
        } else {
          // The interrupted step goes back to pending; its checkpoints make it continue, not repeat.
          if (current?.status === 'running') await repo.updateStep(trx, task.id, current.step_id, { status: 'pending' });
          await trx.updateTable('scaffolder_tasks').set({ status: 'open', lease_owner: null, heartbeat_at: null }).where('id', '=', task.id).execute();
          await this.taskRunner.eventIn(trx, task.id, 'recovered', current?.step_id ?? null, { message: `The server running this task stopped during step ${stepName}; resuming from that step` });
          await repo.enqueueTaskJob(trx, task.id, task.attempt + 1);
        }
        handled++;
      }
    });
    // Their graphile-worker jobs stay locked (for hours) unless released; they are finished
    // jobs now (max_attempts 1), so releasing them does not run anything twice.
    if (deadWorkers.size && this.utils) await this.utils.forceUnlockWorkers([...deadWorkers]).catch(() => {});
    return handled;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    // Running tasks are handed back (status open + a new job) so another replica continues them.
    const handedBack = [...this.running.keys()];
    for (const r of this.running.values()) r.abort.abort(new Error('server shutting down'));
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await this.runner?.stop().catch(() => {});
    this.runner = null;
    // Only now: this server's worker would otherwise take the job back while stopping.
    for (const id of handedBack) {
      const t = await repo.findTask(this.db, id).catch(() => undefined);
      if (t?.status === 'open') await repo.enqueueTaskJob(this.db, id, t.attempt + 1).catch((e) => this.opts.log?.('error', `could not requeue task ${id}: ${(e as Error).message}`));
    }
    await Promise.resolve(this.utils?.release()).catch(() => {});
    this.utils = null;
    await this.pool?.end().catch(() => {});
    this.pool = null;
  }
}
