import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubStandin } from '@portolan/github-standin';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';
import { startTestGitHub } from '../../../../test-support/github.ts';

// Self-service actions end to end: seeded definitions, validation, runs through the shared
// graphile-worker queue, signed webhooks (a loopback receiver verifies them), GitHub workflows on
// the stand-in (with and without return_run_details), approvals and the run-scoped token.

const QUEUE = { heartbeatMs: 100, staleAfterMs: 800, sweepIntervalMs: 300, pollIntervalMs: 200 };
const SIGNING = 'whsec_test_signing_secret_1234';
// Replicas share the master key (it seals secrets and signs tokens).
const identity = { secretKey: randomBytes(32) };
const WORKFLOW = `name: Deploy
run-name: "deploy \${{ inputs.service }} \${{ inputs.port_context }}"
on:
  workflow_dispatch:
    inputs:
      service: { required: true, type: string }
      environment: { required: true, type: choice, options: [staging, production] }
      version: { required: true, type: string }
      port_context: { required: true, type: string }
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - name: Checkout
        run: echo checkout
      - name: Deploy
        run: echo deploy
`;

interface Received {
  headers: IncomingMessage['headers'];
  raw: string;
  url: string;
  method: string;
}

let t: TestApp;
let gh: GitHubStandin;
let receiver: Server;
let receiverUrl = '';
const received: Received[] = [];
let answer: (r: Received) => { status: number; body: unknown } = () => ({ status: 202, body: { accepted: true } });

async function waitRun(id: string, statuses: string[], ms = 10_000, app = t.app) {
  const started = Date.now();
  for (;;) {
    const run = (await app.inject({ method: 'GET', url: `/v1/actions/runs/${id}` })).json().run;
    if (statuses.includes(run.status) || Date.now() - started > ms) return run;
    await new Promise((r) => setTimeout(r, 40));
  }
}

async function logs(id: string): Promise<string[]> {
  return (await t.app.inject({ method: 'GET', url: `/v1/actions/runs/${id}/logs` })).json().logs.map((l: { message: string }) => l.message);
}

async function putWebhookAction(identifier: string, patch: Record<string, unknown>) {
  const action = (await t.app.inject({ method: 'GET', url: `/v1/actions/${identifier}` })).json().action;
  const { createdAt, createdBy, updatedAt, updatedBy, ...def } = action;
  void createdAt, void createdBy, void updatedAt, void updatedBy;
  const next = { ...def, invocationMethod: { ...def.invocationMethod, ...patch } };
  const res = await t.app.inject({ method: 'PUT', url: `/v1/actions/${identifier}`, payload: next });
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const r = { headers: req.headers, raw, url: req.url ?? '', method: req.method ?? '' };
      received.push(r);
      const a = answer(r);
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  const github = await startTestGitHub({ runStepMs: 100 });
  gh = github.gh;
  gh.state.addOrg('example-org');
  gh.state.createRepo('example-org', 'deployments', { auto_init: true });
  gh.state.commitFiles('example-org/deployments', { files: { '.github/workflows/deploy.yml': WORKFLOW } });
  t = await createTestApp({ examples: true, identity, scaffolder: { github: github.config, queue: QUEUE } });
  expect((await t.app.inject({ method: 'PUT', url: '/v1/secrets/WEBHOOK_SIGNING_SECRET', payload: { value: SIGNING } })).statusCode).toBeLessThan(300);
  await putWebhookAction('provision_resource', { url: `${receiverUrl}/v1/resources` });
  await putWebhookAction('delete_resource', { url: `${receiverUrl}/v1/resources/{{ .entity.identifier }}` });
  await t.app.services.taskQueue!.start();
}, 60_000);

afterAll(async () => {
  await t?.close();
  await gh?.close();
  await new Promise((r) => receiver?.close(r));
});

