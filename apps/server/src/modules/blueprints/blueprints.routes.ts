import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  blueprintInputSchema,
  blueprintListResponseSchema,
  blueprintParamsSchema,
  blueprintPatchSchema,
  blueprintResponseSchema,
  blueprintStatsResponseSchema,
  deleteBlueprintQuerySchema,
  errorBodySchema,
} from '@portolan/contract';
import type { BlueprintsService } from './blueprints.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

export const blueprintsRoutes: FastifyPluginAsyncZod<{ service: BlueprintsService }> = async (app, { service }) => {
  const signedIn = { access: { kind: 'signedIn' as const } };
  const moderator = { access: { kind: 'moderator' as const, param: 'blueprint' } };

  app.get('/v1/blueprints', {
    config: signedIn,
    schema: { tags: ['blueprints'], summary: 'List blueprints', response: { 200: blueprintListResponseSchema } },
  }, async () => ({ ok: true as const, blueprints: await service.list() }));

  app.get('/v1/blueprints/:blueprint', {
    config: signedIn,
    schema: { tags: ['blueprints'], summary: 'Get a blueprint', params: blueprintParamsSchema, response: { 200: blueprintResponseSchema, ...errors } },
  }, async (req) => ({ ok: true as const, blueprint: await service.get(req.params.blueprint) }));

  app.get('/v1/blueprints/:blueprint/stats', {
    config: signedIn,
    schema: { tags: ['blueprints'], summary: 'Entity count and incoming relations (what a destructive change touches)', params: blueprintParamsSchema, response: { 200: blueprintStatsResponseSchema, ...errors } },
  }, async (req) => ({ ok: true as const, ...(await service.stats(req.params.blueprint)) }));

  // New blueprints change the data model for everyone: admins only. Moderators manage theirs.
  app.post('/v1/blueprints', {
    config: { access: { kind: 'admin' } },
    schema: { tags: ['blueprints'], summary: 'Create a blueprint', body: blueprintInputSchema, response: { 201: blueprintResponseSchema, ...errors } },
  }, async (req, reply) => {
    const blueprint = await service.create(req.body, req.actor);
    return reply.status(201).send({ ok: true as const, blueprint });
  });

  app.put('/v1/blueprints/:blueprint', {
    config: moderator,
    schema: { tags: ['blueprints'], summary: 'Replace a blueprint', params: blueprintParamsSchema, body: blueprintInputSchema, response: { 200: blueprintResponseSchema, ...errors } },
  }, async (req) => ({ ok: true as const, blueprint: await service.replace(req.params.blueprint, req.body, req.actor) }));

  app.patch('/v1/blueprints/:blueprint', {
    config: moderator,
    schema: { tags: ['blueprints'], summary: 'Update some top-level fields of a blueprint', params: blueprintParamsSchema, body: blueprintPatchSchema, response: { 200: blueprintResponseSchema, ...errors } },
  }, async (req) => {
    const sent = Object.fromEntries(Object.entries(req.body).filter(([, v]) => v !== undefined));
    return { ok: true as const, blueprint: await service.patch(req.params.blueprint, sent, req.actor) };
  });

  app.delete('/v1/blueprints/:blueprint', {
    config: moderator,
    schema: {
      tags: ['blueprints'],
      summary: 'Delete a blueprint',
      params: blueprintParamsSchema,
      querystring: deleteBlueprintQuerySchema,
      response: { 200: z.object({ ok: z.literal(true), deletedEntities: z.number().int() }), ...errors },
    },
  }, async (req) => ({ ok: true as const, ...(await service.delete(req.params.blueprint, { deleteEntities: req.query.delete_entities }, req.actor)) }));
};
