import type { Kysely } from 'kysely';
import type { DryRunResponse, Task, TaskEvent, Template, TemplateFile, TemplateSummary } from '@portolan/contract';
import type { Database, TaskStatus } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../../plugins/errors.ts';
import { insertAuditRecords } from '../audit/audit.repository.ts';
import type { EntitiesService } from '../entities/entities.service.ts';
import { GITHUB_NOT_CONFIGURED } from '../github/github.errors.ts';
import type { GitHubService } from '../github/github.service.ts';
import { isAdmin } from '../identity/principal.ts';
import type { Actor } from '../request-context.ts';
import type { SecretsService } from '../secrets/secrets.service.ts';
import { BUILTIN_ACTIONS, type Workspace } from './actions/index.ts';
import { isText } from './actions/fetch.ts';
import * as repo from './scaffolder.repository.ts';
import { parameterPages, parseTemplate, templateProblems, validateParameters, type ParsedTemplate } from './template-format.ts';
import { isTruthyCondition, referencedSecrets, renderValue } from './templating.ts';
import { userContext, type TaskSnapshot } from './task-runner.ts';
import type { TaskQueue } from './task-queue.ts';

export interface ScaffolderDeps {
  db: Kysely<Database>;
  github: GitHubService;
  entities: EntitiesService;
  secrets: SecretsService;
  /** Set when this process runs tasks (cancel aborts at once here). */
  queue?: () => TaskQueue | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export class ScaffolderService {
  constructor(private readonly deps: ScaffolderDeps) {}

  private get db() {
    return this.deps.db;
  }

  // ---- templates ----

  async listTemplates(filter: { q?: string; tag?: string; type?: string }): Promise<TemplateSummary[]> {
    return (await repo.listTemplates(this.db, filter)).map(toSummary);
  }

  async getTemplate(name: string, withFiles = false): Promise<Template> {
    const row = await repo.findTemplate(this.db, name);
    if (!row) throw new NotFoundError(`Template "${name}" not found`);
    return toTemplate(row, withFiles);
  }

  validate(yaml: string, files: Record<string, string | TemplateFile> = {}) {
    const { problems } = templateProblems(yaml, files);
    return { valid: problems.length === 0, errors: problems };
  }

  /** Create (mode create: 409 when it exists) or create-or-replace (mode put: the name must match). */
  async saveTemplate(yaml: string, files: Record<string, string | TemplateFile> | undefined, mode: { create: true } | { put: string }, actor: Actor): Promise<{ template: Template; created: boolean }> {
    // Editing only the YAML of a stored template: it is checked against the files it already has.
    const stored = files === undefined && 'put' in mode ? ((await repo.findTemplate(this.db, mode.put))?.files as Record<string, TemplateFile> | undefined) : undefined;
    const parsed = parseTemplate(yaml, files ?? stored ?? {});
    const name = parsed.document.metadata.name;
    if ('put' in mode && mode.put !== name) throw new InvalidError(`metadata.name "${name}" does not match the template name in the URL ("${mode.put}")`, [{ path: 'metadata.name', message: `must be "${mode.put}"` }]);
    return this.db.transaction().execute(async (trx) => {
      const existing = await repo.findTemplate(trx, name, { forUpdate: true });
      if (existing && 'create' in mode) throw new ConflictError(`Template "${name}" already exists`);
      const fields = rowFields(parsed, actor);
      // Without new files, a replace keeps the stored ones (editing only the YAML).
      if (existing && files === undefined) fields.files = existing.files as Record<string, TemplateFile>;
      const row = existing ? await repo.updateTemplate(trx, name, fields) : await repo.insertTemplate(trx, { name, ...fields, created_by: actor.id });
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: existing ? 'update' : 'create', resourceType: 'template', resourceId: name, before: existing ? { yaml: existing.source } : null, after: { yaml } }]);
      return { template: toTemplate(row, false), created: !existing };
    });
  }

  async deleteTemplate(name: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await repo.deleteTemplate(trx, name);
      if (!row) throw new NotFoundError(`Template "${name}" not found`);
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'delete', resourceType: 'template', resourceId: name, before: { yaml: row.source } }]);
    });
  }

  // ---- dry run ----

  /** Renders the template with these parameters: files, steps, output. Nothing leaves the process. */
  async dryRun(body: { templateName?: string; yaml?: string; files?: Record<string, string | TemplateFile>; parameters: Record<string, unknown> }, actor: Actor): Promise<Omit<DryRunResponse, 'ok'>> {
    let parsed: ParsedTemplate;
    if (body.yaml !== undefined) parsed = parseTemplate(body.yaml, body.files ?? {});
    else if (body.templateName) {
      const row = await repo.findTemplate(this.db, body.templateName);
      if (!row) throw new NotFoundError(`Template "${body.templateName}" not found`);
      parsed = { document: row.document as never, source: row.source, files: row.files as Record<string, TemplateFile> };
    } else throw new InvalidError('Give templateName or yaml', [{ path: 'templateName', message: 'templateName or yaml is required' }]);
    const problems = validateParameters(parsed.document, body.parameters);
    if (problems.length) throw new InvalidError(`Invalid parameters: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);

    const log: string[] = [];
    const workspace: Workspace = new Map();
    const secrets = Object.fromEntries(referencedSecrets(parsed.document.spec).map((n) => [n, `<secret ${n}>`]));
    const stepOutputs: Record<string, { output: Record<string, unknown> }> = {};
    const context = () => ({ parameters: body.parameters, steps: stepOutputs, user: userContext(actor.id, actor.principal ?? null), secrets, templateInfo: { name: parsed.document.metadata.name } });
    const steps: DryRunResponse['steps'] = [];
    const controller = new AbortController();
    for (const step of parsed.document.spec.steps) {
      const action = BUILTIN_ACTIONS.get(step.action)!;
      const name = step.name ?? step.id;
      const fail = (error: unknown): never => {
        throw new InvalidError(`Step "${name}" (${step.action}): ${(error as Error).message}`, [{ path: `spec.steps.${step.id}`, message: (error as Error).message }]);
      };
      let willRun = true;
      let input: Record<string, unknown> = {};
      try {
        willRun = isTruthyCondition(step.if, context());
        if (willRun) input = renderValue(step.input ?? {}, context()) as Record<string, unknown>;
      } catch (error) {
        fail(error);
      }
      if (!willRun) {
        steps.push({ id: step.id, name, action: step.action, willRun: false, input: null, description: 'Skipped: its "if" is false', output: {} });
        stepOutputs[step.id] = { output: {} };
        continue;
      }
      let description = '';
      let output: Record<string, unknown> = {};
      try {
        if (action.kind === 'workspace') {
          output = await action.run({
            input, workspace, templateFiles: parsed.files, signal: controller.signal, dryRun: true, github: this.deps.github, entities: this.deps.entities, actor, taskId: null, templateName: parsed.document.metadata.name, checkpoints: {},
            log: async (m) => void log.push(`[${step.id}] ${m}`),
            checkpoint: async (_k, fn) => fn(),
            setCheckpoint: async () => {},
            clearCheckpoint: async () => {},
          });
          description = `Builds files in the workspace (${workspace.size} so far)`;
        } else {
          const d = action.describe!(input, { githubWebUrl: this.deps.github.webUrl, workspace });
          description = d.description + (action.needsGitHub && !this.deps.github.configured ? ` — would fail now: ${GITHUB_NOT_CONFIGURED}` : '');
          output = d.output;
          log.push(`[${step.id}] dry run: ${d.description}`);
        }
      } catch (error) {
        fail(error);
      }
      steps.push({ id: step.id, name, action: step.action, willRun: true, input: redactSecretsShown(input), description, output });
      stepOutputs[step.id] = { output };
    }
    let output: DryRunResponse['output'] = { links: [], text: [] };
    try {
      output = { links: [], text: [], ...(renderValue(parsed.document.spec.output ?? {}, context()) as Record<string, unknown>) } as DryRunResponse['output'];
    } catch (error) {
      log.push(`output could not be rendered: ${(error as Error).message}`);
    }
    const files = [...workspace.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([path, content]) => {
        const text = isText(content);
        return { path, content: text ? content.toString('utf8') : content.toString('base64'), encoding: text ? ('utf8' as const) : ('base64' as const), size: content.length };
      });
    return { files, steps, output, log: log.map((l) => this.deps.secrets.redactor.redact(l)) };
  }

  // ---- tasks ----

  async createTask(templateName: string, parameters: Record<string, unknown>, actor: Actor): Promise<Task> {
    const row = await repo.findTemplate(this.db, templateName);
    if (!row) throw new NotFoundError(`Template "${templateName}" not found`);
    const document = row.document as unknown as ParsedTemplate['document'];
    const problems = validateParameters(document, parameters);
    if (problems.length) throw new InvalidError(`Invalid parameters: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
    const snapshot: TaskSnapshot = { document, files: row.files as Record<string, TemplateFile>, version: row.version };
    const id = await this.db.transaction().execute(async (trx) => {
      const task = await repo.insertTask(
        trx,
        { template_name: row.name, template_title: row.title, template: snapshot, parameters, created_by: actor.id, principal: actor.principal ?? null },
        document.spec.steps.map((s) => ({ step_id: s.id, name: s.name ?? s.id, action: s.action })),
      );
      await repo.insertEvent(trx, { task_id: task.id, type: 'status', body: { status: 'open', message: `Task created from template "${row.name}"` } });
      await repo.enqueueTaskJob(trx, task.id, 0);
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'create', resourceType: 'scaffolder_task', resourceId: task.id, after: { templateName: row.name } }]);
      return task.id;
    });
    return this.getTask(id);
  }

  async getTask(id: string): Promise<Task> {
    const row = await repo.findTask(this.db, id);
    if (!row) throw new NotFoundError(`Task "${id}" not found`);
    const steps = await repo.listSteps(this.db, id);
    return toTask(row, steps);
  }

  async listTasks(q: { createdBy?: string; owner: 'me' | 'all'; status?: TaskStatus; templateName?: string; limit: number; from?: string }, actor: Actor) {
    let before: { createdAt: Date; id: string } | undefined;
    if (q.from) {
      try {
        const [t, id] = JSON.parse(Buffer.from(q.from, 'base64url').toString('utf8')) as [string, string];
        before = { createdAt: new Date(t), id };
        if (Number.isNaN(before.createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad');
      } catch {
        throw new InvalidError('Invalid cursor', [{ path: 'query.from', message: 'is not a cursor returned by this API' }]);
      }
    }
    const createdBy = q.owner === 'me' ? actor.id : q.createdBy;
    const rows = await repo.listTasks(this.db, { createdBy, status: q.status, templateName: q.templateName, limit: q.limit + 1, before });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const next = rows.length > q.limit && last ? Buffer.from(JSON.stringify([last.created_at.toISOString(), last.id])).toString('base64url') : null;
    return { tasks: page.map(toTaskSummary), next };
  }

  async events(id: string, after: string | null): Promise<TaskEvent[]> {
    const task = await repo.findTask(this.db, id);
    if (!task) throw new NotFoundError(`Task "${id}" not found`);
    return (await repo.listEvents(this.db, id, after)).map(toEvent);
  }

  private assertMayControl(task: repo.TaskRow, actor: Actor, verb: string) {
    if (actor.principal && !isAdmin(actor.principal) && task.created_by !== actor.id) throw new ForbiddenError(`Only the person who started this task, or an admin, may ${verb} it`);
  }

  async cancel(id: string, actor: Actor): Promise<Task> {
    await this.db.transaction().execute(async (trx) => {
      const task = await repo.findTask(trx, id, { forUpdate: true });
      if (!task) throw new NotFoundError(`Task "${id}" not found`);
      this.assertMayControl(task, actor, 'cancel');
      if (task.status === 'open') {
        await trx.updateTable('scaffolder_tasks').set({ status: 'cancelled', cancel_requested: true, finished_at: new Date(), error: 'Cancelled before it started' }).where('id', '=', id).execute();
        await trx.updateTable('scaffolder_task_steps').set({ status: 'cancelled' }).where('task_id', '=', id).where('status', '=', 'pending').execute();
        await repo.insertEvent(trx, { task_id: id, type: 'status', body: { status: 'cancelled', message: `Cancelled by ${actor.id}` } });
      } else if (task.status === 'processing') {
        // The process running it sees the flag at its next heartbeat (or at once, if it is this one).
        await trx.updateTable('scaffolder_tasks').set({ cancel_requested: true }).where('id', '=', id).execute();
        await repo.insertEvent(trx, { task_id: id, type: 'log', body: { level: 'warn', message: `Cancellation requested by ${actor.id}` } });
      } else {
        throw new ConflictError(`Task is ${task.status}; only open or running tasks can be cancelled`);
      }
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'update', resourceType: 'scaffolder_task', resourceId: id, after: { cancel: true } }]);
    });
    this.deps.queue?.()?.cancelLocal(id);
    return this.getTask(id);
  }

  /** Runs a failed or cancelled task again from its first step that did not succeed. */
  async retry(id: string, actor: Actor): Promise<Task> {
    await this.db.transaction().execute(async (trx) => {
      const task = await repo.findTask(trx, id, { forUpdate: true });
      if (!task) throw new NotFoundError(`Task "${id}" not found`);
      this.assertMayControl(task, actor, 'retry');
      if (task.status !== 'failed' && task.status !== 'cancelled') throw new ConflictError(`Task is ${task.status}; only failed or cancelled tasks can be retried`);
      await trx
        .updateTable('scaffolder_task_steps')
        .set({ status: 'pending', started_at: null, finished_at: null, error: null, output: null })
        .where('task_id', '=', id)
        .where('status', 'in', ['failed', 'cancelled', 'running'])
        .execute();
      await trx.updateTable('scaffolder_tasks').set({ status: 'open', cancel_requested: false, error: null, finished_at: null, output: null }).where('id', '=', id).execute();
      await repo.insertEvent(trx, { task_id: id, type: 'status', body: { status: 'open', message: `Retried by ${actor.id}: continuing from the first step that did not succeed` } });
      await repo.enqueueTaskJob(trx, id, task.attempt + 1);
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'update', resourceType: 'scaffolder_task', resourceId: id, after: { retry: true } }]);
    });
    return this.getTask(id);
  }

  actions() {
    return {
      actions: [...BUILTIN_ACTIONS.values()].map((a) => ({ id: a.id, description: a.description, supportsDryRun: true, needsGitHub: a.needsGitHub })),
      githubNotConfigured: this.deps.github.configured ? null : GITHUB_NOT_CONFIGURED,
    };
  }
}

