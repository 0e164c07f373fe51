import type { Kysely } from 'kysely';
import type { TemplateDocument, TemplateFile } from '@portolan/contract';
import type { Database } from '../../db/schema.ts';
import type { EntitiesService } from '../entities/entities.service.ts';
import { observeRateLimits, type GitHubService } from '../github/github.service.ts';
import type { Principal } from '../identity/principal.ts';
import type { Actor } from '../request-context.ts';
import type { SecretsService } from '../secrets/secrets.service.ts';
import { BUILTIN_ACTIONS, type ActionContext, type Workspace } from './actions/index.ts';
import * as repo from './scaffolder.repository.ts';
import { isTruthyCondition, referencedSecrets, renderValue } from './templating.ts';

// Runs one claimed task: its steps in order, each start/end and log line stored as an event.
// Steps that already succeeded (an earlier attempt, before a crash or a failure) are not run
// again: their stored outputs are used; the workspace steps among them (fetch:*, catalog:write)
// are replayed quietly, because they only build files in memory.

export interface RunnerDeps {
  db: Kysely<Database>;
  github: GitHubService;
  entities: EntitiesService;
  secrets: SecretsService;
}

export interface TaskSnapshot {
  document: TemplateDocument;
  files: Record<string, TemplateFile>;
  version: number;
}

export interface UserContext {
  ref: string;
  email: string | null;
  name: string | null;
  teams: string[];
  entity: { metadata: { name: string } };
}

export function userContext(actorId: string, principal: Principal | null): UserContext {
  const name = principal?.email?.split('@')[0] ?? actorId.replace(/^[a-z]+:/, '');
  return { ref: actorId, email: principal?.email ?? null, name: principal?.name ?? null, teams: principal?.teams ?? [], entity: { metadata: { name } } };
}

type EventType = 'log' | 'step_start' | 'step_end' | 'status' | 'recovered';

export class TaskRunner {
  constructor(private readonly deps: RunnerDeps) {}

  /** Redacts stored secrets and the GitHub credentials from anything written to the log. */
  redact(text: string): string {
    let out = this.deps.secrets.redactor.redact(text);
    for (const v of this.deps.github.secretValues) if (v.length >= 4 && out.includes(v)) out = out.split(v).join('***GITHUB_TOKEN***');
    return out;
  }

