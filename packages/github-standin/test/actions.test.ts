import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubStandin, type GitHubStandin } from '../src/index.ts';
import { client, failure } from './helpers.ts';

const DEPLOY = `name: Deploy
run-name: "Deploy \${{ inputs.service }} to \${{ inputs.environment }} [\${{ inputs.port_run_id }}]"
on:
  workflow_dispatch:
    inputs:
      service:
        description: Service to deploy
        required: true
        type: string
      environment:
        type: choice
        options: [staging, production]
        default: staging
      port_run_id:
        type: string
        required: false
jobs:
  deploy:
    name: Deploy service
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Roll out
        run: ./deploy.sh
`;

const CI = `name: CI
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: npm test
`;

describe('GitHub Actions: dispatch and run lifecycle (api.github.com mode)', () => {
  let gh: GitHubStandin;
  beforeAll(async () => {
    gh = await startGitHubStandin();
    gh.state.addOrg('acme');
    gh.state.createRepo('acme', 'infra', { auto_init: true });
    gh.state.commitFiles('acme/infra', { message: 'Add workflows', files: { '.github/workflows/deploy.yml': DEPLOY, '.github/workflows/ci.yml': CI } });
  });
  afterAll(() => gh.close());

  it('lists workflows from .github/workflows on the default branch', async () => {
    const { data } = await client(gh.url).rest.actions.listRepoWorkflows({ owner: 'acme', repo: 'infra' });
    expect(data.workflows.map((w) => [w.name, w.path]).sort()).toEqual([
      ['CI', '.github/workflows/ci.yml'],
      ['Deploy', '.github/workflows/deploy.yml'],
    ]);
  });

  it('rejects bad dispatches with GitHub\'s 422 messages', async () => {
    const a = client(gh.url).rest.actions;
    const base = { owner: 'acme', repo: 'infra', workflow_id: 'deploy.yml', ref: 'main' };
    const cases: [Promise<unknown>, number, string][] = [
      [a.createWorkflowDispatch({ ...base, inputs: { service: 'cart', colour: 'blue' } }), 422, 'Unexpected inputs provided: ["colour"]'],
      [a.createWorkflowDispatch({ ...base, inputs: {} }), 422, "Required input 'service' not provided"],
      [a.createWorkflowDispatch({ ...base, inputs: { service: 'cart', environment: 'moon' } }), 422, "Provided value 'moon' for input 'environment' not in the list of allowed values"],
      [a.createWorkflowDispatch({ ...base, ref: 'nope', inputs: { service: 'cart' } }), 422, 'No ref found for: nope'],
      [a.createWorkflowDispatch({ ...base, workflow_id: 'ci.yml' }), 422, "Workflow does not have 'workflow_dispatch' trigger"],
      [a.createWorkflowDispatch({ ...base, workflow_id: 'missing.yml' }), 404, 'Not Found'],
    ];
    for (const [call, status, message] of cases) {
      const err = await failure(call);
      expect([err.status, err.response?.data.message]).toEqual([status, message]);
    }
    expect(gh.state.repo('acme', 'infra')!.runs).toHaveLength(0);
    gh.assertNoValidationErrors();
  });

  it('return_run_details gives the run id; runs go queued → in_progress → completed; jobs follow', async () => {
    const octokit = client(gh.url);
    const res = await octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
      owner: 'acme', repo: 'infra', workflow_id: 'deploy.yml', ref: 'main',
      inputs: { service: 'cart', port_run_id: 'r_abc123' },
      return_run_details: true,
    } as never);
    expect(res.status).toBe(200);
    const details = res.data as unknown as { workflow_run_id: number; run_url: string; html_url: string };
    expect(details.run_url).toBe(`${gh.url}/repos/acme/infra/actions/runs/${details.workflow_run_id}`);

    const get = () => octokit.rest.actions.getWorkflowRun({ owner: 'acme', repo: 'infra', run_id: details.workflow_run_id });
    let run = (await get()).data;
    expect(run).toMatchObject({ status: 'queued', conclusion: null, event: 'workflow_dispatch', name: 'Deploy', head_branch: 'main', actor: { login: 'octocat' } });
    expect(run.display_title).toBe('Deploy cart to staging [r_abc123]');
    expect(run.head_sha).toBe(gh.state.repo('acme', 'infra')!.refs.get('refs/heads/main'));

    gh.advanceRuns();
    run = (await get()).data;
    expect(run.status).toBe('in_progress');
    const jobs = (await octokit.rest.actions.listJobsForWorkflowRun({ owner: 'acme', repo: 'infra', run_id: run.id })).data.jobs;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.name).toBe('Deploy service');
    expect(jobs[0]!.steps!.map((s) => [s.name, s.status])).toEqual([['Run actions/checkout@v4', 'in_progress'], ['Roll out', 'queued']]);

    gh.advanceRuns();
    run = (await get()).data;
    expect([run.status, run.conclusion]).toEqual(['completed', 'success']);
    gh.assertNoValidationErrors();
  });

  it('a workflow configured to fail ends in failure, with its last step failed', async () => {
    gh.state.setWorkflowOutcome('acme/infra', 'deploy.yml', 'failure');
    const octokit = client(gh.url);
    await octokit.rest.actions.createWorkflowDispatch({ owner: 'acme', repo: 'infra', workflow_id: 'deploy.yml', ref: 'main', inputs: { service: 'orders' } });
    const [run] = gh.completeRuns();
    const jobs = (await octokit.rest.actions.listJobsForWorkflowRun({ owner: 'acme', repo: 'infra', run_id: run!.id })).data.jobs;
    expect(jobs[0]!.conclusion).toBe('failure');
    expect(jobs[0]!.steps!.map((s) => s.conclusion)).toEqual(['success', 'failure']);
    gh.state.setWorkflowOutcome('acme/infra', 'deploy.yml', 'success');
  });

  it('lists runs with event/status/created/per_page filters; late runs appear after N polls', async () => {
    const octokit = client(gh.url);
    const list = (q: Record<string, string | number> = {}) => octokit.rest.actions.listWorkflowRunsForRepo({ owner: 'acme', repo: 'infra', ...q }).then((r) => r.data);
    expect((await list({ event: 'workflow_dispatch' })).total_count).toBe(2);
    expect((await list({ event: 'push' })).total_count).toBe(0);
    expect((await list({ status: 'failure' })).workflow_runs).toHaveLength(1);
    const page = await list({ per_page: 1 });
    expect(page.workflow_runs).toHaveLength(1);
    expect(page.total_count).toBe(2);
    expect((await list({ created: '>=2999-01-01T00:00:00Z' })).total_count).toBe(0);

    gh.faults.lateRuns({ polls: 2 });
    const since = new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    await octokit.rest.actions.createWorkflowDispatch({ owner: 'acme', repo: 'infra', workflow_id: 'deploy.yml', ref: 'main', inputs: { service: 'late', port_run_id: 'corr-42' } });
    const find = async () => (await octokit.rest.actions.listWorkflowRuns({ owner: 'acme', repo: 'infra', workflow_id: 'deploy.yml', event: 'workflow_dispatch', created: `>=${since}` })).data.workflow_runs.find((r) => r.display_title.includes('[corr-42]'));
    expect(await find()).toBeUndefined();
    expect(await find()).toBeUndefined();
    expect((await find())?.display_title).toBe('Deploy late to staging [corr-42]');
    gh.faults.clear();

    // Cancelling: an unfinished run ends cancelled; a finished one cannot be cancelled.
    const late = (await find())!;
    expect((await octokit.rest.actions.cancelWorkflowRun({ owner: 'acme', repo: 'infra', run_id: late.id })).status).toBe(202);
    const cancelled = (await octokit.rest.actions.getWorkflowRun({ owner: 'acme', repo: 'infra', run_id: late.id })).data;
    expect([cancelled.status, cancelled.conclusion]).toEqual(['completed', 'cancelled']);
    expect((await failure(octokit.rest.actions.cancelWorkflowRun({ owner: 'acme', repo: 'infra', run_id: late.id }))).status).toBe(409);
    gh.assertNoValidationErrors();
  });
});