function redactSecretsShown(input: Record<string, unknown>): Record<string, unknown> {
  return input;
}

function rowFields(parsed: ParsedTemplate, actor: Actor) {
  const d = parsed.document;
  return {
    title: d.metadata.title ?? null,
    description: d.metadata.description ?? null,
    tags: d.metadata.tags ?? [],
    type: d.spec.type,
    owner: d.spec.owner ?? null,
    source: parsed.source,
    document: d as unknown as Record<string, unknown>,
    files: parsed.files,
    updated_by: actor.id,
  };
}

function toSummary(r: Pick<repo.TemplateRow, 'name' | 'title' | 'description' | 'tags' | 'type' | 'owner' | 'version' | 'created_at' | 'created_by' | 'updated_at' | 'updated_by'>): TemplateSummary {
  return {
    name: r.name,
    title: r.title,
    description: r.description,
    tags: r.tags,
    type: r.type,
    owner: r.owner,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    updatedAt: r.updated_at.toISOString(),
    updatedBy: r.updated_by,
  };
}

function toTemplate(r: repo.TemplateRow, withFiles: boolean): Template {
  const files = r.files as Record<string, TemplateFile>;
  return {
    ...toSummary(r),
    yaml: r.source,
    document: r.document as Record<string, unknown>,
    parameterPages: parameterPages(r.document as never) as Record<string, unknown>[],
    filePaths: Object.keys(files).sort(),
    ...(withFiles ? { files } : {}),
  };
}

