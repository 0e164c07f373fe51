import { sql, type Kysely } from 'kysely';
import type { Database, EntityRow } from '../../db/schema.ts';

export type StoredEntityRow = Omit<EntityRow, 'search_text'>;

const entityColumns = [
  'id', 'blueprint', 'identifier', 'title', 'icon', 'team', 'properties', 'relations',
  'version', 'created_at', 'created_by', 'updated_at', 'updated_by',
] as const;

export async function findEntity(db: Kysely<Database>, blueprint: string, identifier: string, opts: { forUpdate?: boolean } = {}): Promise<StoredEntityRow | undefined> {
  let q = db.selectFrom('entities').select(entityColumns).where('blueprint', '=', blueprint).where('identifier', '=', identifier);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findEntities(db: Kysely<Database>, blueprint: string, identifiers: string[], opts: { forUpdate?: boolean } = {}): Promise<StoredEntityRow[]> {
  if (identifiers.length === 0) return [];
  let q = db
    .selectFrom('entities')
    .select(entityColumns)
    .where('blueprint', '=', blueprint)
    .where('identifier', '=', sql<string>`any(${sql.val(identifiers)}::text[])`);
  // Lock in a stable order so two concurrent bulk writes of overlapping rows cannot deadlock.
  if (opts.forUpdate) q = q.orderBy('id').forUpdate();
  return q.execute();
}

/** identifier → id for the entities of `blueprint` among `identifiers`. */
export async function resolveIds(db: Kysely<Database>, blueprint: string, identifiers: string[]): Promise<Map<string, string>> {
  if (identifiers.length === 0) return new Map();
  const rows = await db
    .selectFrom('entities')
    .select(['id', 'identifier'])
    .where('blueprint', '=', blueprint)
    .where('identifier', '=', sql<string>`any(${sql.val(identifiers)}::text[])`)
    .execute();
  return new Map(rows.map((r) => [r.identifier, r.id]));
}

export interface EntityWrite {
  blueprint: string;
  identifier: string;
  title: string | null;
  icon: string | null;
  team: string[];
  properties: Record<string, unknown>;
  relations: Record<string, string | string[] | null>;
  searchText: string;
  actor: string;
}

/**
 * One multi-row upsert for a whole batch. The version bumps on update; `inserted` tells a new row
 * from an updated one (xmax is 0 only for a row this statement inserted).
 */
export async function upsertEntities(
  db: Kysely<Database>,
  rows: EntityWrite[],
  opts: { onConflict: 'update' | 'error' } = { onConflict: 'update' },
): Promise<{ id: string; identifier: string; inserted: boolean; row: StoredEntityRow }[]> {
  if (rows.length === 0) return [];
  // 'error': a create must not turn into an update when a concurrent request inserted the same
  // identifier first; the unique violation surfaces as a 409.
  // Rows go in identifier order: two batches that overlap then take their row locks in the same
  // order, so they queue behind each other instead of deadlocking.
  const ordered = [...rows].sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
  const result = await db
    .insertInto('entities')
    .values(
      ordered.map((r) => ({
        blueprint: r.blueprint,
        identifier: r.identifier,
        title: r.title,
        icon: r.icon,
        team: r.team,
        properties: JSON.stringify(r.properties),
        relations: JSON.stringify(r.relations),
        search_text: r.searchText,
        created_by: r.actor,
        updated_by: r.actor,
      })),
    )
    .$if(opts.onConflict === 'update', (q) => q.onConflict((oc) =>
      oc.columns(['blueprint', 'identifier']).doUpdateSet((eb) => ({
        title: eb.ref('excluded.title'),
        icon: eb.ref('excluded.icon'),
        team: eb.ref('excluded.team'),
        properties: eb.ref('excluded.properties'),
        relations: eb.ref('excluded.relations'),
        search_text: eb.ref('excluded.search_text'),
        updated_by: eb.ref('excluded.updated_by'),
        updated_at: sql`now()`,
        version: sql`entities.version + 1`,
      })),
    ))
    .returning([...entityColumns, sql<boolean>`(xmax = 0)`.as('inserted')])
    .execute();
  return result.map(({ inserted, ...row }) => ({ id: row.id, identifier: row.identifier, inserted, row }));
}

export async function renameEntity(db: Kysely<Database>, id: string, newIdentifier: string): Promise<void> {
  await db.updateTable('entities').set({ identifier: newIdentifier }).where('id', '=', id).execute();
}

/** Replace the outgoing edges of `sourceIds` with `edges`. */
export async function replaceEdges(db: Kysely<Database>, sourceIds: string[], edges: { source_id: string; relation: string; target_id: string }[]): Promise<void> {
  if (sourceIds.length === 0) return;
  await db.deleteFrom('entity_relations').where('source_id', '=', sql<string>`any(${sql.val(sourceIds)}::bigint[])`).execute();
  // Chunked so a batch with many links stays under PostgreSQL's 65,535 bind parameters.
  for (let i = 0; i < edges.length; i += 10_000) {
    await db.insertInto('entity_relations').values(edges.slice(i, i + 10_000)).onConflict((oc) => oc.doNothing()).execute();
  }
}

export interface IncomingEdge {
  source_id: string;
  source_blueprint: string;
  source_identifier: string;
  relation: string;
  required: boolean;
}

/** Entities pointing at any of `targetIds`, with whether the relation they use is required. */
export async function findIncomingEdges(db: Kysely<Database>, targetIds: string[]): Promise<IncomingEdge[]> {
  if (targetIds.length === 0) return [];
  return db
    .selectFrom('entity_relations as r')
    .innerJoin('entities as s', 's.id', 'r.source_id')
    .innerJoin('blueprints as b', 'b.identifier', 's.blueprint')
    .select([
      'r.source_id',
      's.blueprint as source_blueprint',
      's.identifier as source_identifier',
      'r.relation',
      sql<boolean>`coalesce((b.relations -> r.relation ->> 'required')::boolean, false)`.as('required'),
    ])
    .where('r.target_id', '=', sql<string>`any(${sql.val(targetIds)}::bigint[])`)
    .where('r.source_id', '<>', sql<string>`all(${sql.val(targetIds)}::bigint[])`)
    .execute();
}

export async function findEntitiesByIds(db: Kysely<Database>, ids: string[]): Promise<StoredEntityRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('entities').select(entityColumns).where('id', '=', sql<string>`any(${sql.val(ids)}::bigint[])`).execute();
}

