import { sql } from 'kysely';
import type { Db } from '../apps/server/src/db/database.ts';

/**
 * A fingerprint of everything the catalog stores: comparing it before and after a refused request
 * proves the request wrote nothing (no row added, changed or removed, no audit entry).
 */
export async function catalogFingerprint(db: Db): Promise<string> {
  const { rows } = await sql<{ fp: string }>`
    select md5(concat_ws('|',
      (select coalesce(string_agg(md5(b::text), ',' order by identifier), '') from blueprints b),
      (select coalesce(string_agg(md5(e::text), ',' order by id), '') from entities e),
      (select coalesce(string_agg(md5(r::text), ',' order by source_id, relation, target_id), '') from entity_relations r),
      (select count(*)::text from audit_log)
    )) as fp`.execute(db);
  return rows[0]!.fp;
}

/** Every table of the portal (catalog, identity, secrets, audit): proves nothing at all was written. */
export async function databaseFingerprint(db: Db): Promise<string> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%' order by 1`.execute(db);
  const parts: string[] = [];
  for (const { table_name } of rows) {
    const r = await sql<{ fp: string }>`select coalesce(md5(string_agg(md5(t::text), ',' order by md5(t::text))), '') as fp from ${sql.table(table_name)} t`.execute(db);
    parts.push(`${table_name}:${r.rows[0]!.fp}`);
  }
  return parts.join('|');
}