  private redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactDeep(v)) as T;
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redactDeep(v)])) as T;
    return value;
  }

  async event(taskId: string, type: EventType, stepId: string | null, body: Record<string, unknown>): Promise<void> {
    await this.eventIn(this.deps.db, taskId, type, stepId, body);
  }

  async eventIn(db: Kysely<Database>, taskId: string, type: EventType, stepId: string | null, body: Record<string, unknown>): Promise<void> {
    await repo.insertEvent(db, { task_id: taskId, type, step_id: stepId, body: this.redactDeep(body) });
  }

  /**
   * Runs a task this process has claimed (status processing, lease = owner). `signal` aborts on
   * cancel or shutdown; `leaseLost()` says another process took over (then nothing more is written).
   */
  async run(task: repo.TaskRow, owner: string, signal: AbortSignal, shutdown: () => boolean): Promise<void> {
    const { db } = this.deps;
    const snapshot = task.template as unknown as TaskSnapshot;
    const document = snapshot.document;
    const parameters = task.parameters as Record<string, unknown>;
    const principal = (task.principal ?? null) as Principal | null;
    const actor: Actor = { id: task.created_by, requestId: null, ...(principal ? { principal } : {}) };
    await this.event(task.id, 'status', null, { status: 'processing', attempt: task.attempt, message: task.attempt > 1 ? 'Continuing the task' : 'Task started' });

    const secrets: Record<string, string> = {};
    for (const name of referencedSecrets(document.spec)) {
      try {
        secrets[name] = await this.deps.secrets.reveal(name);
      } catch {
        // A missing secret renders empty; a step that needs it fails with its own message.
      }
    }
    const stepOutputs: Record<string, { output: Record<string, unknown> }> = {};
    const context = () => ({ parameters, steps: stepOutputs, user: userContext(task.created_by, principal), secrets, templateInfo: { name: task.template_name } });
    const workspace: Workspace = new Map();
    const stepRows = await repo.listSteps(db, task.id);
    const byId = new Map(stepRows.map((s) => [s.step_id, s]));

    for (const step of document.spec.steps) {
      const row = byId.get(step.id);
      const action = BUILTIN_ACTIONS.get(step.action);
      if (!row || !action) throw new Error(`step ${step.id} has no row or an unknown action`);
      const name = step.name ?? step.id;

      if (row.status === 'succeeded') {
        if (action.kind === 'workspace') {
          // Rebuild the workspace; nothing is logged again.
          const input = renderValue(step.input ?? {}, context()) as Record<string, unknown>;
          await action.run(this.actionContext(task, step.id, input, workspace, snapshot, signal, actor, row.checkpoints, true));
        }
        stepOutputs[step.id] = { output: (row.output ?? {}) as Record<string, unknown> };
        continue;
      }
      if (row.status === 'skipped') {
        stepOutputs[step.id] = { output: {} };
        continue;
      }
      if (signal.aborted) return this.stop(task.id, owner, step.id, shutdown());

      let input: Record<string, unknown>;
      try {
        if (!isTruthyCondition(step.if, context())) {
          await repo.updateStep(db, task.id, step.id, { status: 'skipped', started_at: 'now', finished_at: 'now' });
          await this.event(task.id, 'step_end', step.id, { status: 'skipped', message: `${name}: skipped (its "if" is false)` });
          stepOutputs[step.id] = { output: {} };
          continue;
        }
        input = renderValue(step.input ?? {}, context()) as Record<string, unknown>;
      } catch (error) {
        return this.fail(task.id, owner, step.id, name, error);
      }

      await repo.updateStep(db, task.id, step.id, { status: 'running', started_at: 'now', finished_at: null, error: null });
      await this.event(task.id, 'step_start', step.id, { status: 'running', name, action: step.action, message: `${name} (${step.action})` });
      try {
        const ctx = this.actionContext(task, step.id, input, workspace, snapshot, signal, actor, row.checkpoints, false);
        const output = await observeRateLimits((m) => void ctx.log(m).catch(() => {}), () => action.run(ctx));
        const stored = this.redactDeep(output);
        await repo.updateStep(db, task.id, step.id, { status: 'succeeded', finished_at: 'now', output: stored });
        await this.event(task.id, 'step_end', step.id, { status: 'succeeded', message: `${name}: done` });
        stepOutputs[step.id] = { output };
      } catch (error) {
        if (signal.aborted) {
          await repo.updateStep(db, task.id, step.id, { status: shutdown() ? 'pending' : 'cancelled', finished_at: shutdown() ? null : 'now' });
          return this.stop(task.id, owner, step.id, shutdown());
        }
        return this.fail(task.id, owner, step.id, name, error);
      }
    }

    let output: Record<string, unknown> = { links: [], text: [] };
    try {
      const rendered = renderValue(document.spec.output ?? {}, context()) as Record<string, unknown>;
      output = { links: [], text: [], ...rendered };
      const links = (output.links as Record<string, unknown>[]).filter((l) => l && (l.url || l.entityRef));
      output.links = links;
    } catch (error) {
      await this.event(task.id, 'log', null, { level: 'warn', message: `The template's output could not be rendered: ${(error as Error).message}` });
    }
    output = this.redactDeep(output);
    const done = await repo.finishTask(db, task.id, owner, 'completed', { output });
    if (done) await this.event(task.id, 'status', null, { status: 'completed', message: 'Task completed' });
  }

  private actionContext(task: repo.TaskRow, stepId: string, input: Record<string, unknown>, workspace: Workspace, snapshot: TaskSnapshot, signal: AbortSignal, actor: Actor, checkpoints: Record<string, unknown>, quiet: boolean): ActionContext {
    const { db } = this.deps;
    const cps = { ...checkpoints };
    return {
      input,
      workspace,
      templateFiles: snapshot.files,
      signal,
      dryRun: false,
      github: this.deps.github,
      entities: this.deps.entities,
      actor,
      taskId: task.id,
      templateName: task.template_name,
      checkpoints: cps,
      log: async (message) => {
        if (!quiet) await this.event(task.id, 'log', stepId, { level: 'info', message });
      },
      checkpoint: async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
        if (key in cps) return cps[key] as T;
        const value = await fn();
        cps[key] = value;
        await repo.setCheckpoint(db, task.id, stepId, key, value);
        return value;
      },
      setCheckpoint: async (key, value) => {
        cps[key] = value;
        await repo.setCheckpoint(db, task.id, stepId, key, value);
      },
      clearCheckpoint: async (key) => {
        delete cps[key];
        await repo.clearCheckpoint(db, task.id, stepId, key);
      },
    };
  }

  private async fail(taskId: string, owner: string, stepId: string, name: string, error: unknown): Promise<void> {
    const message = this.redact((error as Error)?.message ?? String(error));
    await repo.updateStep(this.deps.db, taskId, stepId, { status: 'failed', finished_at: 'now', error: message });
    await this.event(taskId, 'step_end', stepId, { status: 'failed', message: `${name} failed: ${message}` });
    const done = await repo.finishTask(this.deps.db, taskId, owner, 'failed', { error: `Step "${name}" failed: ${message}` });
    if (done) await this.event(taskId, 'status', null, { status: 'failed', message: `Step "${name}" failed: ${message}` });
  }

  /** Cancelled by a person, or interrupted by this server shutting down (then resumed elsewhere). */
  private async stop(taskId: string, owner: string, stepId: string, shuttingDown: boolean): Promise<void> {
    if (shuttingDown) {
      // Hand the task back: another replica (or this one after restart) continues it.
      await this.deps.db
        .updateTable('scaffolder_tasks')
        .set({ status: 'open', lease_owner: null, heartbeat_at: null })
        .where('id', '=', taskId)
        .where('lease_owner', '=', owner)
        .execute();
      // TaskQueue.stop() queues its job once this server's worker no longer takes jobs.
      await this.event(taskId, 'status', null, { status: 'open', message: 'The server stopped; the task will continue on the next server to pick it up' });
      return;
    }
    await this.deps.db.updateTable('scaffolder_task_steps').set({ status: 'cancelled' }).where('task_id', '=', taskId).where('status', 'in', ['pending', 'running']).execute();
    const done = await repo.finishTask(this.deps.db, taskId, owner, 'cancelled', { error: `Cancelled before step "${stepId}" finished` });
    if (done) await this.event(taskId, 'status', null, { status: 'cancelled', message: 'Task cancelled' });
  }
}
