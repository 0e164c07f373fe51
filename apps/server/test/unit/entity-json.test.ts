import fc from 'fast-check';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { bulkUpsertResponseSchema, entityResponseSchema, searchResponseSchema, type BulkUpsertResponse, type Entity } from '@portolan/contract';
import { serializeBulkUpsertResponse, serializeEntityResponse, serializeSearchResponse } from '../../src/modules/entities/entity-json.ts';

// GET one entity writes its 200 answer by hand; it must be byte for byte what the route's zod
// serializer (still the schema of the OpenAPI document) writes for the same value.
const zodSerialize = serializerCompiler({ schema: entityResponseSchema, method: 'GET', url: '/v1/blueprints/:blueprint/entities/:entity' } as Parameters<typeof serializerCompiler>[0]);
const zodSerializeSearch = serializerCompiler({ schema: searchResponseSchema, method: 'POST', url: '/v1/entities/search' } as Parameters<typeof serializerCompiler>[0]);
const zodSerializeBulk = serializerCompiler({ schema: bulkUpsertResponseSchema, method: 'POST', url: '/v1/blueprints/:blueprint/entities/bulk' } as Parameters<typeof serializerCompiler>[0]);

const identifier = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9@_.:\\/=-]{0,30}$/);
const json = fc.jsonValue({ maxDepth: 3 });
const entity: fc.Arbitrary<Entity> = fc.record(
  {
    identifier,
    title: fc.option(fc.string(), { nil: null }),
    icon: fc.option(fc.string(), { nil: null }),
    blueprint: fc.string(),
    team: fc.array(fc.string()),
    properties: fc.dictionary(fc.string().filter((k) => k !== '__proto__'), json),
    relations: fc.dictionary(fc.string().filter((k) => k !== '__proto__'), fc.oneof(identifier, fc.array(identifier), fc.constant(null))),
    createdAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    createdBy: fc.string(),
    updatedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    updatedBy: fc.string(),
    managedBy: fc.option(fc.record({ location: fc.uuid(), url: fc.webUrl() }), { nil: null }),
    orphaned: fc.boolean(),
  },
  { requiredKeys: ['identifier', 'title', 'icon', 'blueprint', 'team', 'properties', 'relations', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy'] },
);

describe('serializeEntityResponse', () => {
  it('writes the same JSON as the zod serializer of entityResponseSchema', () => {
    fc.assert(
      fc.property(entity, (e) => {
        const data = { ok: true as const, entity: e };
        expect(serializeEntityResponse(data)).toBe(zodSerialize(data));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves out keys the schema does not have, as zod strips them', () => {
    const e = {
      identifier: 'a', title: null, icon: null, blueprint: 'B', team: [], properties: { x: 1 }, relations: {},
      createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'u', updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 'u',
      managedBy: { location: 'l', url: 'u', extra: 1 }, id: '42', version: 3,
    } as unknown as Entity;
    const data = { ok: true as const, entity: e, extra: true } as { ok: true; entity: Entity };
    expect(serializeEntityResponse(data)).toBe(zodSerialize(data));
    expect(serializeEntityResponse(data)).not.toMatch(/extra|"id"|version/);
  });
});

describe('serializeSearchResponse', () => {
  it('writes the same JSON as the zod serializer of searchResponseSchema', () => {
    fc.assert(
      fc.property(fc.array(entity, { maxLength: 5 }), fc.option(fc.string(), { nil: null }), (entities, next) => {
        const data = { ok: true as const, entities, next };
        expect(serializeSearchResponse(data)).toBe(zodSerializeSearch(data));
      }),
      { numRuns: 300 },
    );
  });
});

describe('serializeBulkUpsertResponse', () => {
  const item = fc.record({ identifier, index: fc.nat(), created: fc.boolean() });
  // Failures as the writer builds them: keys in another order than the schema's, details optional.
  const failure = fc.record(
    {
      message: fc.string(),
      details: fc.array(fc.record({ message: fc.string(), path: fc.string() })),
      index: fc.nat(),
      statusCode: fc.constantFrom(400, 403, 404, 409, 412),
      error: fc.constantFrom('invalid_request', 'forbidden', 'not_found', 'conflict', 'precondition_failed'),
      identifier: fc.option(identifier, { nil: null }),
    },
    { requiredKeys: ['message', 'index', 'statusCode', 'error', 'identifier'] },
  );

  it('writes the same JSON as the zod serializer of bulkUpsertResponseSchema', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(item, { maxLength: 5 }), fc.array(failure, { maxLength: 5 }), (ok, entities, errors) => {
        const data = { ok, entities, errors } as BulkUpsertResponse;
        expect(serializeBulkUpsertResponse(data)).toBe(zodSerializeBulk(data));
      }),
      { numRuns: 300 },
    );
  });
});
