import { sql, type Kysely } from 'kysely';

// Indexes for catalog search order and keyset pagination. Search pages are ordered by
// (key, id) with text keys in the "C" collation (byte order: the same on every server whatever
// its locale), so these indexes are built with that collation too; an index in the database's
// default collation cannot serve an ORDER BY … COLLATE "C". The id column makes each one
// serve the keyset condition `(key, id) > ($key, $id)` as a single range scan.
//
// Sorting on an arbitrary property has no index (one per property per blueprint cannot be created
// up front): the page is a top-N sort over the filtered rows, which the benchmark measures.

export async function up(db: Kysely<any>): Promise<void> {
  // Default order of a blueprint's search, and of "sort by identifier".
  await sql`create index entities_search_bp_identifier on entities (blueprint, (identifier collate "C"), id)`.execute(db);
  // Default order of the search over every blueprint.
  await sql`create index entities_search_identifier on entities ((identifier collate "C"), id)`.execute(db);
  // The catalog table's most common sort: by title (absent titles sort as '').
  await sql`create index entities_search_bp_title on entities (blueprint, (coalesce(title, '') collate "C"), id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists entities_search_bp_title`.execute(db);
  await sql`drop index if exists entities_search_identifier`.execute(db);
  await sql`drop index if exists entities_search_bp_identifier`.execute(db);
}