type TaskSummaryRow = Pick<repo.TaskRow, 'id' | 'template_name' | 'template_title' | 'status' | 'created_by' | 'created_at' | 'started_at' | 'finished_at' | 'error' | 'output' | 'cancel_requested' | 'attempt'>;

function toTaskSummary(r: TaskSummaryRow) {
  return {
    id: r.id,
    templateName: r.template_name,
    templateTitle: r.template_title,
    status: r.status,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    error: r.error,
    output: (r.output ?? null) as Task['output'],
    cancelRequested: r.cancel_requested,
    attempt: r.attempt,
  };
}

function toTask(r: repo.TaskRow, steps: repo.StepRow[]): Task {
  return {
    ...toTaskSummary(r),
    parameters: r.parameters as Record<string, unknown>,
    steps: steps.map((s) => ({ id: s.step_id, name: s.name, action: s.action, status: s.status, startedAt: iso(s.started_at), finishedAt: iso(s.finished_at), error: s.error, output: (s.output ?? null) as Record<string, unknown> | null })),
  };
}

export function toEvent(e: repo.EventRow): TaskEvent {
  return { id: String(e.id), taskId: e.task_id, type: e.type as TaskEvent['type'], stepId: e.step_id, body: e.body as Record<string, unknown>, createdAt: e.created_at.toISOString() };
}
