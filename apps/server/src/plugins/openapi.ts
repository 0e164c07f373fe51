import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** The OpenAPI document is generated from the routes' zod schemas: /openapi.json, docs at /docs. */
export const openApiPlugin = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Portolan API',
        description: 'Blueprints, entities and the rest of the Portolan developer portal. Port-compatible routes under /v1.',
        version: '0.1.0',
      },
      tags: [
        { name: 'blueprints', description: 'Entity types: property schema, relations, mirror properties' },
        { name: 'entities', description: 'Catalog entries of a blueprint' },
        { name: 'system', description: 'Health and metadata' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
});
