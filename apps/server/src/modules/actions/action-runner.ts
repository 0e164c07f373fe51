import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ActionDefinition, InvocationMethod } from '@portolan/contract';
import type { ActionRunRow, Database } from '../../db/schema.ts';
import type { AuthService } from '../identity/auth.service.ts';
import type { EntitiesService } from '../entities/entities.service.ts';
import type { GitHubService } from '../github/github.service.ts';
import type { SecretsService } from '../secrets/secrets.service.ts';
import * as repo from './actions.repository.ts';
import { renderTemplate } from './jq-template.ts';

// Runs the side effect of an action run from the durable queue (see README.md here):
// `actions:invoke` calls the backend once (claimDispatch is the exactly-once gate), and for GitHub
// `actions:track` follows the workflow run with backoff until it completes.

export const WEBHOOK_SECRET_NAME = 'WEBHOOK_SIGNING_SECRET';
export const GITHUB_WEBHOOK_SECRET_NAME = 'GITHUB_WEBHOOK_SECRET';

export interface RunnerOptions {
  /** First delay between two polls of a GitHub run; doubles up to maxPollMs. */
  pollBaseMs?: number;
  maxPollMs?: number;
  /** Polls without finding the run (GHES correlation) before the run fails. */
  findAttempts?: number;
  webhookTimeoutMs?: number;
  /** A run in 'dispatching' or not polled for this long belongs to a dead process. */
  staleAfterMs?: number;
}

export interface GitHubTracking {
  owner: string;
  repo: string;
  workflow: string;
  runId: number | null;
  htmlUrl: string | null;
  correlationId: string;
  dispatchedAt: string;
  polls: number;
  lastStatus: string | null;
}

export class ActionRunner {
  private readonly opts: Required<RunnerOptions>;

  constructor(
    private readonly deps: { db: Kysely<Database>; github: GitHubService; secrets: SecretsService; auth: AuthService; entities: EntitiesService; publicUrl: string },
    options: RunnerOptions = {},
  ) {
    this.opts = { pollBaseMs: 2000, maxPollMs: 60_000, findAttempts: 30, webhookTimeoutMs: 30_000, staleAfterMs: 120_000, ...options };
  }

  private get db() {
    return this.deps.db;
  }

  private redact(text: string): string {
    return this.deps.secrets.redactor.redact(text);
  }

  private async log(runId: string, message: string, terminationStatus?: string): Promise<void> {
    await repo.insertLog(this.db, runId, this.redact(message), { terminationStatus: terminationStatus ?? null });
  }

