import { sql, type RawBuilder } from 'kysely';

/**
 * An entity row (alias `row`, with location_id, source_url and orphaned_at) as its API document,
 * the Entity JSON, written by the database as text: what toEntity and the serializers produce in
 * Node. For search pages, where parsing two jsonb documents and four timestamps per row only to
 * serialise them again was most of a page's cost in Node (+10-15% pages/s at 100k and 1M).
 * GET one entity does not use it: there the work moved to PostgreSQL cost as much as it saved in
 * Node, and PostgreSQL is the part of a deployment that does not scale out with replicas.
 *
 * - keys in the Entity schema's order (row_to_json keeps column order);
 * - `properties` is the given expression (the stored properties, or those with mirror values
 *   merged by jsonb `||`: a mirror replaces a stored property of the same name);
 * - timestamps as JavaScript's toISOString prints them (UTC, milliseconds);
 * - managedBy and orphaned only when set, as toEntity leaves them out.
 */
export function entityDocumentTextSql(row: string, properties: RawBuilder<unknown>): RawBuilder<string> {
  const col = (name: string) => sql.ref(`${row}.${name}`);
  const iso = (name: string) => sql`to_char(${col(name)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return sql<string>`(left((select row_to_json(d) from (select ${col('identifier')}, ${col('title')}, ${col('icon')}, ${col('blueprint')}, ${col('team')},
        ${properties} as properties, ${col('relations')}, ${iso('created_at')} as "createdAt", ${col('created_by')} as "createdBy",
        ${iso('updated_at')} as "updatedAt", ${col('updated_by')} as "updatedBy") d)::text, -1)
    || case when ${col('location_id')} is null then '' else ',"managedBy":' || json_build_object('location', ${col('location_id')}, 'url', coalesce(${col('source_url')}, ''))::text end
    || case when ${col('orphaned_at')} is null then '' else ',"orphaned":true' end
    || '}')`;
}
