import { createHmac } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  actionListQuerySchema,
  actionListResponseSchema,
  actionResponseSchema,
  approvalBodySchema,
  createRunBodySchema,
  visibleInputsResponseSchema,
  createRunResponseSchema,
  errorBodySchema,
  patchRunBodySchema,
  runListQuerySchema,
  runListResponseSchema,
  runLogBodySchema,
  runLogsQuerySchema,
  runLogsResponseSchema,
  runResponseSchema,
  type ErrorBody,
} from '@portolan/contract';
import { safeEqual } from '../identity/tokens.ts';
import type { SecretsService } from '../secrets/secrets.service.ts';
import { GITHUB_WEBHOOK_SECRET_NAME, type ActionRunner } from './action-runner.ts';
import type { ActionsService } from './actions.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const tags = ['actions'];
const signedIn = { access: { kind: 'signedIn' as const } };
const editors = { access: { kind: 'anyModerator' as const } };
/** Routes an action run's scoped token may call, for its own run (the `id` param) only. */
const runReport = { access: { kind: 'signedIn' as const }, runToken: 'param:id' as const };
const actionParams = z.object({ id: z.string().min(1).max(100) });
const runParams = z.object({ id: z.string().min(1).max(100) });
const okSchema = z.object({ ok: z.literal(true) });

