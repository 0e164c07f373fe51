import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubStandin } from '@portolan/github-standin';
import type { Task } from '@portolan/contract';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';
import { startTestGitHub } from '../../../../test-support/github.ts';
import { REPO_ROOT } from '../../src/config.ts';
import { loadTemplatesOnce } from '../../src/seed/load-templates.ts';

// Two server processes on one database (two apps, two job runners, two LISTEN connections),
// a server that dies mid-task, a server shutting down, and a portal without GitHub.

let a: TestApp;
let b: TestApp;
let gh: GitHubStandin;
const QUEUE = { heartbeatMs: 100, staleAfterMs: 800, sweepIntervalMs: 200, pollIntervalMs: 500 };
const secretKey = randomBytes(32);

const WAIT_TEMPLATE = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: wait-run }
spec:
  type: action
  steps:
    - { id: hello, action: debug:log, input: { message: starting } }
    - id: run
      action: github:actions:dispatch
      input: { repoUrl: "github.com?owner=acme&repo=base", workflowId: ci.yml, branchOrTagName: main, waitForCompletion: true }
`;

beforeAll(async () => {
  const github = await startTestGitHub();
  gh = github.gh;
  gh.state.addOrg('acme');
  gh.state.createRepo('acme', 'base', { auto_init: true });
  gh.state.commitFiles('acme/base', { files: { '.github/workflows/ci.yml': 'name: CI\non:\n  workflow_dispatch:\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n' } });
  a = await createTestApp({ examples: true, identity: { secretKey }, scaffolder: { github: github.config, queue: QUEUE } });
  b = await createTestApp({ database: a, identity: { secretKey }, scaffolder: { github: github.config, queue: QUEUE } });
  await loadTemplatesOnce(a.db, a.app.services.scaffolder, path.join(REPO_ROOT, 'catalog-examples', 'templates'));
  expect((await a.app.inject({ method: 'POST', url: '/v1/scaffolder/templates', payload: { yaml: WAIT_TEMPLATE } })).statusCode).toBe(201);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await gh?.close();
});

async function waitFor(app: TestApp['app'], id: string, statuses = ['completed', 'failed', 'cancelled'], ms = 15_000): Promise<Task> {
  const deadline = Date.now() + ms;
  for (;;) {
    const task = (await app.inject({ url: `/v1/scaffolder/tasks/${id}` })).json().task as Task;
    if (statuses.includes(task.status)) return task;
    if (Date.now() > deadline) throw new Error(`task ${id} is still ${task.status}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

async function create(app: TestApp['app'], templateName: string, parameters: Record<string, unknown>): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/scaffolder/tasks', payload: { templateName, parameters } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().task.id;
}

const node = (name: string) => ({ name, owner: 'cart-team', repoOwner: 'acme' });

