import { sql, type RawBuilder } from 'kysely';

// The Entity document (what toEntity builds in Node) written by the database, in the two forms
// the server needs: jsonb for audit records, text in the schema's key order for answers.

/** A timestamp column as JavaScript's toISOString prints it (UTC, milliseconds). */
const isoTimestamp = (row: string, column: string) => sql`to_char(${sql.ref(`${row}.${column}`)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * An entity row (alias `row`) as its Entity document in jsonb, for audit records the upsert
 * writes itself: nothing is serialised in Node or sent twice over the wire.
 */
export function entityDocumentSql(row: string): RawBuilder<unknown> {
  const a = sql.ref(row);
  return sql`(jsonb_build_object('identifier', ${a}.identifier, 'title', ${a}.title, 'icon', ${a}.icon, 'blueprint', ${a}.blueprint,
      'team', to_jsonb(${a}.team), 'properties', ${a}.properties, 'relations', ${a}.relations,
      'createdAt', ${isoTimestamp(row, 'created_at')}, 'createdBy', ${a}.created_by, 'updatedAt', ${isoTimestamp(row, 'updated_at')}, 'updatedBy', ${a}.updated_by)
    || case when ${a}.location_id is null then '{}'::jsonb
         else jsonb_build_object('managedBy', jsonb_build_object('location', ${a}.location_id, 'url', coalesce(${a}.source_url, ''))) end
    || case when ${a}.orphaned_at is null then '{}'::jsonb else '{"orphaned": true}'::jsonb end)`;
}

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
  const iso = (name: string) => isoTimestamp(row, name);
  return sql<string>`(left((select row_to_json(d) from (select ${col('identifier')}, ${col('title')}, ${col('icon')}, ${col('blueprint')}, ${col('team')},
        ${properties} as properties, ${col('relations')}, ${iso('created_at')} as "createdAt", ${col('created_by')} as "createdBy",
        ${iso('updated_at')} as "updatedAt", ${col('updated_by')} as "updatedBy") d)::text, -1)
    || case when ${col('location_id')} is null then '' else ',"managedBy":' || json_build_object('location', ${col('location_id')}, 'url', coalesce(${col('source_url')}, ''))::text end
    || case when ${col('orphaned_at')} is null then '' else ',"orphaned":true' end
    || '}')`;
}