export const actionsRoutes: FastifyPluginAsyncZod<{ service: ActionsService }> = async (app, { service }) => {
  app.get('/v1/actions', { config: signedIn, schema: { tags, summary: 'List actions (by blueprint, operation)', querystring: actionListQuerySchema, response: { 200: actionListResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, actions: await service.list(req.query) }));

  app.post('/v1/actions', { config: editors, schema: { tags, summary: 'Create an action (Port action JSON)', body: z.record(z.string(), z.unknown()), response: { 201: actionResponseSchema, ...errors } } },
    async (req, reply) => reply.status(201).send({ ok: true as const, action: await service.save(req.body, req.actor, { mode: 'create' }) }));

  app.get('/v1/actions/:id', { config: signedIn, schema: { tags, summary: 'An action', params: actionParams, response: { 200: actionResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, action: await service.get(req.params.id) }));

  app.put('/v1/actions/:id', { config: editors, schema: { tags, summary: 'Replace an action', params: actionParams, body: z.record(z.string(), z.unknown()), response: { 200: actionResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, action: await service.save(req.body, req.actor, { mode: 'replace', identifier: req.params.id }) }));

  app.delete('/v1/actions/:id', { config: editors, schema: { tags, summary: 'Delete an action (its runs are kept)', params: actionParams, response: { 200: okSchema, ...errors } } },
    async (req) => {
      await service.delete(req.params.id, req.actor);
      return { ok: true as const };
    });

  // Only reads (which inputs the form shows for these values), so no CSRF token is needed.
  app.post('/v1/actions/:id/visible-inputs', { config: { access: { kind: 'signedIn' as const }, readOnly: true }, schema: { tags, summary: "The inputs an action's form shows for these values (its `visible` rules)", params: actionParams, body: createRunBodySchema, response: { 200: visibleInputsResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, visible: await service.visibleInputs(req.params.id, req.body, req.actor) }));

  app.post('/v1/actions/:id/runs', { config: { access: { kind: 'writer' as const } }, schema: { tags, summary: 'Run an action: inputs are checked against its userInputs', params: actionParams, body: createRunBodySchema, response: { 201: createRunResponseSchema, ...errors } } },
    async (req, reply) => {
      const source = req.sessionCsrf !== undefined ? 'UI' : 'API';
      return reply.status(201).send({ ok: true as const, run: await service.createRun(req.params.id, req.body, req.actor, source) });
    });

  app.get('/v1/actions/runs', { config: signedIn, schema: { tags, summary: 'List runs (newest first)', querystring: runListQuerySchema, response: { 200: runListResponseSchema, ...errors } } },
    async (req) => {
      const q = req.query;
      const runs = await service.listRuns({ action: q.action, entity: q.entity, blueprint: q.blueprint, active: q.active === undefined ? undefined : q.active === 'true', mine: q.mine === 'true', limit: q.limit }, req.actor);
      return { ok: true as const, runs };
    });

  app.get('/v1/actions/runs/:id', { config: runReport, schema: { tags, summary: 'A run', params: runParams, response: { 200: runResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, run: await service.getRun(req.params.id) }));

  app.patch('/v1/actions/runs/:id', { config: runReport, schema: { tags, summary: 'Report on a run: status, label, link, summary, external run id', params: runParams, body: patchRunBodySchema, response: { 200: runResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, run: await service.patchRun(req.params.id, req.body, req.actor) }));

  app.post('/v1/actions/runs/:id/logs', { config: runReport, schema: { tags, summary: "Add a line to a run's log (terminationStatus ends the run)", params: runParams, body: runLogBodySchema, response: { 201: okSchema, ...errors } } },
    async (req, reply) => {
      await service.addLog(req.params.id, req.body, req.actor);
      return reply.status(201).send({ ok: true as const });
    });

  app.get('/v1/actions/runs/:id/logs', { config: runReport, schema: { tags, summary: "A run's log", params: runParams, querystring: runLogsQuerySchema, response: { 200: runLogsResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, logs: await service.logs(req.params.id, req.query.limit, req.query.offset) }));

  app.patch('/v1/actions/runs/:id/approval', { config: signedIn, schema: { tags, summary: 'Approve or decline a run waiting for approval', params: runParams, body: approvalBodySchema, response: { 200: runResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, run: await service.decide(req.params.id, req.body, req.actor) }));
};

/**
 * GitHub's `workflow_run` webhook. The body is verified against X-Hub-Signature-256 over the raw
 * bytes (HMAC-SHA256 with the secret GITHUB_WEBHOOK_SECRET); a verified event only makes the
 * tracker poll that run now, so the outcome always comes from GitHub's API.
 */
export const githubWebhookRoutes: FastifyPluginAsyncZod<{ runner: ActionRunner; secrets: SecretsService }> = async (app, { runner, secrets }) => {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  const schema = {
    tags: ['webhooks'],
    summary: 'GitHub webhook receiver (workflow_run events), verified with X-Hub-Signature-256',
    body: z.unknown(),
    response: { 202: z.object({ ok: z.literal(true), matched: z.number().int() }), 400: errorBodySchema, 401: errorBodySchema },
  };
  app.post('/v1/webhooks/github', { config: { access: { kind: 'public' } }, schema }, async (req, reply) => {
    const deny = (status: 400 | 401, message: string) => reply.status(status).send({ ok: false, error: status === 401 ? 'unauthorized' : 'invalid_request', message, requestId: req.id } satisfies ErrorBody);
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.from(JSON.stringify(req.body ?? null));
    const secret = await secrets.reveal(GITHUB_WEBHOOK_SECRET_NAME).catch(() => null);
    if (!secret) return deny(401, `GitHub webhooks are not accepted until the secret ${GITHUB_WEBHOOK_SECRET_NAME} is set`);
    const sent = req.headers['x-hub-signature-256'];
    const expected = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
    if (typeof sent !== 'string' || !safeEqual(sent, expected)) return deny(401, 'Missing or wrong X-Hub-Signature-256');
    let event: { workflow_run?: { id?: unknown }; repository?: { name?: unknown; owner?: { login?: unknown } } };
    try {
      event = JSON.parse(raw.toString('utf8')) as typeof event;
    } catch {
      return deny(400, 'Request body is not valid JSON');
    }
    if (req.headers['x-github-event'] !== 'workflow_run') return reply.status(202).send({ ok: true as const, matched: 0 });
    const id = event.workflow_run?.id;
    const owner = event.repository?.owner?.login;
    const repoName = event.repository?.name;
    if (typeof id !== 'number' || typeof owner !== 'string' || typeof repoName !== 'string') return deny(400, 'A workflow_run event names workflow_run.id and repository.owner.login/name');
    return reply.status(202).send({ ok: true as const, matched: await runner.onWorkflowRunEvent(owner, repoName, id) });
  });
};