  /** Ends a run that is still in progress (never overwrites an outcome someone already reported). */
  private async finish(runId: string, status: 'SUCCESS' | 'FAILURE', message: string, extra: Partial<repo.RunChanges> = {}): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const ended = await repo.updateRun(trx, runId, { ...extra, status }, { status: 'IN_PROGRESS' });
      if (!ended) return;
      await repo.insertLog(trx, runId, this.redact(message), { terminationStatus: status });
      const { insertAuditRecords } = await import('../audit/audit.repository.ts');
      await insertAuditRecords(trx, [{ actor: 'portolan:actions', requestId: null, action: 'update', resourceType: 'action_run', resourceId: runId, after: { status } }]);
    });
  }

  /** The data Port's templates see (port.md §4.2), plus `.run.token` and `.run.url` for reporting. */
  async triggerData(run: ActionRunRow, token: string): Promise<Record<string, unknown>> {
    const def = run.action as unknown as ActionDefinition;
    const by = (run.principal ?? {}) as { id?: string; email?: string | null; name?: string | null; role?: string; teams?: string[] };
    const [firstName, ...rest] = (by.name ?? '').split(' ');
    let entity: unknown = {};
    if (run.entity && run.blueprint) entity = await this.deps.entities.get(run.blueprint, run.entity).then((e) => e.entity, () => ({}));
    return {
      inputs: run.properties,
      trigger: { by: { userId: by.id ?? run.created_by, user: { email: by.email ?? null, firstName: firstName || null, lastName: rest.join(' ') || null, role: by.role ?? null, teams: by.teams ?? [] } }, origin: run.source, at: new Date(run.created_at).toISOString(), operation: def.trigger.operation },
      event: null,
      entity,
      action: { identifier: run.action_identifier, blueprint: run.blueprint },
      run: { id: run.id, token, url: `${this.deps.publicUrl.replace(/\/+$/, '')}/v1/actions/runs/${run.id}` },
    };
  }

  /** `actions:invoke`: call the backend of a run, once. */
  async invoke(runId: string): Promise<void> {
    const run = await repo.claimDispatch(this.db, runId);
    if (!run) return; // already dispatched by someone else, or not in progress
    const def = run.action as unknown as ActionDefinition;
    const token = this.deps.auth.issueRunToken(run.id);
    const hide = (v: unknown) => JSON.parse(JSON.stringify(v ?? null).split(token).join('***RUN_TOKEN***')) as unknown;
    try {
      const data = await this.triggerData(run, token);
      const method = def.invocationMethod;
      if (method.type === 'WEBHOOK') await this.invokeWebhook(run, method, data, token, hide);
      else await this.invokeGitHub(run, method, data, hide);
    } catch (error) {
      await repo.updateRun(this.db, run.id, { dispatch_state: 'dispatched' });
      await this.finish(run.id, 'FAILURE', `Could not invoke the backend: ${(error as Error).message}`);
    }
  }

  private async invokeWebhook(run: ActionRunRow, method: Extract<InvocationMethod, { type: 'WEBHOOK' }>, data: Record<string, unknown>, token: string, hide: (v: unknown) => unknown): Promise<void> {
    const url = String(await renderTemplate(method.url, data));
    const headers = ((await renderTemplate(method.headers ?? {}, data)) ?? {}) as Record<string, unknown>;
    const body = method.body === undefined ? data : await renderTemplate(method.body, data);
    const raw = JSON.stringify(body ?? null);
    const key = await this.deps.secrets.reveal(WEBHOOK_SECRET_NAME).catch(() => null);
    if (!key) throw new Error(`set the secret ${WEBHOOK_SECRET_NAME} (PUT /v1/secrets/${WEBHOOK_SECRET_NAME}): webhook requests are signed with it`);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `v1,${createHmac('sha256', key).update(`${timestamp}.${raw}`).digest('base64')}`;
    const sendHeaders: Record<string, string> = {
      ...Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
      'content-type': 'application/json',
      'x-port-timestamp': timestamp,
      'x-port-signature': signature,
      'x-portolan-run-id': run.id,
      'x-portolan-run-token': token,
    };
    await repo.updateRun(this.db, run.id, { payload: hide({ url, method: method.method, headers: { ...headers }, body }) });
    await this.log(run.id, `Calling ${method.method} ${url}`);
    let res: Response;
    try {
      res = await fetch(url, { method: method.method, headers: sendHeaders, body: method.method === 'GET' ? undefined : raw, redirect: 'manual', signal: AbortSignal.timeout(this.opts.webhookTimeoutMs) });
    } finally {
      await repo.updateRun(this.db, run.id, { dispatch_state: 'dispatched' });
    }
    const text = (await res.text()).slice(0, 64 * 1024);
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* keep the text */
    }
    const response = hide({ status: res.status, body: parsed });
    const ok = res.status >= 200 && res.status < 300;
    if (method.synchronized) {
      await this.finish(run.id, ok ? 'SUCCESS' : 'FAILURE', `The webhook answered HTTP ${res.status}`, { response });
    } else if (!ok) {
      await this.finish(run.id, 'FAILURE', `The webhook refused the run: HTTP ${res.status}`, { response });
    } else {
      await repo.updateRun(this.db, run.id, { response });
      await this.log(run.id, `The webhook accepted the run (HTTP ${res.status}); waiting for it to report`);
    }
  }

  private async invokeGitHub(run: ActionRunRow, method: Extract<InvocationMethod, { type: 'GITHUB' }>, data: Record<string, unknown>, hide: (v: unknown) => unknown): Promise<void> {
    const rendered = ((await renderTemplate(method.workflowInputs ?? {}, data)) ?? {}) as Record<string, unknown>;
    const { ref: refInput, ...rest } = rendered;
    // GitHub inputs are strings: objects travel as JSON (workflows read them with fromJson).
    const inputs = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    const [owner, repoName] = [String(await renderTemplate(method.org, data)), String(await renderTemplate(method.repo, data))];
    let ref = typeof refInput === 'string' ? refInput : '';
    if (!ref) {
      const info = await this.deps.github.getRepo(owner, repoName);
      if (!info) throw new Error(`GitHub repository ${owner}/${repoName} not found (or not visible to the configured token)`);
      ref = info.defaultBranch;
    }
    const dispatchedAt = new Date(Date.now() - 60_000).toISOString();
    await repo.updateRun(this.db, run.id, { payload: hide({ owner, repo: repoName, workflow: method.workflow, ref, inputs }) });
    await this.log(run.id, `Dispatching workflow ${method.workflow} on ${owner}/${repoName}@${ref}`);
    const { runId, htmlUrl } = await this.deps.github.dispatchOnce({ owner, repo: repoName, workflowId: method.workflow, ref, inputs });
    const tracking: GitHubTracking = { owner, repo: repoName, workflow: method.workflow, runId, htmlUrl, correlationId: run.id, dispatchedAt, polls: 0, lastStatus: null };
    await this.db.transaction().execute(async (trx) => {
      await repo.updateRun(trx, run.id, { dispatch_state: 'dispatched', tracking, ...(htmlUrl ? { link: [htmlUrl] } : {}), ...(runId ? { external_run_id: String(runId) } : {}) });
      await repo.insertLog(trx, run.id, runId ? `Workflow run ${runId} started: ${htmlUrl}` : 'Workflow dispatched; looking for its run by the run id in its name');
      if (method.reportWorkflowStatus || !runId) await repo.enqueueTrack(trx, run.id, this.opts.pollBaseMs);
    });
  }

  /** `actions:track`: one poll of a GitHub run; queues the next one with backoff until it completes. */
  async track(runId: string): Promise<void> {
    const run = await repo.findRun(this.db, runId);
    if (!run || run.status !== 'IN_PROGRESS' || !run.tracking) return;
    const t = run.tracking as unknown as GitHubTracking;
    const def = run.action as unknown as ActionDefinition;
    const report = def.invocationMethod.type === 'GITHUB' ? def.invocationMethod.reportWorkflowStatus : true;
    const next = Math.min(this.opts.maxPollMs, this.opts.pollBaseMs * 2 ** Math.min(t.polls, 10));
    try {
      if (t.runId === null) {
        const found = await this.deps.github.findRunByTitle(t.owner, t.repo, t.workflow, t.dispatchedAt, t.correlationId);
        if (!found) {
          if (t.polls + 1 >= this.opts.findAttempts) {
            return this.finish(run.id, 'FAILURE', `No run of ${t.workflow} shows the run id ${t.correlationId} in its name: give the workflow a run-name that includes an input carrying {{ .run.id }}`);
          }
          await this.saveTracking(run.id, { ...t, polls: t.polls + 1 }, Math.min(next, this.opts.pollBaseMs * 2));
          return;
        }
        Object.assign(t, { runId: found.runId, htmlUrl: found.htmlUrl });
        await repo.updateRun(this.db, run.id, { link: [found.htmlUrl], external_run_id: String(found.runId) });
        await this.log(run.id, `Found workflow run ${found.runId}: ${found.htmlUrl}`);
        if (!report) return this.saveTracking(run.id, { ...t, polls: 0 }, null);
      }
      if (!report) return; // the workflow reports its own outcome
      const gh = await this.deps.github.getRun(t.owner, t.repo, t.runId!);
      if (gh.status !== t.lastStatus) await this.log(run.id, `Workflow run ${t.runId} is ${gh.status}${gh.conclusion ? ` (${gh.conclusion})` : ''}`);
      if (gh.status === 'completed') {
        const jobs = await this.deps.github.listRunJobs(t.owner, t.repo, t.runId!).catch(() => []);
        for (const j of jobs) {
          await this.log(run.id, `Job ${j.name}: ${j.conclusion ?? j.status}${j.steps.length ? ` — ${j.steps.map((s) => `${s.name}: ${s.conclusion ?? 'pending'}`).join(', ')}` : ''}`);
        }
        await this.saveTracking(run.id, { ...t, lastStatus: gh.status }, null);
        const success = ['success', 'skipped', 'neutral'].includes(gh.conclusion ?? '');
        return this.finish(run.id, success ? 'SUCCESS' : 'FAILURE', `Workflow run ${t.runId} completed: ${gh.conclusion ?? 'unknown'}`);
      }
      await this.saveTracking(run.id, { ...t, lastStatus: gh.status, polls: t.polls + 1 }, next);
    } catch (error) {
      // GitHub unreachable or rate-limited: keep tracking, with backoff; the run is not lost.
      await this.log(run.id, `Could not read the workflow run (will retry): ${(error as Error).message}`);
      await this.saveTracking(run.id, { ...t, polls: t.polls + 1 }, next);
    }
  }

  private async saveTracking(runId: string, t: GitHubTracking, nextPollMs: number | null): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await repo.updateRun(trx, runId, { tracking: t });
      if (nextPollMs !== null) await repo.enqueueTrack(trx, runId, nextPollMs);
    });
  }

  /** A signed `workflow_run` event: poll that run now instead of waiting for the next poll. */
  async onWorkflowRunEvent(owner: string, repoName: string, ghRunId: number): Promise<number> {
    const runs = await repo.findRunByGitHubRun(this.db, owner, repoName, ghRunId);
    for (const r of runs) await repo.enqueueTrack(this.db, r.id, 0);
    return runs.length;
  }

  /**
   * Recovery (every replica, at start and periodically): a tracked run whose process died gets a
   * new poll job; a run a process died while dispatching is not dispatched again (the backend may
   * have received it): a GitHub run is looked up by its correlation id, a webhook run fails.
   */
  async sweep(): Promise<number> {
    let handled = 0;
    await this.db.transaction().execute(async (trx) => {
      for (const run of await repo.staleRuns(trx, this.opts.staleAfterMs)) {
        const def = run.action as unknown as ActionDefinition;
        const t = run.tracking as unknown as GitHubTracking | null;
        const reports = def.invocationMethod.type === 'GITHUB' && def.invocationMethod.reportWorkflowStatus;
        if (run.dispatch_state === 'dispatched' && t && (reports || t.runId === null)) {
          await repo.updateRun(trx, run.id, {});
          await repo.enqueueTrack(trx, run.id, 0);
        } else if (run.dispatch_state === 'dispatching' && def.invocationMethod.type === 'GITHUB') {
          const m = def.invocationMethod;
          const tracking: GitHubTracking = { owner: m.org, repo: m.repo, workflow: m.workflow, runId: null, htmlUrl: null, correlationId: run.id, dispatchedAt: new Date(new Date(run.created_at).getTime() - 60_000).toISOString(), polls: 0, lastStatus: null };
          await repo.updateRun(trx, run.id, { dispatch_state: 'dispatched', tracking });
          await repo.insertLog(trx, run.id, 'The server dispatching this run stopped; looking for the workflow run by its run id instead of dispatching again');
          await repo.enqueueTrack(trx, run.id, 0);
        } else if (run.dispatch_state === 'dispatching') {
          await repo.updateRun(trx, run.id, { dispatch_state: 'dispatched', status: 'FAILURE' }, { status: 'IN_PROGRESS' });
          await repo.insertLog(trx, run.id, 'The server calling the webhook stopped before it answered; the run is not retried, so the webhook is never called twice', { terminationStatus: 'FAILURE' });
        } else continue;
        handled++;
      }
    });
    return handled;
  }
}
