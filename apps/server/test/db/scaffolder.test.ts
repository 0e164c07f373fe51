import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubStandin } from '@portolan/github-standin';
import type { Task } from '@portolan/contract';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';
import { startTestGitHub } from '../../../../test-support/github.ts';
import { REPO_ROOT } from '../../src/config.ts';
import { loadTemplatesOnce } from '../../src/seed/load-templates.ts';

// The scaffolder end to end: seeded templates, the API, dry-runs, tasks run by graphile-worker
// against the GitHub stand-in (real @octokit/rest), live events, errors people can act on.

let t: TestApp;
let gh: GitHubStandin;
const QUEUE = { heartbeatMs: 100, staleAfterMs: 800, sweepIntervalMs: 200, pollIntervalMs: 500 };

beforeAll(async () => {
  const github = await startTestGitHub();
  gh = github.gh;
  gh.state.addOrg('acme');
  gh.state.addTeam('acme', 'platform');
  t = await createTestApp({ examples: true, scaffolder: { github: github.config, queue: QUEUE } });
  await loadTemplatesOnce(t.db, t.app.services.scaffolder, path.join(REPO_ROOT, 'catalog-examples', 'templates'));
  await t.app.services.taskQueue!.start();
});
afterAll(async () => {
  await t?.close();
  await gh?.close();
});

async function waitFor(id: string, app = t.app, statuses = ['completed', 'failed', 'cancelled']): Promise<Task> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const task = (await app.inject({ url: `/v1/scaffolder/tasks/${id}` })).json().task as Task;
    if (statuses.includes(task.status)) return task;
    if (Date.now() > deadline) throw new Error(`task ${id} is still ${task.status}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

async function run(templateName: string, parameters: Record<string, unknown>, app = t.app): Promise<Task> {
  const res = await app.inject({ method: 'POST', url: '/v1/scaffolder/tasks', payload: { templateName, parameters } });
  expect(res.statusCode, res.body).toBe(201);
  return waitFor(res.json().task.id, app);
}

const node = (name: string, extra: Record<string, unknown> = {}) => ({ name, owner: 'cart-team', system: 'Cart', description: `The ${name} service`, repoOwner: 'acme', ...extra });

describe('templates', () => {
  it('seeds the example templates and serves them with their wizard pages', async () => {
    const list = await t.app.inject({ url: '/v1/scaffolder/templates' });
    expect(list.statusCode).toBe(200);
    expect(list.json().templates.map((x: { name: string }) => x.name).sort()).toEqual(['docs-site', 'library', 'nodejs-service']);
    const search = await t.app.inject({ url: '/v1/scaffolder/templates?tag=docs' });
    expect(search.json().templates.map((x: { name: string }) => x.name)).toEqual(['docs-site']);
    const one = (await t.app.inject({ url: '/v1/scaffolder/templates/nodejs-service' })).json().template;
    expect(one.parameterPages).toHaveLength(2);
    expect(one.filePaths).toContain('skeleton/.github/workflows/ci.yml');
    expect(one.files).toBeUndefined();
    // The library template's single parameter object becomes one page.
    expect((await t.app.inject({ url: '/v1/scaffolder/templates/library' })).json().template.parameterPages).toHaveLength(1);
  });

  it('validates template YAML, listing every problem; only moderators and admins edit', async () => {
    const bad = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: bad template }
spec:
  type: service
  steps:
    - { id: a, action: fetch:template, input: { url: ./nowhere } }
    - { id: a, action: no:such }
`;
    const res = await t.app.inject({ method: 'POST', url: '/v1/scaffolder/templates', payload: { yaml: bad } });
    expect(res.statusCode).toBe(400);
    const paths = res.json().details.map((d: { path: string }) => d.path);
    expect(paths).toContain('metadata.name');

    const good = bad.replace('bad template', 'bad-template');
    const res2 = await t.app.inject({ method: 'POST', url: '/v1/scaffolder/templates/validate', payload: { yaml: good } });
    expect(res2.json().valid).toBe(false);
    expect(res2.json().errors.map((e: { message: string }) => e.message).join('\n')).toMatch(/used twice[\s\S]*unknown action "no:such"|unknown action "no:such"[\s\S]*used twice/);
    expect(res2.json().errors.some((e: { message: string }) => e.message.includes('no files under "./nowhere"'))).toBe(true);
    const syntax = await t.app.inject({ method: 'POST', url: '/v1/scaffolder/templates/validate', payload: { yaml: 'a: [' } });
    expect(syntax.json().errors[0].path).toMatch(/^yaml/);

    const yaml = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: hello, title: Hello }
