import { sql, type Kysely } from 'kysely';

// Catalog core: blueprints, entities, the relation edge table and the audit log.
// Frozen once landed: change the schema with a new migration.

export async function up(db: Kysely<any>): Promise<void> {
  // Trigram indexes power substring search on identifiers, titles and string properties.
  await sql`create extension if not exists pg_trgm`.execute(db);

  await db.schema
    .createTable('blueprints')
    .addColumn('identifier', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('icon', 'text')
    .addColumn('description', 'text')
    // json, not jsonb: definitions keep the key order the platform team wrote (it is the column
    // and form order in the UI), and nothing queries inside them with indexes.
    .addColumn('schema', 'json', (c) => c.notNull())
    .addColumn('relations', 'json', (c) => c.notNull().defaultTo(sql`'{}'::json`))
    .addColumn('mirror_properties', 'json', (c) => c.notNull().defaultTo(sql`'{}'::json`))
    .addColumn('calculation_properties', 'json', (c) => c.notNull().defaultTo(sql`'{}'::json`))
    .addColumn('aggregation_properties', 'json', (c) => c.notNull().defaultTo(sql`'{}'::json`))
    .addColumn('ownership', 'jsonb')
    // Bumped on every change; entity validators are cached per (identifier, version).
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('entities')
    // A surrogate key keeps the edge table narrow and lets identifiers be renamed.
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('blueprint', 'text', (c) => c.notNull().references('blueprints.identifier').onUpdate('cascade'))
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('icon', 'text')
    .addColumn('team', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('properties', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // Denormalised copy of the entity's outgoing relations ({name: id | id[] | null}) so a read
    // needs no join; entity_relations is the indexed truth for queries and integrity.
    .addColumn('relations', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // Lower-cased identifier, title and string property values, for trigram substring search.
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('entities_blueprint_identifier_key', ['blueprint', 'identifier'])
    .execute();

  await sql`create index entities_properties_gin on entities using gin (properties jsonb_path_ops)`.execute(db);
  await sql`create index entities_team_gin on entities using gin (team)`.execute(db);
  await sql`create index entities_search_trgm on entities using gin (search_text gin_trgm_ops)`.execute(db);
  // Keyset pagination and "recently changed" lists.
  await sql`create index entities_blueprint_updated on entities (blueprint, updated_at desc, id desc)`.execute(db);
  await sql`create index entities_updated on entities (updated_at desc, id desc)`.execute(db);

  await db.schema
    .createTable('entity_relations')
    .addColumn('source_id', 'bigint', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('target_id', 'bigint', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('entity_relations_pkey', ['source_id', 'relation', 'target_id'])
    .execute();
  // Both directions are indexed: the primary key serves "what does X point to", this one "who points to X".
  await sql`create index entity_relations_target on entity_relations (target_id, relation, source_id)`.execute(db);

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('blueprint', 'text')
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .execute();
  // Small facts about this installation, e.g. when the example catalog was loaded.
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await sql`create index audit_log_resource on audit_log (resource_type, blueprint, resource_id, at desc)`.execute(db);
  await sql`create index audit_log_at on audit_log (at desc, id desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('settings').execute();
  await db.schema.dropTable('audit_log').execute();
  await db.schema.dropTable('entity_relations').execute();
  await db.schema.dropTable('entities').execute();
  await db.schema.dropTable('blueprints').execute();
  // pg_trgm is left installed: other objects in the database may use it.
}
