import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from './db/database.ts';
import { errorHandlerPlugin } from './plugins/errors.ts';
import { openApiPlugin } from './plugins/openapi.ts';
import { blueprintsRoutes } from './modules/blueprints/blueprints.routes.ts';
import { BlueprintsService } from './modules/blueprints/blueprints.service.ts';
import { entitiesRoutes } from './modules/entities/entities.routes.ts';
import { EntitiesService } from './modules/entities/entities.service.ts';
import { LOCAL_ACTOR_ID, type Actor } from './modules/request-context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

export interface AppDeps {
  db: Db;
  logger?: FastifyServerOptions['logger'];
  bodyLimit?: number;
}

/** Builds the whole HTTP application; main.ts only listens, tests use app.inject. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.bodyLimit ?? 5 * 1024 * 1024,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    },
    requestIdHeader: false,
    routerOptions: { maxParamLength: 1000 },
    ajv: { customOptions: { coerceTypes: false } },
  }).withTypeProvider<ZodTypeProvider>();

  // JSON only: a text/plain body is answered 415 instead of being fed to a JSON schema.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (req) => {
    // Until sign-in exists (issue 5), every request acts as the one local identity.
    req.actor = { id: LOCAL_ACTOR_ID, requestId: req.id };
  });

  await app.register(errorHandlerPlugin);
  await app.register(openApiPlugin);

  app.get('/healthz', {
    schema: { tags: ['system'], summary: 'Liveness and database reachability', response: { 200: z.object({ ok: z.literal(true) }) } },
  }, async () => {
    await deps.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
    return { ok: true as const };
  });

  await app.register(blueprintsRoutes, { service: new BlueprintsService(deps.db) });
  await app.register(entitiesRoutes, { service: new EntitiesService(deps.db) });

  return app;
}
