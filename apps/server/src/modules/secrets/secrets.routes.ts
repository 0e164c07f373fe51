import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema, putSecretSchema, secretListResponseSchema, secretNameSchema, secretResponseSchema } from '@portolan/contract';
import type { SecretsService } from './secrets.service.ts';

const params = z.object({ name: secretNameSchema });
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

export const secretsRoutes: FastifyPluginAsyncZod<{ service: SecretsService }> = async (app, { service }) => {
  const admin = { access: { kind: 'admin' as const } };
  app.get('/v1/secrets', { config: admin, schema: { tags: ['secrets'], summary: 'List secret names (values are never returned)', response: { 200: secretListResponseSchema, ...errors } } },
    async () => ({ ok: true as const, secrets: await service.list() }));
  app.put('/v1/secrets/:name', { config: admin, schema: { tags: ['secrets'], summary: 'Create or replace a secret', params, body: putSecretSchema, response: { 200: secretResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, secret: await service.put(req.params.name, req.body.value, req.body.description, req.actor) }));
  app.delete('/v1/secrets/:name', { config: admin, schema: { tags: ['secrets'], summary: 'Delete a secret', params, response: { 200: z.object({ ok: z.literal(true) }), ...errors } } },
    async (req) => {
      await service.delete(req.params.name, req.actor);
      return { ok: true as const };
    });
};