spec:
  type: service
  parameters: { required: [who], properties: { who: { type: string } } }
  steps:
    - { id: say, action: debug:log, input: { message: "hello \${{ parameters.who }}" } }
`;
    const member = await t.tokenFor('member', { teams: ['cart-team'] });
    const denied = await t.raw.inject({ method: 'PUT', url: '/v1/scaffolder/templates/hello', headers: member, payload: { yaml } });
    expect(denied.statusCode).toBe(403);
    const moderator = await t.tokenFor('moderator', { moderatedBlueprints: ['Component'] });
    const created = await t.raw.inject({ method: 'PUT', url: '/v1/scaffolder/templates/hello', headers: moderator, payload: { yaml } });
    expect(created.statusCode).toBe(201);
    const replaced = await t.raw.inject({ method: 'PUT', url: '/v1/scaffolder/templates/hello', headers: moderator, payload: { yaml: yaml.replace('title: Hello', 'title: Hello again') } });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json().template).toMatchObject({ title: 'Hello again', version: 2 });
    // Editing only the YAML of a template with a skeleton keeps (and validates against) its files.
    const seeded = (await t.app.inject({ method: 'GET', url: '/v1/scaffolder/templates/nodejs-service' })).json().template;
    const edited = await t.app.inject({ method: 'PUT', url: '/v1/scaffolder/templates/nodejs-service', payload: { yaml: seeded.yaml.replace(/title: .*/, 'title: Node.js service (edited)') } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().template.title).toBe('Node.js service (edited)');
    const mismatch = await t.app.inject({ method: 'PUT', url: '/v1/scaffolder/templates/other', payload: { yaml } });
    expect(mismatch.statusCode).toBe(400);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'actor']).where('resource_type', '=', 'template').where('resource_id', '=', 'hello').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);

    // Members run templates; parameters are checked against the template's schema.
    const missing = await t.raw.inject({ method: 'POST', url: '/v1/scaffolder/tasks', headers: member, payload: { templateName: 'hello', parameters: {} } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details).toEqual([{ path: 'parameters.who', message: 'is required' }]);
    const ok = await t.raw.inject({ method: 'POST', url: '/v1/scaffolder/tasks', headers: member, payload: { templateName: 'hello', parameters: { who: 'world' } } });
    expect(ok.statusCode).toBe(201);
    const done = await waitFor(ok.json().task.id);
    expect(done.status).toBe('completed');
    const events = (await t.app.inject({ url: `/v1/scaffolder/tasks/${done.id}/events` })).json().events;
    expect(events.some((e: { type: string; body: { message: string } }) => e.type === 'log' && e.body.message === 'hello world')).toBe(true);
  });
});

describe('dry run', () => {
  it('renders the Node.js service: file tree, contents, steps; touches neither GitHub nor the catalog', async () => {
    const before = gh.requests.length;
    const entitiesBefore = await t.db.selectFrom('entities').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const res = await t.app.inject({ method: 'POST', url: '/v1/scaffolder/dry-run', payload: { templateName: 'nodejs-service', parameters: node('dry-svc', { port: 9000 }) } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const files = Object.fromEntries(body.files.map((f: { path: string; content: string }) => [f.path, f.content]));
    expect(Object.keys(files).sort()).toEqual(['.dockerignore', '.github/workflows/ci.yml', '.gitignore', 'Dockerfile', 'README.md', 'catalog-info.yaml', 'package.json', 'src/server.ts', 'test/server.test.ts', 'tsconfig.json']);
    expect(JSON.parse(files['package.json']).name).toBe('dry-svc');
    expect(files['Dockerfile']).toContain('EXPOSE 9000');
    // copyWithoutTemplating: GitHub's own ${{ }} expressions stay as they are.
    expect(files['.github/workflows/ci.yml']).toContain('${{ github.repository }}');
    expect(files['catalog-info.yaml']).toContain('system: Cart');
    expect(body.steps.map((s: { id: string; willRun: boolean }) => [s.id, s.willRun])).toEqual([['fetch', true], ['publish', true], ['register', true]]);
    expect(body.steps[1].description).toContain('acme/dry-svc');
    expect(body.output.links[0].url).toMatch(/\/acme\/dry-svc$/);
    expect(gh.requests.length).toBe(before);
    expect(await t.db.selectFrom('entities').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).toEqual(entitiesBefore);

    // Without a system the line disappears; an `if` that is false skips the step.
    const lib = (await t.app.inject({ method: 'POST', url: '/v1/scaffolder/dry-run', payload: { templateName: 'library', parameters: { name: 'lib-x', owner: 'cart-team', repoOwner: 'acme', publish: false } } })).json();
    expect(lib.steps.find((s: { id: string }) => s.id === 'publish').willRun).toBe(false);
    expect(lib.files.find((f: { path: string }) => f.path === 'catalog-info.yaml').content).toContain('type: library');
  });

  it('refuses expressions that reach for JavaScript internals', async () => {
    const yaml = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: evil }
spec:
  type: x
  steps:
    - { id: a, action: debug:log, input: { message: "\${{ range.constructor('return process')() }}" } }
`;
    const res = await t.app.inject({ method: 'POST', url: '/v1/scaffolder/dry-run', payload: { yaml, parameters: {} } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('constructor');
  });
});

