import fc from 'fast-check';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { searchResponseSchema, type Entity } from '@portolan/contract';
import { serializeSearchResponse } from '../../src/modules/entities/entity-json.ts';

// Projected search pages are written by hand; they must be byte for byte what the route's zod
// serializer (still the schema of the OpenAPI document) writes for the same value.
const zodSerializeSearch = serializerCompiler({ schema: searchResponseSchema, method: 'POST', url: '/v1/entities/search' } as Parameters<typeof serializerCompiler>[0]);

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