describe('two servers on one database', () => {
  it('a browser connected to one server sees the live log of a task the other runs (LISTEN/NOTIFY)', async () => {
    await b.raw.listen({ port: 0, host: '127.0.0.1' });
    const port = (b.raw.server.address() as { port: number }).port;
    const id = await create(a.app, 'nodejs-service', node('live-svc'));
    const token = (await b.tokenFor('member')).authorization;
    const res = await fetch(`http://127.0.0.1:${port}/v1/scaffolder/tasks/${id}/eventstream`, { headers: { authorization: token } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    // Only A runs tasks here; B only streams.
    await a.app.services.taskQueue!.start();
    const text = await res.text(); // the stream ends after the task's final status
    const events = text.split('\n\n').filter((c) => c.startsWith('id:')).map((c) => JSON.parse(c.split('\n').find((l) => l.startsWith('data:'))!.slice(5)));
    expect(events.filter((e) => e.type === 'step_start').map((e) => e.stepId)).toEqual(['fetch', 'publish', 'register']);
    expect(events.at(-1)).toMatchObject({ type: 'status', body: { status: 'completed' } });
    expect(text).toContain('event: end');
    // Ids strictly increase: resumable with Last-Event-ID.
    const ids = events.map((e) => Number(e.id));
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    const resumed = await fetch(`http://127.0.0.1:${port}/v1/scaffolder/tasks/${id}/eventstream`, { headers: { authorization: token, 'last-event-id': String(ids.at(-2)) } });
    const again = (await resumed.text()).split('\n\n').filter((c) => c.startsWith('id:'));
    expect(again).toHaveLength(1);
  });

  it('runs each task exactly once when both servers run the queue', async () => {
    await b.app.services.taskQueue!.start();
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => create(i % 2 ? a.app : b.app, 'nodejs-service', node(`twin-${i}`))));
    const tasks = await Promise.all(ids.map((id) => waitFor(a.app, id)));
    expect(tasks.map((t) => t.status)).toEqual(Array(6).fill('completed'));
    expect(tasks.map((t) => t.attempt)).toEqual(Array(6).fill(1));
    const starts = await a.db.selectFrom('scaffolder_task_events').select(['task_id']).where('task_id', 'in', ids).where('type', '=', 'step_start').where('step_id', '=', 'publish').execute();
    expect(starts).toHaveLength(6);
    const creates = gh.requests.filter((r) => r.method === 'POST' && r.path === '/orgs/acme/repos' && /^twin-/.test((r.body as { name?: string })?.name ?? ''));
    expect(creates.map((r) => r.status)).toEqual(Array(6).fill(201));
  });
});