describe('action definitions', () => {
  it('are seeded from catalog-examples/actions and listed by blueprint', async () => {
    const all = (await t.app.inject('/v1/actions')).json().actions.map((a: { identifier: string }) => a.identifier);
    expect(all).toEqual(['delete_resource', 'deploy_component', 'provision_resource']);
    const res = await t.app.inject('/v1/actions?blueprint=Component');
    expect(res.json().actions.map((a: { identifier: string }) => a.identifier)).toEqual(['deploy_component']);
    const deploy = (await t.app.inject('/v1/actions/deploy_component')).json().action;
    expect(deploy.invocationMethod).toMatchObject({ type: 'GITHUB', workflow: 'deploy.yml', reportWorkflowStatus: true });
  });

  it('reject an invalid action with every problem, and keep edits to moderators of the blueprint', async () => {
    const bad = {
      identifier: 'bad_action',
      trigger: { type: 'self-service', operation: 'DAY-2', blueprintIdentifier: 'NoSuchBlueprint', userInputs: { properties: { x: { type: 'string', default: 5 }, e: { type: 'string', format: 'entity' } }, required: ['x', 'y'], order: ['z'] } },
      invocationMethod: { type: 'WEBHOOK', url: 'http://127.0.0.1:1/x' },
    };
    const res = await t.app.inject({ method: 'POST', url: '/v1/actions', payload: bad });
    expect(res.statusCode).toBe(400);
    const paths = res.json().details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['trigger.blueprintIdentifier', 'trigger.userInputs.required.1', 'trigger.userInputs.order.0', 'trigger.userInputs.properties.e.blueprint']));
    const shape = await t.app.inject({ method: 'POST', url: '/v1/actions', payload: { identifier: 'x y', trigger: { type: 'self-service', operation: 'NOPE' }, invocationMethod: { type: 'FTP' } } });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['identifier', 'trigger.operation', 'invocationMethod.type']));

    const good = { ...bad, identifier: 'restart_component', trigger: { type: 'self-service', operation: 'DAY-2', blueprintIdentifier: 'Component', userInputs: { properties: { reason: { type: 'string' } }, required: [] } } };
    const moderatorOfApi = await t.tokenFor('moderator', { moderatedBlueprints: ['API'] });
    expect((await t.raw.inject({ method: 'POST', url: '/v1/actions', payload: good, headers: moderatorOfApi })).statusCode).toBe(403);
    const moderator = await t.tokenFor('moderator', { moderatedBlueprints: ['Component'] });
    expect((await t.raw.inject({ method: 'POST', url: '/v1/actions', payload: good, headers: moderator })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: '/v1/actions', payload: good })).statusCode).toBe(409);
    const put = await t.raw.inject({ method: 'PUT', url: '/v1/actions/restart_component', payload: { ...good, title: 'Restart' }, headers: moderator });
    expect(put.json().action.title).toBe('Restart');
    expect((await t.raw.inject({ method: 'DELETE', url: '/v1/actions/restart_component', headers: moderatorOfApi })).statusCode).toBe(403);
    expect((await t.raw.inject({ method: 'DELETE', url: '/v1/actions/restart_component', headers: moderator })).statusCode).toBe(200);
    expect((await t.app.inject('/v1/actions/restart_component')).statusCode).toBe(404);
    const audit = (await t.app.inject('/v1/audit-log?resourceType=action')).json();
    expect(JSON.stringify(audit)).toContain('restart_component');
  });
});

