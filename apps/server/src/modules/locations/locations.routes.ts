import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  discoverLocationsResponseSchema,
  discoverLocationsSchema,
  errorBodySchema,
  locationListResponseSchema,
  locationRefreshResponseSchema,
  registerLocationSchema,
} from '@portolan/contract';
import type { LocationsService } from './locations.service.ts';

const params = z.object({ id: z.uuid() });
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

export const locationsRoutes: FastifyPluginAsyncZod<{ service: LocationsService }> = async (app, { service }) => {
  app.get('/v1/locations', {
    config: { access: { kind: 'signedIn' } },
    schema: { tags: ['catalog as code'], summary: 'Registered catalog locations and the state of their last refresh', response: { 200: locationListResponseSchema, ...errors } },
  }, async () => ({ ok: true as const, locations: await service.list() }));

  app.post('/v1/locations', {
    config: { access: { kind: 'admin' } },
    schema: {
      tags: ['catalog as code'],
      summary: 'Register a catalog file in a repository, and read it now',
      body: registerLocationSchema,
      response: { 201: locationRefreshResponseSchema, ...errors },
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
      body: discoverLocationsSchema,
      response: { 200: discoverLocationsResponseSchema, ...errors },
    },
  }, async (req) => {
    const registered = await service.discover(req.body.org, req.body.fileName, req.actor);
    for (const l of registered) await service.refresh(l.id);
    return { ok: true as const, registered: await Promise.all(registered.map((l) => service.get(l.id))) };
  });

  app.post('/v1/locations/:id/refresh', {
    config: { access: { kind: 'admin' } },
    schema: { tags: ['catalog as code'], summary: 'Read a location again now and apply what changed', params, response: { 200: locationRefreshResponseSchema, ...errors } },
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