describe('a server that stops mid-task', () => {
  it('after a crash, the sweep resumes the task and continues with the repository GitHub already created (no second one)', async () => {
    await a.app.services.taskQueue!.stop();
    await b.app.services.taskQueue!.stop();
    const id = await create(a.app, 'nodejs-service', node('crash-svc'));
    // What a process killed during publish:github leaves behind: GitHub created the repository,
    // the step is "running" with its intent checkpoint, the lease's heartbeat is old.
    gh.state.createRepo('acme', 'crash-svc', { auto_init: true, visibility: 'private' });
    await a.db.updateTable('scaffolder_tasks').set({ status: 'processing', lease_owner: 'portolan-dead|worker-dead', heartbeat_at: sql`now() - interval '1 hour'`, attempt: 1, started_at: sql`now()` }).where('id', '=', id).execute();
    await a.db.updateTable('scaffolder_task_steps').set({ status: 'succeeded', output: JSON.stringify({ files: 10 }) }).where('task_id', '=', id).where('step_id', '=', 'fetch').execute();
    await a.db.updateTable('scaffolder_task_steps').set({ status: 'running', checkpoints: JSON.stringify({ creating: { at: new Date().toISOString() } }) }).where('task_id', '=', id).where('step_id', '=', 'publish').execute();
    await sql`delete from graphile_worker._private_jobs`.execute(a.db).catch(() => {});

    await a.app.services.taskQueue!.start(); // the restart: its first sweep finds the task
    const task = await waitFor(a.app, id);
    expect(task.status, task.error ?? '').toBe('completed');
    expect(task.attempt).toBe(2);
    const events = (await a.app.inject({ url: `/v1/scaffolder/tasks/${id}/events` })).json().events as { type: string; body: { message: string } }[];
    expect(events.some((e) => e.type === 'recovered' && e.body.message.includes('resuming'))).toBe(true);
    expect(events.some((e) => e.body.message?.includes('created by this task before the interruption'))).toBe(true);
    const creates = gh.requests.filter((r) => r.method === 'POST' && r.path === '/orgs/acme/repos' && (r.body as { name?: string })?.name === 'crash-svc');
    expect(creates.map((r) => r.status)).toEqual([422]); // tried once, recognised its own repository
    expect(Object.keys(gh.state.files('acme/crash-svc'))).toHaveLength(10);
  });

  it('a template that must not resume is failed with a message saying what to do', async () => {
    const yaml = WAIT_TEMPLATE.replace('name: wait-run', 'name: no-resume').replace('type: action', 'type: action\n  recovery: { strategy: none }');
    expect((await a.app.inject({ method: 'POST', url: '/v1/scaffolder/templates', payload: { yaml } })).statusCode).toBe(201);
    await a.app.services.taskQueue!.stop();
    const id = await create(a.app, 'no-resume', {});
    await a.db.updateTable('scaffolder_tasks').set({ status: 'processing', lease_owner: 'portolan-dead|w', heartbeat_at: sql`now() - interval '1 hour'`, attempt: 1 }).where('id', '=', id).execute();
    await a.db.updateTable('scaffolder_task_steps').set({ status: 'running' }).where('task_id', '=', id).where('step_id', '=', 'hello').execute();
    await a.app.services.taskQueue!.start();
    const task = await waitFor(a.app, id);
    expect(task.status).toBe('failed');
    expect(task.error).toContain('stopped while step "hello" was running');
    expect(task.error).toContain('retry the task');
  });

  it('a server shutting down hands its running task to the other, which continues without dispatching again', async () => {
    await b.app.services.taskQueue!.stop();
    const id = await create(a.app, 'wait-run', {});
    await waitFor(a.app, id, ['processing']);
    const deadline = Date.now() + 5000;
    while (!(await a.db.selectFrom('scaffolder_task_steps').select('checkpoints').where('task_id', '=', id).where('step_id', '=', 'run').executeTakeFirstOrThrow()).checkpoints.dispatched) {
      if (Date.now() > deadline) throw new Error('never dispatched');
      await new Promise((r) => setTimeout(r, 30));
    }
    const runsBefore = gh.state.allRuns().length;
    await a.app.services.taskQueue!.stop(); // graceful: the task goes back to open with a new job
    expect((await a.app.inject({ url: `/v1/scaffolder/tasks/${id}` })).json().task.status).toBe('open');
    await b.app.services.taskQueue!.start();
    await waitFor(b.app, id, ['processing']);
    gh.completeRuns();
    const task = await waitFor(b.app, id);
    expect(task.status, task.error ?? '').toBe('completed');
    expect(gh.state.allRuns().length).toBe(runsBefore);
    const events = (await b.app.inject({ url: `/v1/scaffolder/tasks/${id}/events` })).json().events as { type: string; stepId: string | null }[];
    expect(events.filter((e) => e.type === 'step_start' && e.stepId === 'hello')).toHaveLength(1);
  });
});

describe('without GitHub configured', () => {
  it('dry-runs work and GitHub steps fail saying what to configure', async () => {
    const plain = await createTestApp({ examples: true, scaffolder: { queue: QUEUE } });
    try {
      await loadTemplatesOnce(plain.db, plain.app.services.scaffolder, path.join(REPO_ROOT, 'catalog-examples', 'templates'));
      const actions = (await plain.app.inject({ url: '/v1/scaffolder/actions' })).json();
      expect(actions.githubNotConfigured).toContain('GITHUB_TOKEN');
      const dry = await plain.app.inject({ method: 'POST', url: '/v1/scaffolder/dry-run', payload: { templateName: 'docs-site', parameters: { name: 'handbook', title: 'Handbook', owner: 'cart-team', repoOwner: 'acme' } } });
      expect(dry.statusCode).toBe(200);
      expect(dry.json().steps.find((s: { id: string }) => s.id === 'publish').description).toContain('GITHUB_TOKEN');
      await plain.app.services.taskQueue!.start();
      const id = await create(plain.app, 'docs-site', { name: 'handbook', title: 'Handbook', owner: 'cart-team', repoOwner: 'acme' });
      const task = await waitFor(plain.app, id);
      expect(task.status).toBe('failed');
      expect(task.error).toContain('GitHub is not configured: set GITHUB_TOKEN');
    } finally {
      await plain.close();
    }
  });
});
