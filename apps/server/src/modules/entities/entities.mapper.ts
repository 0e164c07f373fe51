import type { Entity } from '@portolan/contract';
import type { StoredEntityRow } from './entities.repository.ts';

export function toEntity(row: StoredEntityRow): Entity {
  return {
    identifier: row.identifier,
    title: row.title,
    icon: row.icon,
    blueprint: row.blueprint,
    team: row.team,
    properties: row.properties,
    relations: row.relations,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
    ...(row.location_id ? { managedBy: { location: row.location_id, url: row.source_url ?? '' } } : {}),
    ...(row.orphaned_at ? { orphaned: true } : {}),
  };
}

/** The strong ETag of an entity version; If-Match accepts it with or without quotes or W/. */
export function entityEtag(row: { version: number }): string {
  return `"${row.version}"`;
}

export function parseIfMatch(header: string | undefined): number | null | 'any' {
  if (header === undefined) return null;
  const value = header.trim();
  if (value === '*') return 'any';
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(value);
  return m ? Number(m[1]) : -1;
}
