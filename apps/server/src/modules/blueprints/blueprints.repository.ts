import { sql, type Kysely } from 'kysely';
import type { BlueprintRow, Database, NewBlueprintRow } from '../../db/schema.ts';

export async function findAllBlueprints(db: Kysely<Database>): Promise<BlueprintRow[]> {
  return db.selectFrom('blueprints').selectAll().orderBy('identifier').execute();
}

export async function findBlueprint(db: Kysely<Database>, identifier: string, opts: { forUpdate?: boolean; forShare?: boolean } = {}): Promise<BlueprintRow | undefined> {
  let q = db.selectFrom('blueprints').selectAll().where('identifier', '=', identifier);
  // Entity writes hold a share lock so a concurrent blueprint change cannot slip between
  // validating an entity and storing it; blueprint changes take the exclusive lock.
  if (opts.forUpdate) q = q.forUpdate();
  else if (opts.forShare) q = q.forShare();
  return q.executeTakeFirst();
}

export async function insertBlueprint(db: Kysely<Database>, row: NewBlueprintRow): Promise<BlueprintRow> {
  return db.insertInto('blueprints').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateBlueprint(db: Kysely<Database>, identifier: string, row: Omit<NewBlueprintRow, 'created_at' | 'created_by'>): Promise<BlueprintRow> {
  return db
    .updateTable('blueprints')
    .set({ ...row, version: sql`version + 1`, updated_at: sql`now()` })
    .where('identifier', '=', identifier)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteBlueprintRow(db: Kysely<Database>, identifier: string): Promise<void> {
  await db.deleteFrom('blueprints').where('identifier', '=', identifier).execute();
}

export async function countEntities(db: Kysely<Database>, blueprint: string): Promise<number> {
  const row = await db
    .selectFrom('entities')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('blueprint', '=', blueprint)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Entities of `blueprint` that have no value (absent or null) for `property`. */
export async function countEntitiesMissingProperty(db: Kysely<Database>, blueprint: string, property: string): Promise<number> {
  const row = await db
    .selectFrom('entities')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('blueprint', '=', blueprint)
    .where(sql<boolean>`coalesce(properties -> ${property}, 'null'::jsonb) = 'null'::jsonb`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Entities of `blueprint` that have a value for `property` (what a type change would orphan). */
export async function countEntitiesWithProperty(db: Kysely<Database>, blueprint: string, property: string): Promise<number> {
  const row = await db
    .selectFrom('entities')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('blueprint', '=', blueprint)
    .where(sql<boolean>`coalesce(properties -> ${property}, 'null'::jsonb) <> 'null'::jsonb`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countEdges(db: Kysely<Database>, blueprint: string, relation: string): Promise<number> {
  const row = await db
    .selectFrom('entity_relations as r')
    .innerJoin('entities as s', 's.id', 'r.source_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('s.blueprint', '=', blueprint)
    .where('r.relation', '=', relation)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Sources of `blueprint` with more than one target on `relation` (what many → single would break). */
export async function countEntitiesWithSeveralTargets(db: Kysely<Database>, blueprint: string, relation: string): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('entity_relations as r')
        .innerJoin('entities as s', 's.id', 'r.source_id')
        .select('r.source_id')
        .where('s.blueprint', '=', blueprint)
        .where('r.relation', '=', relation)
        .groupBy('r.source_id')
        .having((h) => h.fn.countAll(), '>', 1)
        .as('x'),
    )
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Entities of `blueprint` with no target on `relation`. */
export async function countEntitiesWithoutRelation(db: Kysely<Database>, blueprint: string, relation: string): Promise<number> {
  const row = await db
    .selectFrom('entities as e')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('e.blueprint', '=', blueprint)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('entity_relations as r').select('r.source_id').whereRef('r.source_id', '=', 'e.id').where('r.relation', '=', relation))),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// The stored-data migrations below move each changed entity's version on: its document changed, so
// the ETag a client holds from before must no longer match (If-Match). The blueprint change that
// causes them is the audited write.
const nextVersion = sql<number>`version + 1`;

/** Strip removed properties and relations from the stored entities that have them, and their edges. */
export async function stripEntityFields(db: Kysely<Database>, blueprint: string, properties: string[], relations: string[]): Promise<void> {
  if (properties.length === 0 && relations.length === 0) return;
  await db
    .updateTable('entities')
    .set({
      properties: sql`properties - ${sql.val(properties)}::text[]`,
      relations: sql`relations - ${sql.val(relations)}::text[]`,
      version: nextVersion,
    })
    .where('blueprint', '=', blueprint)
    .where(sql<boolean>`(properties ?| ${sql.val(properties)}::text[] or relations ?| ${sql.val(relations)}::text[])`)
    .execute();
  if (relations.length > 0) {
    await db
      .deleteFrom('entity_relations')
      .where('relation', 'in', relations)
      .where('source_id', 'in', (eb) => eb.selectFrom('entities').select('id').where('blueprint', '=', blueprint))
      .execute();
  }
}

/** single → many: wrap stored values in arrays so the stored shape matches the new definition. */
export async function convertRelationToMany(db: Kysely<Database>, blueprint: string, relation: string): Promise<void> {
  await db
    .updateTable('entities')
    .set({
      relations: sql`jsonb_set(relations, ${sql.val([relation])}::text[],
        case when jsonb_typeof(relations -> ${relation}) = 'string' then jsonb_build_array(relations -> ${relation}) else '[]'::jsonb end)`,
      version: nextVersion,
    })
    .where('blueprint', '=', blueprint)
    .where(sql<boolean>`relations ? ${relation}`)
    .execute();
}

/** many → single (only when no entity has several targets): unwrap stored arrays. */
export async function convertRelationToSingle(db: Kysely<Database>, blueprint: string, relation: string): Promise<void> {
  await db
    .updateTable('entities')
    .set({
      relations: sql`jsonb_set(relations, ${sql.val([relation])}::text[], coalesce(relations -> ${relation} -> 0, 'null'::jsonb))`,
      version: nextVersion,
    })
    .where('blueprint', '=', blueprint)
    .where(sql<boolean>`relations ? ${relation}`)
    .execute();
}

/** Fill a default into entities that lack a value for a property that became required. */
export async function fillPropertyDefault(db: Kysely<Database>, blueprint: string, property: string, value: unknown): Promise<void> {
  await db
    .updateTable('entities')
    .set({ properties: sql`jsonb_set(properties, ${sql.val([property])}::text[], ${JSON.stringify(value)}::jsonb)`, version: nextVersion })
    .where('blueprint', '=', blueprint)
    .where(sql<boolean>`coalesce(properties -> ${property}, 'null'::jsonb) = 'null'::jsonb`)
    .execute();
}

export async function deleteAllEntitiesOf(db: Kysely<Database>, blueprint: string): Promise<number> {
  const res = await db.deleteFrom('entities').where('blueprint', '=', blueprint).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Values of one property, keyset-paged by id, for re-validating them against a narrowed definition. */
export async function findPropertyValues(db: Kysely<Database>, blueprint: string, property: string, afterId: string, limit: number): Promise<{ id: string; identifier: string; value: unknown }[]> {
  return db
    .selectFrom('entities')
    .select(['id', 'identifier', sql<unknown>`properties -> ${property}`.as('value')])
    .where('blueprint', '=', blueprint)
    .where('id', '>', afterId)
    .where(sql<boolean>`coalesce(properties -> ${property}, 'null'::jsonb) <> 'null'::jsonb`)
    .orderBy('id')
    .limit(limit)
    .execute();
}