describe('running templates against GitHub', () => {
  it('creates the repository with every file in ONE commit, sets topics, registers the entity, and links both', async () => {
    const task = await run('nodejs-service', node('cart-api'));
    expect(task.status, task.error ?? '').toBe('completed');
    expect(task.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const repo = gh.state.repo('acme', 'cart-api')!;
    expect(repo.private).toBe(true);
    expect(repo.topics).toEqual(['nodejs', 'service']);
    const files = gh.state.files('acme/cart-api');
    expect(Object.keys(files).sort()).toContain('.github/workflows/ci.yml');
    expect(Object.keys(files)).toHaveLength(10);
    expect(JSON.parse(files['package.json']!).name).toBe('cart-api');
    // One commit, no parent: the auto-init README is replaced, the history is the skeleton.
    const head = gh.state.resolveCommit(repo, 'main')!;
    const commit = repo.git.commit(head)!;
    expect(commit.data.parents).toEqual([]);
    const calls = gh.requests.filter((r) => r.path.includes('/cart-api') || r.path === '/orgs/acme/repos' || r.path === '/users/acme');
    expect(calls.filter((r) => r.operationId === 'git/create-blob')).toHaveLength(0);
    expect(calls.filter((r) => r.operationId === 'git/create-tree')).toHaveLength(1);

    const htmlUrl = `${new URL(gh.url).origin}/acme/cart-api`;
    const entity = (await t.app.inject({ url: '/v1/blueprints/Component/entities/cart-api' })).json().entity;
    expect(entity).toMatchObject({ team: ['cart-team'], relations: { system: 'Cart' }, properties: { type: 'service', lifecycle: 'experimental', repository: htmlUrl } });
    expect(task.output!.links).toEqual([
      { title: 'Open repository', url: htmlUrl },
      { title: 'Open in catalog', icon: 'catalog', entityRef: 'component:default/cart-api', url: '/catalog/Component/cart-api' },
    ]);
    gh.assertNoValidationErrors();
  });

  it('says so when the repository name is taken, and a retry continues from the failed step', async () => {
    gh.state.createRepo('acme', 'taken-svc', { auto_init: true });
    const task = await run('nodejs-service', node('taken-svc'));
    expect(task.status).toBe('failed');
    expect(task.error).toContain('Repository name "acme/taken-svc" is already taken');
    expect(task.steps.map((s) => s.status)).toEqual(['succeeded', 'failed', 'pending']);

    gh.state.repos.delete('acme/taken-svc');
    const retried = await t.app.inject({ method: 'POST', url: `/v1/scaffolder/tasks/${task.id}/retry` });
    expect(retried.statusCode).toBe(200);
    const done = await waitFor(task.id);
    expect(done.status, done.error ?? '').toBe('completed');
    const events = (await t.app.inject({ url: `/v1/scaffolder/tasks/${task.id}/events` })).json().events as { type: string; stepId: string }[];
    // fetch ran once (its files were rebuilt silently on retry), publish twice (failed, then ok).
    expect(events.filter((e) => e.type === 'step_start' && e.stepId === 'fetch')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'step_start' && e.stepId === 'publish')).toHaveLength(2);
    expect(Object.keys(gh.state.files('acme/taken-svc'))).toHaveLength(10);
  });

  it('names the missing organisation and the missing token scope', async () => {
    const noOrg = await run('nodejs-service', node('x-svc', { repoOwner: 'no-such-org' }));
    expect(noOrg.error).toContain('GitHub organization or user "no-such-org" not found');

    const limited = await startTestGitHub({ tokens: [{ token: 'ghp_norepo', login: 'bot', scopes: ['repo'] }] });
    limited.gh.state.addOrg('acme');
    // Its own database: the main app's runner (full-scope token) must not pick this task up.
    const other = await createTestApp({ examples: true, scaffolder: { github: limited.config, queue: QUEUE } });
    try {
      await loadTemplatesOnce(other.db, other.app.services.scaffolder, path.join(REPO_ROOT, 'catalog-examples', 'templates'));
      await other.app.services.taskQueue!.start();
      const res = await other.app.inject({ method: 'POST', url: '/v1/scaffolder/tasks', payload: { templateName: 'nodejs-service', parameters: node('wf-svc') } });
      const task = await waitFor(res.json().task.id, other.app);
      expect(task.error).toContain('lacks the "workflow" scope');
    } finally {
      await other.close();
      await limited.gh.close();
    }
  });

  it('waits and retries when GitHub rate-limits, honouring retry-after', async () => {
    gh.faults.secondaryRateLimit({ method: 'POST', path: '/orgs/acme/repos', status: 429, retryAfter: 3 });
    const task = await run('nodejs-service', node('limited-svc'));
    expect(task.status, task.error ?? '').toBe('completed');
    const creates = gh.requests.filter((r) => r.method === 'POST' && r.path === '/orgs/acme/repos' && (r.fault || (r.body as { name?: string })?.name === 'limited-svc'));
    expect(creates.map((r) => r.status)).toEqual([429, 201]);
    const events = (await t.app.inject({ url: `/v1/scaffolder/tasks/${task.id}/events` })).json().events as { body: { message: string } }[];
    expect(events.some((e) => /rate limit.*3 s/i.test(e.body.message))).toBe(true);
  });

  it('dispatches a workflow and waits for its run', async () => {
    const yaml = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: deploy }
spec:
  type: action
  parameters: { properties: { repo: { type: string } } }
  steps:
    - id: run
      action: github:actions:dispatch
      input: { repoUrl: "github.com?owner=acme&repo=\${{ parameters.repo }}", workflowId: ci.yml, branchOrTagName: main, waitForCompletion: true }
  output:
    links: [ { title: Run, url: "\${{ steps.run.output.runHtmlUrl }}" } ]
`;
    expect((await t.app.inject({ method: 'POST', url: '/v1/scaffolder/templates', payload: { yaml } })).statusCode).toBe(201);
    const res = await t.app.inject({ method: 'POST', url: '/v1/scaffolder/tasks', payload: { templateName: 'deploy', parameters: { repo: 'cart-api' } } });
    const id = res.json().task.id;
    const started = Date.now();
    while (gh.state.allRuns().length === 0 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 30));
    gh.completeRuns();
    const task = await waitFor(id);
    expect(task.status, task.error ?? '').toBe('completed');
    expect(task.steps[0]!.output).toMatchObject({ conclusion: 'success' });
    expect(task.output!.links[0]!.url).toContain('/actions/runs/');

    // A run that never finishes can be cancelled.
    const res2 = await t.app.inject({ method: 'POST', url: '/v1/scaffolder/tasks', payload: { templateName: 'deploy', parameters: { repo: 'cart-api' } } });
    const id2 = res2.json().task.id;
    await waitFor(id2, t.app, ['processing']);
    while (gh.state.allRuns().length < 2) await new Promise((r) => setTimeout(r, 30));
    const member = await t.tokenFor('member');
    expect((await t.raw.inject({ method: 'POST', url: `/v1/scaffolder/tasks/${id2}/cancel`, headers: member })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/v1/scaffolder/tasks/${id2}/cancel` })).statusCode).toBe(200);
    const cancelled = await waitFor(id2);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.steps[0]!.status).toBe('cancelled');
  });
});