describe('GHES 3.19 mode (no return_run_details)', () => {
  let gh: GitHubStandin;
  beforeAll(async () => {
    gh = await startGitHubStandin({ returnRunDetails: false, runStepMs: 40 });
    gh.state.addOrg('acme');
    gh.state.createRepo('acme', 'infra', { auto_init: true });
    gh.state.commitFiles('acme/infra', { files: { '.github/workflows/deploy.yml': DEPLOY } });
  });
  afterAll(() => gh.close());

  it('serves under /api/v3, answers dispatch with 204, rejects return_run_details, moves runs by the clock', async () => {
    expect(gh.url).toMatch(/\/api\/v3$/);
    const octokit = client(gh.url);
    const rejected = await failure(
      octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', { owner: 'acme', repo: 'infra', workflow_id: 'deploy.yml', ref: 'main', inputs: { service: 'cart' }, return_run_details: true } as never),
    );
    expect(rejected.status).toBe(422);
    expect(rejected.response?.data.message).toBe('"return_run_details" is not a permitted key.');
    expect(gh.validationErrors.map((e) => e.operationId)).toEqual(['actions/create-workflow-dispatch']);
    gh.validationErrors.length = 0;

    const res = await octokit.rest.actions.createWorkflowDispatch({ owner: 'acme', repo: 'infra', workflow_id: 'deploy.yml', ref: 'main', inputs: { service: 'cart', port_run_id: 'corr-7' } });
    expect(res.status).toBe(204);
    const runs = (await octokit.rest.actions.listWorkflowRuns({ owner: 'acme', repo: 'infra', workflow_id: 'deploy.yml' })).data.workflow_runs;
    const mine = runs.find((r) => r.display_title.endsWith('[corr-7]'))!;
    expect(mine.status).toBe('queued');
    await new Promise((r) => setTimeout(r, 100));
    const done = (await octokit.rest.actions.getWorkflowRun({ owner: 'acme', repo: 'infra', run_id: mine.id })).data;
    expect([done.status, done.conclusion]).toEqual(['completed', 'success']);
    gh.assertNoValidationErrors();
  });
});