/** The edges from `sourceIds` to `targetIds`. */
export async function findEdgeTargets(db: Kysely<Database>, sourceIds: string[], targetIds: string[]): Promise<{ source_id: string; relation: string; target_id: string }[]> {
  if (sourceIds.length === 0 || targetIds.length === 0) return [];
  return db
    .selectFrom('entity_relations')
    .select(['source_id', 'relation', 'target_id'])
    .where('source_id', '=', sql<string>`any(${sql.val(sourceIds)}::bigint[])`)
    .where('target_id', '=', sql<string>`any(${sql.val(targetIds)}::bigint[])`)
    .execute();
}

export async function deleteEntitiesByIds(db: Kysely<Database>, ids: string[]): Promise<StoredEntityRow[]> {
  if (ids.length === 0) return [];
  return db.deleteFrom('entities').where('id', '=', sql<string>`any(${sql.val(ids)}::bigint[])`).returning(entityColumns).execute();
}

/**
 * Rewrite the denormalised relation values of the entities that point at a renamed or deleted
 * entity: `to` null removes the identifier (a single relation becomes null).
 */
export async function rewriteRelationValues(db: Kysely<Database>, sourceIds: string[], relation: string, from: string, to: string | null): Promise<void> {
  if (sourceIds.length === 0) return;
  const replacement = to === null ? sql`null` : sql`to_jsonb(${to}::text)`;
  await db
    .updateTable('entities')
    .set({
      relations: sql`jsonb_set(relations, ${sql.val([relation])}::text[],
        case jsonb_typeof(relations -> ${relation})
          when 'array' then coalesce((select jsonb_agg(v) from (
              select case when x = to_jsonb(${from}::text) then ${replacement} else x end as v
              from jsonb_array_elements(relations -> ${relation}) as x) y where v is not null), '[]'::jsonb)
          else case when relations -> ${relation} = to_jsonb(${from}::text) then coalesce(${replacement}, 'null'::jsonb) else relations -> ${relation} end
        end)`,
    })
    .where('id', '=', sql<string>`any(${sql.val(sourceIds)}::bigint[])`)
    .execute();
}

/** Identifier order, keyset-paginated: the unique (blueprint, identifier) index serves it. */
export async function listEntities(db: Kysely<Database>, blueprint: string, limit: number, afterIdentifier: string | null): Promise<StoredEntityRow[]> {
  let q = db.selectFrom('entities').select(entityColumns).where('blueprint', '=', blueprint);
  if (afterIdentifier !== null) q = q.where('identifier', '>', afterIdentifier);
  return q.orderBy('identifier').limit(limit).execute();
}

/** Stored value of `field` (a property or a meta-property) for each of `identifiers` in `blueprint`. */
export async function findEntitiesForMirror(db: Kysely<Database>, blueprint: string, identifiers: string[]): Promise<StoredEntityRow[]> {
  return findEntities(db, blueprint, identifiers);
}
