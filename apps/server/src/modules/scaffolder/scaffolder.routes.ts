import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createTaskBodySchema,
  dryRunBodySchema,
  dryRunResponseSchema,
  errorBodySchema,
  putTemplateBodySchema,
  scaffolderActionsResponseSchema,
  taskEventsQuerySchema,
  taskEventsResponseSchema,
  taskListQuerySchema,
  taskListResponseSchema,
  taskParamsSchema,
  taskResponseSchema,
  templateGetQuerySchema,
  templateListQuerySchema,
  templateListResponseSchema,
  templateParamsSchema,
  templateResponseSchema,
  validateTemplateResponseSchema,
} from '@portolan/contract';
import type { ScaffolderService } from './scaffolder.service.ts';
import type { TaskEventHub } from './task-event-hub.ts';
import { toEvent } from './scaffolder.service.ts';
import * as repo from './scaffolder.repository.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const signedIn = { access: { kind: 'signedIn' as const } };
const editors = { access: { kind: 'anyModerator' as const } };
const tags = ['scaffolder'];
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export const scaffolderRoutes: FastifyPluginAsyncZod<{ service: ScaffolderService; hub: TaskEventHub; db: Kysely<Database> }> = async (app, { service, hub, db }) => {
  app.get('/v1/scaffolder/templates', { config: signedIn, schema: { tags, summary: 'List templates (search by text, tag, type)', querystring: templateListQuerySchema, response: { 200: templateListResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, templates: await service.listTemplates(req.query) }));

  app.get('/v1/scaffolder/templates/:name', { config: signedIn, schema: { tags, summary: 'A template: YAML, parsed document, wizard pages, file list (contents with ?files=true)', params: templateParamsSchema, querystring: templateGetQuerySchema, response: { 200: templateResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, template: await service.getTemplate(req.params.name, req.query.files) }));

  app.post('/v1/scaffolder/templates', { config: editors, schema: { tags, summary: 'Create a template from Backstage v1beta3 YAML and its files', body: putTemplateBodySchema, response: { 201: templateResponseSchema, ...errors } } },
    async (req, reply) => {
      const { template } = await service.saveTemplate(req.body.yaml, req.body.files, { create: true }, req.actor);
      return reply.status(201).send({ ok: true as const, template });
    });

  app.put('/v1/scaffolder/templates/:name', { config: editors, schema: { tags, summary: 'Create or replace a template (files kept when not sent)', params: templateParamsSchema, body: putTemplateBodySchema, response: { 200: templateResponseSchema, 201: templateResponseSchema, ...errors } } },
    async (req, reply) => {
      const { template, created } = await service.saveTemplate(req.body.yaml, req.body.files, { put: req.params.name }, req.actor);
      return reply.status(created ? 201 : 200).send({ ok: true as const, template });
    });

  app.delete('/v1/scaffolder/templates/:name', { config: editors, schema: { tags, summary: 'Delete a template (its past tasks keep their snapshot)', params: templateParamsSchema, response: { 200: z.object({ ok: z.literal(true) }), ...errors } } },
    async (req) => {
      await service.deleteTemplate(req.params.name, req.actor);
      return { ok: true as const };
    });

  app.post('/v1/scaffolder/templates/validate', { config: signedIn, schema: { tags, summary: 'Check template YAML (and files) without storing it', body: putTemplateBodySchema, response: { 200: validateTemplateResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, ...service.validate(req.body.yaml, req.body.files) }));

  app.post('/v1/scaffolder/dry-run', { config: signedIn, schema: { tags, summary: 'Render a template with parameters: files, steps and output, with no side effects', body: dryRunBodySchema, response: { 200: dryRunResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, ...(await service.dryRun(req.body, req.actor)) }));

  app.get('/v1/scaffolder/actions', { config: signedIn, schema: { tags, summary: 'Built-in actions, and whether GitHub is configured', response: { 200: scaffolderActionsResponseSchema, ...errors } } },
    async () => ({ ok: true as const, ...service.actions() }));

  app.post('/v1/scaffolder/tasks', { config: signedIn, schema: { tags, summary: 'Run a template: creates a task in the job queue', body: createTaskBodySchema, response: { 201: taskResponseSchema, ...errors } } },
    async (req, reply) => reply.status(201).send({ ok: true as const, task: await service.createTask(req.body.templateName, req.body.parameters, req.actor) }));

  app.get('/v1/scaffolder/tasks', { config: signedIn, schema: { tags, summary: 'Task history (newest first; filters; keyset pages)', querystring: taskListQuerySchema, response: { 200: taskListResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, ...(await service.listTasks(req.query, req.actor)) }));

  app.get('/v1/scaffolder/tasks/:id', { config: signedIn, schema: { tags, summary: 'A task with its steps', params: taskParamsSchema, response: { 200: taskResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, task: await service.getTask(req.params.id) }));

  app.get('/v1/scaffolder/tasks/:id/events', { config: signedIn, schema: { tags, summary: 'Task events after an id (polling alternative to the event stream)', params: taskParamsSchema, querystring: taskEventsQuerySchema, response: { 200: taskEventsResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, events: await service.events(req.params.id, req.query.after ?? null) }));

  app.post('/v1/scaffolder/tasks/:id/cancel', { config: signedIn, schema: { tags, summary: 'Cancel an open or running task', params: taskParamsSchema, response: { 200: taskResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, task: await service.cancel(req.params.id, req.actor) }));

  app.post('/v1/scaffolder/tasks/:id/retry', { config: signedIn, schema: { tags, summary: 'Retry a failed or cancelled task from the first step that did not succeed', params: taskParamsSchema, response: { 200: taskResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, task: await service.retry(req.params.id, req.actor) }));

  // Server-sent events: every stored event after Last-Event-ID (or ?after), then each new one as
  // it is written on any replica (LISTEN/NOTIFY), until the task finishes.
  app.get('/v1/scaffolder/tasks/:id/eventstream', {
    config: signedIn,
    schema: {
      tags,
      summary: 'Live task events (text/event-stream; resumes after Last-Event-ID)',
      params: taskParamsSchema,
      querystring: taskEventsQuerySchema,
      response: { 200: z.string().describe('text/event-stream: `id`, `event` (log, step_start, step_end, status, recovered, end) and JSON `data` per event'), ...errors },
    },
  }, async (req, reply) => {
    const task = await repo.findTask(db, req.params.id);
    if (!task) return reply.status(404).send({ ok: false, error: 'not_found', message: `Task "${req.params.id}" not found`, requestId: req.id });
    const header = req.headers['last-event-id'];
    let lastId: string | null = (typeof header === 'string' && /^\d+$/.test(header) ? header : null) ?? req.query.after ?? null;
    reply.hijack();
    const res = reply.raw;
    // reply.getHeaders(): the security headers every response carries (set on the reply in app.ts).
    res.writeHead(200, { ...(reply.getHeaders() as Record<string, string | string[]>), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no', 'x-request-id': req.id });
    res.write('retry: 2000\n\n');
    let closed = false;
    let chain: Promise<void> = Promise.resolve();
    const finish = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(keepAlive);
      clearInterval(poll);
      res.end();
    };
    const flush = async () => {
      if (closed) return;
      const rows = await repo.listEvents(db, task.id, lastId);
      let ended = false;
      for (const row of rows) {
        const e = toEvent(row);
        lastId = e.id;
        res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
        // Ends on a finished status, unless a later event (a retry) reopened the task.
        if (e.type === 'status') ended = TERMINAL.has(String(e.body.status));
      }
      if (!ended && rows.length === 0 && lastId === null) {
        // A stream opened on an already-finished task with no events: end it.
        const t = await repo.findTask(db, task.id);
        ended = !!t && TERMINAL.has(t.status);
      }
      if (ended) {
        res.write(`event: end\ndata: {}\n\n`);
        finish();
      }
    };
    const schedule = () => {
      chain = chain.then(flush).catch(() => finish());
    };
    const unsubscribe = hub.subscribe(task.id, schedule);
    await hub.start().catch(() => {});
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    // A safety net for a notification lost while the LISTEN connection was being re-opened.
    const poll = setInterval(schedule, hub.listening ? 5000 : 1000);
    req.raw.on('close', finish);
    schedule();
  });
};
