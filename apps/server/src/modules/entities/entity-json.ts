import type { Entity } from '@portolan/contract';

/**
 * The JSON of `entityResponseSchema` ({ ok, entity }) without a zod pass: GET one entity is the
 * most frequent request, and checking every property and relation value of an entity we just
 * read and mapped ourselves (toEntity) cost more than writing it. Copies exactly the schema's
 * keys in the schema's order, as the zod serializer's output would have them, so the bytes are
 * the same (a unit test compares the two); the route keeps the schema for the OpenAPI document.
 */
export function serializeEntityResponse(data: { ok: true; entity: Entity }): string {
  const e = data.entity;
  return JSON.stringify({
    ok: true,
    entity: {
      identifier: e.identifier,
      title: e.title,
      icon: e.icon,
      blueprint: e.blueprint,
      team: e.team,
      properties: e.properties,
      relations: e.relations,
      createdAt: e.createdAt,
      createdBy: e.createdBy,
      updatedAt: e.updatedAt,
      updatedBy: e.updatedBy,
      // Optional keys: undefined is left out by JSON.stringify, as zod leaves out a missing key.
      managedBy: e.managedBy && { location: e.managedBy.location, url: e.managedBy.url },
      orphaned: e.orphaned,
    },
  });
}
