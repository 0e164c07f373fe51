import type { Entity } from '@portolan/contract';

/**
 * The JSON of `searchResponseSchema` ({ ok, entities, next }) without a zod pass, for search pages
 * projected with `include` (other pages come written by the database, see entityDocumentTextSql):
 * a page of up to 1,000 entities went through zod entity by entity before being written. Copies
 * exactly the schema's keys in its order, so the bytes are what zod's serializer writes (a unit
 * test compares the two); the route keeps the schema for the OpenAPI document.
 */
export function serializeSearchResponse(data: { ok: true; entities: Entity[]; next: string | null }): string {
  return JSON.stringify({ ok: true, entities: data.entities.map(entityJson), next: data.next });
}

/** An entity with exactly entitySchema's keys, in its order. */
function entityJson(e: Entity) {
  return {
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
  };
}
