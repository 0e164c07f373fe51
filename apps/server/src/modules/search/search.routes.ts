import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  blueprintParamsSchema,
  blueprintSearchBodySchema,
  entityParamsSchema,
  errorBodySchema,
  facetsBodySchema,
  facetsResponseSchema,
  globalSearchBodySchema,
  graphQuerySchema,
  graphResponseSchema,
  searchResponseSchema,
} from '@portolan/contract';
import type { SearchService } from './search.service.ts';

const errors = { 400: errorBodySchema, 404: errorBodySchema };

// A search page's 200 is JSON text the service wrote (searchJson: the entities come written by
// the database), sent as it is (hence `as never`: the payload is that schema already written); the
// schema stays on the route for the OpenAPI document.
const JSON_TYPE = 'application/json; charset=utf-8';

export const searchRoutes: FastifyPluginAsyncZod<{ service: SearchService }> = async (app, { service }) => {
  app.post('/v1/entities/search', {
    schema: {
      tags: ['search'],
      summary: 'Search entities of every blueprint (Port query language, free text, sort, cursor)',
      body: globalSearchBodySchema,
      response: { 200: searchResponseSchema, ...errors },
    },
  }, async (req, reply) => reply.type(JSON_TYPE).send((await service.searchJson(null, req.body)) as never));

  app.post('/v1/blueprints/:blueprint/entities/search', {
    schema: {
      tags: ['search'],
      summary: "Search a blueprint's entities (Port query language, free text, sort, cursor)",
      params: blueprintParamsSchema,
      body: blueprintSearchBodySchema,
      response: { 200: searchResponseSchema, ...errors },
    },
  }, async (req, reply) => reply.type(JSON_TYPE).send((await service.searchJson(req.params.blueprint, req.body)) as never));

  app.post('/v1/entities/facets', {
    schema: {
      tags: ['search'],
      summary: 'Value counts of properties over every blueprint, under a query',
      body: facetsBodySchema,
      response: { 200: facetsResponseSchema, ...errors },
    },
  }, async (req) => ({ ok: true as const, ...(await service.facets(null, req.body)) }));

  app.post('/v1/blueprints/:blueprint/entities/facets', {
    schema: {
      tags: ['search'],
      summary: "Value counts of a blueprint's properties under a query (for catalog filters)",
      params: blueprintParamsSchema,
      body: facetsBodySchema,
      response: { 200: facetsResponseSchema, ...errors },
    },
  }, async (req) => ({ ok: true as const, ...(await service.facets(req.params.blueprint, req.body)) }));

  app.get('/v1/blueprints/:blueprint/entities/:entity/graph', {
    schema: {
      tags: ['search'],
      summary: 'Entities related to one entity, up and down to a depth, as nodes and edges',
      params: entityParamsSchema,
      querystring: graphQuerySchema,
      response: { 200: graphResponseSchema, ...errors },
    },
  }, async (req) => ({ ok: true as const, ...(await service.graph(req.params.blueprint, req.params.entity, req.query)) }));
};
