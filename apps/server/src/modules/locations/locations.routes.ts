import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '@portolan/contract';
import type { LocationsService } from './locations.service.ts';

const problem = z.object({ file: z.string(), line: z.number().int(), column: z.number().int(), message: z.string(), severity: z.enum(['error', 'warning']), ref: z.string().optional() });
const location = z.object({
  id: z.string(),
  url: z.string(),
  origin: z.enum(['registered', 'discovered']),
  status: z.enum(['pending', 'ok', 'error']),
  lastRefreshedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  problems: z.array(problem),
  files: z.array(z.string()),
  entityCount: z.number().int(),
  orphanCount: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
});
const refresh = z.object({ status: z.enum(['ok', 'error']), files: z.array(z.string()), entities: z.number().int(), orphaned: z.number().int(), deleted: z.number().int(), problems: z.array(problem) });
const params = z.object({ id: z.uuid() });
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

export const locationsRoutes: FastifyPluginAsyncZod<{ service: LocationsService }> = async (app, { service }) => {
  app.get('/v1/locations', {
    config: { access: { kind: 'signedIn' } },
    schema: { tags: ['catalog as code'], summary: 'Registered catalog locations and the state of their last refresh', response: { 200: z.object({ ok: z.literal(true), locations: z.array(location) }), ...errors } },
  }, async () => ({ ok: true as const, locations: await service.list() }));

  app.post('/v1/locations', {
    config: { access: { kind: 'admin' } },
    schema: {
      tags: ['catalog as code'],
      summary: 'Register a catalog file in a repository, and read it now',
      body: z.object({ url: z.url().max(2000) }),
      response: { 201: z.object({ ok: z.literal(true), location, refresh }), ...errors },
    },
  }, async (req, reply) => {
    const registered = await service.register(req.body.url, req.actor);
    const result = await service.refresh(registered.id);
    return reply.status(201).send({ ok: true as const, location: await service.get(registered.id), refresh: result });
  });

  app.post('/v1/locations/discover', {
    config: { access: { kind: 'admin' } },
    schema: {
      tags: ['catalog as code'],
      summary: "Scan a GitHub organization's repositories for catalog files and register each one found",
      body: z.object({ org: z.string().min(1).max(100).regex(/^[A-Za-z0-9-]+$/, 'a GitHub organization name'), fileName: z.string().min(1).max(300).default('catalog-info.yaml') }),
      response: { 200: z.object({ ok: z.literal(true), registered: z.array(location) }), ...errors },
    },
  }, async (req) => {
    const registered = await service.discover(req.body.org, req.body.fileName, req.actor);
    for (const l of registered) await service.refresh(l.id);
    return { ok: true as const, registered: await Promise.all(registered.map((l) => service.get(l.id))) };
  });

  app.post('/v1/locations/:id/refresh', {
    config: { access: { kind: 'admin' } },
    schema: { tags: ['catalog as code'], summary: 'Read a location again now and apply what changed', params, response: { 200: z.object({ ok: z.literal(true), location, refresh }), ...errors } },
  }, async (req) => {
    const result = await service.refresh(req.params.id);
    return { ok: true as const, location: await service.get(req.params.id), refresh: result };
  });

  app.delete('/v1/locations/:id', {
    config: { access: { kind: 'admin' } },
    schema: { tags: ['catalog as code'], summary: 'Unregister a location (its entities stay, editable in the portal)', params, response: { 200: z.object({ ok: z.literal(true) }), ...errors } },
  }, async (req) => {
    await service.unregister(req.params.id, req.actor);
    return { ok: true as const };
  });
};