describe('runs', () => {
  it('validate inputs against userInputs, listing every failing field, and the entity', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/actions/provision_resource/runs', payload: { properties: { name: 'X', type: 'mysql', system: 'NoSuchSystem', ttlDays: 99, extra: 1 } } });
    expect(res.statusCode).toBe(400);
    const paths = res.json().details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['properties.extra', 'properties.name', 'properties.system', 'properties.ttlDays', 'properties.type']);
    const missing = await t.app.inject({ method: 'POST', url: '/v1/actions/provision_resource/runs', payload: { properties: {} } });
    expect(missing.json().details.map((d: { path: string }) => d.path).sort()).toEqual(['properties.name', 'properties.system', 'properties.type']);
    const noEntity = await t.app.inject({ method: 'POST', url: '/v1/actions/deploy_component/runs', payload: { properties: { version: 'v1' } } });
    expect(noEntity.json().details.map((d: { path: string }) => d.path)).toEqual(['entity']);
    const unknownEntity = await t.app.inject({ method: 'POST', url: '/v1/actions/deploy_component/runs', payload: { entity: 'Nope', properties: { version: 'v1' } } });
    expect(unknownEntity.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/v1/actions/nope/runs', payload: { properties: {} } })).statusCode).toBe(404);
  });

  it('check execute permissions: owning team, roles, viewers never', async () => {
    const outsider = await t.tokenFor('member', { teams: ['products-team'] });
    const res = await t.raw.inject({ method: 'POST', url: '/v1/actions/deploy_component/runs', headers: outsider, payload: { entity: 'CartService', properties: { version: 'v1' } } });
    expect(res.statusCode).toBe(403);
    const viewer = await t.tokenFor('viewer');
    expect((await t.raw.inject({ method: 'POST', url: '/v1/actions/delete_resource/runs', headers: viewer, payload: { entity: 'cart-sql-db', properties: { confirm: true } } })).statusCode).toBe(403);
  });

  it('asynchronous webhook: approval, signed request, and a scoped token that reports only on its run', async () => {
    const requester = await t.tokenFor('member', { teams: ['cart-team'] });
    received.length = 0;
    answer = () => ({ status: 202, body: { accepted: true } });
    const created = await t.raw.inject({ method: 'POST', url: '/v1/actions/provision_resource/runs', headers: requester, payload: { properties: { name: 'orders-db', type: 'postgres', system: 'Cart' } } });
    expect(created.statusCode, created.body).toBe(201);
    const run = created.json().run;
    expect(run).toMatchObject({ status: 'WAITING_FOR_APPROVAL', requiredApproval: true, properties: { ttlDays: 5 } });

    // Not an approver (members of "platform" and admins are); the requester cannot report either.
    expect((await t.raw.inject({ method: 'PATCH', url: `/v1/actions/runs/${run.id}/approval`, headers: requester, payload: { status: 'APPROVE' } })).statusCode).toBe(403);
    const approver = await t.tokenFor('member', { teams: ['platform'] });
    const approved = await t.raw.inject({ method: 'PATCH', url: `/v1/actions/runs/${run.id}/approval`, headers: approver, payload: { status: 'APPROVE', description: 'ok for a week' } });
    expect(approved.json().run).toMatchObject({ status: 'IN_PROGRESS', approval: { state: 'APPROVED', description: 'ok for a week' } });
    expect((await t.raw.inject({ method: 'PATCH', url: `/v1/actions/runs/${run.id}/approval`, headers: approver, payload: { status: 'DECLINE' } })).statusCode).toBe(409);

    const started = Date.now();
    while (received.length === 0 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 30));
    expect(received).toHaveLength(1);
    const req = received[0]!;
    const ts = String(req.headers['x-port-timestamp']);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(30);
    expect(req.headers['x-port-signature']).toBe(`v1,${createHmac('sha256', SIGNING).update(`${ts}.${req.raw}`).digest('base64')}`);
    expect(req.headers['x-run-id']).toBe(run.id);
    const body = JSON.parse(req.raw);
    // Whole-template strings keep their JSON type (ttlDays is a number).
    expect(body).toEqual({ name: 'orders-db', type: 'postgres', system: 'Cart', ttlDays: 5, requestedBy: null, runId: run.id });

    let afterAccept = await waitRun(run.id, ['IN_PROGRESS']);
    for (let i = 0; i < 200 && afterAccept.response === null; i++) {
      await new Promise((r) => setTimeout(r, 25));
      afterAccept = await waitRun(run.id, ['IN_PROGRESS']);
    }
    expect(afterAccept.status).toBe('IN_PROGRESS');
    expect(afterAccept.response).toEqual({ status: 202, body: { accepted: true } });
    expect(JSON.stringify(afterAccept.payload)).not.toContain(String(req.headers['x-portolan-run-token']));

    const token = { authorization: `Bearer ${String(req.headers['x-portolan-run-token'])}` };
    // The token reports on its run and nothing else.
    expect((await t.raw.inject({ method: 'GET', url: '/v1/blueprints', headers: token })).statusCode).toBe(403);
    expect((await t.raw.inject({ method: 'GET', url: '/v1/actions/runs', headers: token })).statusCode).toBe(403);
    expect((await t.raw.inject({ method: 'PUT', url: '/v1/secrets/X_TOKEN_TEST', headers: token, payload: { value: 'abcdef' } })).statusCode).toBe(403);
    const other = (await t.app.inject({ method: 'POST', url: '/v1/actions/provision_resource/runs', payload: { properties: { name: 'other-db', type: 'postgres', system: 'Cart' } } })).json().run;
    expect((await t.raw.inject({ method: 'PATCH', url: `/v1/actions/runs/${other.id}`, headers: token, payload: { status: 'SUCCESS' } })).statusCode).toBe(403);
    expect((await t.raw.inject({ method: 'PATCH', url: `/v1/actions/runs/${other.id}/approval`, headers: token, payload: { status: 'APPROVE' } })).statusCode).toBe(403);
    const entity = { identifier: 'orders-db', title: 'Orders DB', team: ['cart-team'], properties: { type: 'postgres' }, relations: { system: 'Cart' } };
    expect((await t.raw.inject({ method: 'POST', url: `/v1/blueprints/Resource/entities?upsert=true&run_id=${other.id}`, headers: token, payload: entity })).statusCode).toBe(403);
    expect((await t.raw.inject({ method: 'POST', url: '/v1/blueprints/Resource/entities?upsert=true', headers: token, payload: entity })).statusCode).toBe(403);
    const upsert = await t.raw.inject({ method: 'POST', url: `/v1/blueprints/Resource/entities?upsert=true&run_id=${run.id}`, headers: token, payload: entity });
    expect(upsert.statusCode, upsert.body).toBeLessThan(300);

    expect((await t.raw.inject({ method: 'POST', url: `/v1/actions/runs/${run.id}/logs`, headers: token, payload: { message: `provisioning with password ${SIGNING}` } })).statusCode).toBe(201);
    const patched = await t.raw.inject({ method: 'PATCH', url: `/v1/actions/runs/${run.id}`, headers: token, payload: { status: 'SUCCESS', link: 'https://console.example/orders-db', summary: 'created', externalRunId: 'prov-1' } });
    expect(patched.json().run).toMatchObject({ status: 'SUCCESS', link: ['https://console.example/orders-db'], summary: 'created', externalRunId: 'prov-1' });
    expect(patched.json().run.endedAt).not.toBeNull();
    expect((await t.raw.inject({ method: 'PATCH', url: `/v1/actions/runs/${run.id}`, headers: token, payload: { status: 'FAILURE' } })).statusCode).toBe(409);
    const lines = await logs(run.id);
    expect(lines.join('\n')).toContain('***WEBHOOK_SIGNING_SECRET***');
    expect(lines.join('\n')).not.toContain(SIGNING);
    expect(lines.join('\n')).toContain('Entity Resource/orders-db written');
    const audit = JSON.stringify((await t.app.inject('/v1/audit-log?resourceType=action_run')).json());
    expect(audit).toContain(run.id);
  }, 30_000);

  it('declined runs end DECLINED and never call the backend', async () => {
    received.length = 0;
    const run = (await t.app.inject({ method: 'POST', url: '/v1/actions/provision_resource/runs', payload: { properties: { name: 'nope-db', type: 'postgres', system: 'Cart' } } })).json().run;
    const declined = await t.app.inject({ method: 'PATCH', url: `/v1/actions/runs/${run.id}/approval`, payload: { status: 'DECLINE', description: 'use the shared cluster' } });
    expect(declined.json().run).toMatchObject({ status: 'DECLINED', approval: { state: 'DECLINED', description: 'use the shared cluster' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(0);
  });

  it('synchronized webhook: the run takes its status from the response', async () => {
    received.length = 0;
    answer = (r) => (r.url.endsWith('/cart-sql-db') ? { status: 200, body: { deleted: true } } : { status: 500, body: { error: 'boom' } });
    const ok = (await t.app.inject({ method: 'POST', url: '/v1/actions/delete_resource/runs', payload: { entity: 'cart-sql-db', properties: { confirm: true } } })).json().run;
    const done = await waitRun(ok.id, ['SUCCESS', 'FAILURE']);
    expect(done).toMatchObject({ status: 'SUCCESS', response: { status: 200, body: { deleted: true } } });
    expect(received[0]).toMatchObject({ method: 'DELETE', url: '/v1/resources/cart-sql-db' });
    expect((await t.app.inject({ method: 'POST', url: '/v1/blueprints/Resource/entities', payload: { identifier: 'tmp-bucket', properties: { type: 's3-bucket' }, relations: { system: 'Cart' } } })).statusCode).toBe(201);
    const bad = (await t.app.inject({ method: 'POST', url: '/v1/actions/delete_resource/runs', payload: { entity: 'tmp-bucket', properties: { confirm: true } } })).json().run;
    expect(await waitRun(bad.id, ['SUCCESS', 'FAILURE'])).toMatchObject({ status: 'FAILURE', response: { status: 500 } });
  });

  it('a run is dispatched once even when several workers try', async () => {
    received.length = 0;
    answer = () => ({ status: 200, body: {} });
    const run = (await t.app.inject({ method: 'POST', url: '/v1/actions/delete_resource/runs', payload: { entity: 'cart-sql-db', properties: { confirm: true } } })).json().run;
    const second = await createTestApp({ database: t, identity });
    try {
      await Promise.all([t.app.services.actionRunner.invoke(run.id), second.app.services.actionRunner.invoke(run.id), t.app.services.actionRunner.invoke(run.id)]);
      await waitRun(run.id, ['SUCCESS', 'FAILURE']);
      await new Promise((r) => setTimeout(r, 200));
      expect(received.filter((r) => JSON.parse(r.raw).runId === run.id)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

describe('GitHub workflow runs', () => {
  it('dispatches with return_run_details, follows the run to SUCCESS with job and step logs', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/actions/deploy_component/runs', payload: { entity: 'CartService', properties: { version: 'v1.2.3' } } });
    expect(res.statusCode, res.body).toBe(201);
    const run = await waitRun(res.json().run.id, ['SUCCESS', 'FAILURE'], 15_000);
    expect(run.status).toBe('SUCCESS');
    expect(run.link[0]).toContain('/actions/runs/');
    expect(run.externalRunId).toMatch(/^\d+$/);
    const ghRun = gh.state.run(Number(run.externalRunId))!;
    expect(ghRun).toBeTruthy();
    expect(run.payload).toMatchObject({ owner: 'example-org', repo: 'deployments', inputs: { service: 'CartService', environment: 'staging', version: 'v1.2.3' } });
    expect(JSON.parse(run.payload.inputs.port_context)).toEqual({ runId: run.id, blueprint: 'Component', entity: 'CartService' });
    const lines = (await logs(run.id)).join('\n');
    expect(lines).toContain('completed (success)');
    expect(lines).toMatch(/Job deploy: success — Checkout: success, Deploy: success/);
    gh.assertNoValidationErrors();
  }, 30_000);

  it('a dispatch GitHub refuses (unexpected input) fails the run with its message', async () => {
    const action = (await t.app.inject('/v1/actions/deploy_component')).json().action;
    const { createdAt, createdBy, updatedAt, updatedBy, ...def } = action;
    void createdAt, void createdBy, void updatedAt, void updatedBy;
    const broken = { ...def, identifier: 'deploy_broken', invocationMethod: { ...def.invocationMethod, workflowInputs: { ...def.invocationMethod.workflowInputs, surprise: 'x' } } };
    expect((await t.app.inject({ method: 'POST', url: '/v1/actions', payload: broken })).statusCode).toBe(201);
    const id = (await t.app.inject({ method: 'POST', url: '/v1/actions/deploy_broken/runs', payload: { entity: 'CartService', properties: { version: 'v1' } } })).json().run.id;
    const run = await waitRun(id, ['SUCCESS', 'FAILURE']);
    expect(run.status).toBe('FAILURE');
    expect((await logs(id)).join('\n')).toContain('Unexpected inputs provided');
  });

  it('GHES without return_run_details: finds the run by the run id in its name; a failed workflow fails the run; signed workflow_run events', async () => {
    const ghes = await startTestGitHub({ returnRunDetails: false });
    ghes.gh.state.addOrg('example-org');
    ghes.gh.state.createRepo('example-org', 'deployments', { auto_init: true });
    ghes.gh.state.commitFiles('example-org/deployments', { files: { '.github/workflows/deploy.yml': WORKFLOW } });
    ghes.gh.state.setWorkflowOutcome('example-org/deployments', 'deploy.yml', 'failure');
    const other = await createTestApp({ database: t, identity, scaffolder: { github: ghes.config, queue: QUEUE } });
    try {
      await t.app.services.taskQueue!.stop();
      await other.app.services.taskQueue!.start();
      // Two runs of the same workflow at once: each finds its own GitHub run by its id in the run name.
      const id = (await other.app.inject({ method: 'POST', url: '/v1/actions/deploy_component/runs', payload: { entity: 'CartService', properties: { environment: 'production', version: 'v2' } } })).json().run.id;
      const decoy = (await other.app.inject({ method: 'POST', url: '/v1/actions/deploy_component/runs', payload: { entity: 'CartService', properties: { version: 'v3' } } })).json().run.id;
      const started = Date.now();
      while (ghes.gh.state.allRuns().length < 2 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 30));
      const ghRun = ghes.gh.state.allRuns().find((r) => r.display_title.includes(id))!;
      const decoyRun = ghes.gh.state.allRuns().find((r) => r.display_title.includes(decoy))!;
      expect(ghRun.id).not.toBe(decoyRun.id);
      let found = await waitRun(id, ['SUCCESS', 'FAILURE'], 1500, other.app);
      expect(found.status).toBe('IN_PROGRESS');
      expect(found.externalRunId).toBe(String(ghRun.id));
      expect((await waitRun(decoy, ['SUCCESS', 'FAILURE'], 0, other.app)).externalRunId).toBe(String(decoyRun.id));

      // The signed webhook makes the tracker look at once; a bad signature is refused.
      const event = JSON.stringify({ action: 'completed', workflow_run: { id: ghRun.id, status: 'completed' }, repository: { name: 'deployments', owner: { login: 'example-org' } } });
      expect((await other.raw.inject({ method: 'POST', url: '/v1/webhooks/github', headers: { 'content-type': 'application/json', 'x-github-event': 'workflow_run', 'x-hub-signature-256': 'sha256=00' }, payload: event })).statusCode).toBe(401);
      expect((await other.app.inject({ method: 'PUT', url: '/v1/secrets/GITHUB_WEBHOOK_SECRET', payload: { value: 'gh-hook-secret' } })).statusCode).toBeLessThan(300);
      expect((await other.raw.inject({ method: 'POST', url: '/v1/webhooks/github', headers: { 'content-type': 'application/json', 'x-github-event': 'workflow_run', 'x-hub-signature-256': 'sha256=00' }, payload: event })).statusCode).toBe(401);
      ghes.gh.completeRuns();
      const sig = `sha256=${createHmac('sha256', 'gh-hook-secret').update(event).digest('hex')}`;
      const hook = await other.raw.inject({ method: 'POST', url: '/v1/webhooks/github', headers: { 'content-type': 'application/json', 'x-github-event': 'workflow_run', 'x-hub-signature-256': sig }, payload: event });
      expect(hook.json()).toEqual({ ok: true, matched: 1 });
      expect((await waitRun(decoy, ['SUCCESS', 'FAILURE'], 10_000, other.app)).status).toBe('FAILURE');
      found = await waitRun(id, ['SUCCESS', 'FAILURE'], 10_000, other.app);
      expect(found.status).toBe('FAILURE');
      expect(found.externalRunId).toBe(String(ghRun.id));
      expect((await logs(id)).join('\n')).toContain('completed: failure');
      // GHES refuses return_run_details (recorded by the gate); the portal then dispatches without it.
      ghes.gh.assertNoValidationErrors((e) => JSON.stringify(e).includes('return_run_details'));
    } finally {
      await other.close();
      await ghes.gh.close();
      await t.app.services.taskQueue!.start();
    }
  }, 40_000);

  it('tracking survives a restart, and a run a dead process left mid-dispatch is never dispatched twice', async () => {
    await t.app.services.taskQueue!.stop();
    const cfg = t.app.services.github.config!;
    const first = await createTestApp({ database: t, identity, scaffolder: { github: cfg, queue: QUEUE } });
    let id = '';
    try {
      await first.app.services.taskQueue!.start();
      id = (await first.app.inject({ method: 'POST', url: '/v1/actions/deploy_component/runs', payload: { entity: 'CartService', properties: { version: 'v9' } } })).json().run.id;
      const started = Date.now();
      while (!(await waitRun(id, [], 0, first.app)).externalRunId && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await first.close(); // the server goes away while the workflow runs
    }
    expect((await waitRun(id, [], 0)).status).toBe('IN_PROGRESS');

    // A webhook run whose process died while calling the webhook: failed, not called again.
    received.length = 0;
    const stuck = (await t.app.inject({ method: 'POST', url: '/v1/actions/delete_resource/runs', payload: { entity: 'cart-sql-db', properties: { confirm: true } } })).json().run.id;
    await t.db.updateTable('action_runs').set({ dispatch_state: 'dispatching', updated_at: new Date(Date.now() - 3600_000) }).where('id', '=', stuck).execute();

    const second = await createTestApp({ database: t, identity, scaffolder: { github: cfg, queue: QUEUE } });
    try {
      await second.app.services.taskQueue!.start();
      const run = await waitRun(id, ['SUCCESS', 'FAILURE'], 15_000, second.app);
      expect(run.status).toBe('SUCCESS');
      expect(await second.app.services.actionRunner.sweep()).toBeGreaterThanOrEqual(0);
      const s2 = await waitRun(stuck, ['SUCCESS', 'FAILURE'], 5_000, second.app);
      expect(s2.status).toBe('FAILURE');
      expect((await logs(stuck)).join('\n')).toContain('never called twice');
      expect(received.filter((r) => JSON.parse(r.raw).runId === stuck)).toHaveLength(0);
    } finally {
      await second.close();
      await t.app.services.taskQueue!.start();
    }
  }, 40_000);
});
