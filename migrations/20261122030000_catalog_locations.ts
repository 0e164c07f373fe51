import { sql, type Kysely } from 'kysely';

// Catalog as code: registered locations (catalog files in Git) and where each entity came from.
// Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('locations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // The root file, e.g. https://github.com/org/repo/blob/main/catalog-info.yaml
    .addColumn('url', 'text', (c) => c.notNull().unique())
    // 'registered': added by a person; 'discovered': found by scanning an organization.
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('registered'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'ok', 'error')`))
    .addColumn('last_refreshed_at', 'timestamptz')
    .addColumn('last_error', 'text')
    // Problems of the last refresh (file, line, message) and the files it read.
    .addColumn('problems', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('files', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('entities').addColumn('location_id', 'uuid', (c) => c.references('locations.id').onDelete('set null')).execute();
  // The file (URL) the entity was read from, for "edit this file" links.
  await db.schema.alterTable('entities').addColumn('source_url', 'text').execute();
  // Set when the entity's file no longer declares it; cleared if it comes back.
  await db.schema.alterTable('entities').addColumn('orphaned_at', 'timestamptz').execute();
  await sql`create index entities_location on entities (location_id) where location_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists entities_location`.execute(db);
  await db.schema.alterTable('entities').dropColumn('orphaned_at').execute();
  await db.schema.alterTable('entities').dropColumn('source_url').execute();
  await db.schema.alterTable('entities').dropColumn('location_id').execute();
  await db.schema.dropTable('locations').execute();
}
