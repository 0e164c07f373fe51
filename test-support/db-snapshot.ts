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
