import { serializerCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  blueprintParamsSchema,
  bulkUpsertBodySchema,
  bulkUpsertQuerySchema,
  bulkUpsertResponseSchema,
  createEntityQuerySchema,
  deleteEntityQuerySchema,
  entityListResponseSchema,
  entityParamsSchema,
  entityResponseSchema,
  entityValidationResponseSchema,
  errorBodySchema,
  listEntitiesQuerySchema,
  updateEntityQuerySchema,
} from '@portolan/contract';
import { entityEtag, parseIfMatch } from './entities.mapper.ts';
import { serializeBulkUpsertResponse, serializeEntityResponse } from './entity-json.ts';
import type { EntitiesService } from './entities.service.ts';
import { InvalidError } from '../../plugins/errors.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 412: errorBodySchema };
const reader = { access: { kind: 'signedIn' as const } };
// Writers: the service then checks the blueprint's permissions and the entity's teams.
const writer = { access: { kind: 'writer' as const } };
const writeResponse = z.union([entityResponseSchema, entityValidationResponseSchema]);
// Bodies are checked field by field by the write path (so bulk can report per item); the route
// only requires a JSON object.
const entityBody = z.record(z.string(), z.unknown());

function ifMatch(header: string | string[] | undefined): number | null | 'any' {
  const value = Array.isArray(header) ? header[0] : header;
  const parsed = parseIfMatch(value);
  if (parsed === -1) throw new InvalidError('Invalid If-Match header', [{ path: 'headers.if-match', message: 'must be an ETag this server issued, e.g. "3"' }]);
  return parsed;
}

/** Called after an entity write tagged with `?run_id=` (an action run's affected entity). */
export type RunEntityHook = (runId: string, blueprint: string, identifier: string, actor: import('../request-context.ts').Actor) => Promise<void>;

export const entitiesRoutes: FastifyPluginAsyncZod<{ service: EntitiesService; onRunEntity?: RunEntityHook }> = async (app, { service, onRunEntity }) => {
  app.get('/v1/blueprints/:blueprint/entities', {
    config: reader,
    schema: { tags: ['entities'], summary: "List a blueprint's entities (cursor-paginated)", params: blueprintParamsSchema, querystring: listEntitiesQuerySchema, response: { 200: entityListResponseSchema, ...errors } },
  }, async (req) => ({ ok: true as const, ...(await service.list(req.params.blueprint, req.query.limit, req.query.from)) }));

  app.get('/v1/blueprints/:blueprint/entities/:entity', {
    config: reader,
    schema: { tags: ['entities'], summary: 'Get an entity (mirror properties resolved); answers an ETag', params: entityParamsSchema, response: { 200: entityResponseSchema, ...errors } },
    // The hottest route: its 200 answer is written by hand (the schema still documents it);
    // error answers keep the zod serializer.
    // (Fastify calls it once per response status, with that status's schema.)
    serializerCompiler: (route) => (route.httpStatus === '200' ? serializeEntityResponse : serializerCompiler(route as unknown as Parameters<typeof serializerCompiler>[0])),
  }, async (req, reply) => {
    const { entity, version } = await service.get(req.params.blueprint, req.params.entity);
    reply.header('etag', entityEtag({ version }));
    return { ok: true as const, entity };
  });

  app.post('/v1/blueprints/:blueprint/entities', {
    // An action run's token may upsert entities tagged with its own run id (?run_id=).
    config: { ...writer, runToken: 'query:run_id' as const },
    schema: {
      tags: ['entities'],
      summary: 'Create an entity, or upsert it (replace, or merge with merge=true)',
      params: blueprintParamsSchema,
      querystring: createEntityQuerySchema,
      body: entityBody,
      response: { 200: writeResponse, 201: entityResponseSchema, ...errors },
    },
  }, async (req, reply) => {
    const q = req.query;
    const result = await service.create(req.params.blueprint, req.body, { upsert: q.upsert, merge: q.merge, validationOnly: q.validation_only, createMissingRelated: q.create_missing_related_entities }, req.actor);
    if ('validated' in result) return { ok: true as const, valid: true as const };
    if (q.run_id && onRunEntity) await onRunEntity(q.run_id, req.params.blueprint, result.entity.identifier, req.actor);
    reply.header('etag', entityEtag(result));
    return reply.status(result.created ? 201 : 200).send({ ok: true as const, entity: result.entity });
  });

  for (const method of ['put', 'patch'] as const) {
    app[method]('/v1/blueprints/:blueprint/entities/:entity', {
      config: writer,
      schema: {
        tags: ['entities'],
        summary: method === 'put' ? 'Replace an entity (If-Match for optimistic concurrency)' : 'Update the fields sent (If-Match for optimistic concurrency)',
        params: entityParamsSchema,
        querystring: updateEntityQuerySchema,
        body: entityBody,
        response: { 200: writeResponse, ...errors },
      },
    }, async (req, reply) => {
      const result = await service.update(
        req.params.blueprint,
        req.params.entity,
        req.body,
        method === 'put' ? 'replace' : 'merge',
        { validationOnly: req.query.validation_only, createMissingRelated: req.query.create_missing_related_entities },
        ifMatch(req.headers['if-match']),
        req.actor,
      );
      if ('validated' in result) return { ok: true as const, valid: true as const };
      reply.header('etag', entityEtag(result));
      return { ok: true as const, entity: result.entity };
    });
  }

  app.delete('/v1/blueprints/:blueprint/entities/:entity', {
    config: writer,
    schema: {
      tags: ['entities'],
      summary: 'Delete an entity (delete_dependents=true also deletes entities that require it)',
      params: entityParamsSchema,
      querystring: deleteEntityQuerySchema,
      response: { 200: z.object({ ok: z.literal(true), deleted: z.array(z.string()) }), ...errors },
    },
  }, async (req) => ({
    ok: true as const,
    ...(await service.delete(req.params.blueprint, req.params.entity, { deleteDependents: req.query.delete_dependents, expectedVersion: ifMatch(req.headers['if-match']) }, req.actor)),
  }));

  app.post('/v1/blueprints/:blueprint/entities/bulk', {
    config: writer,
    schema: {
      tags: ['entities'],
      summary: 'Upsert up to 1,000 entities; 207 with per-item errors when some fail',
      params: blueprintParamsSchema,
      querystring: bulkUpsertQuerySchema,
      body: bulkUpsertBodySchema,
      response: { 200: bulkUpsertResponseSchema, 207: bulkUpsertResponseSchema, ...errors },
    },
    // 200 and 207 are written by hand (entity-json.ts); error answers keep the zod serializer.
    serializerCompiler: (route) =>
      route.httpStatus === '200' || route.httpStatus === '207' ? serializeBulkUpsertResponse : serializerCompiler(route as unknown as Parameters<typeof serializerCompiler>[0]),
  }, async (req, reply) => {
    const result = await service.bulkUpsert(req.params.blueprint, req.body.entities, { merge: req.query.merge, createMissingRelated: req.query.create_missing_related_entities }, req.actor);
    return reply.status(result.errors.length > 0 ? 207 : 200).send(result);
  });
};
