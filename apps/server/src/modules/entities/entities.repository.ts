import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, EntityRow } from '../../db/schema.ts';
import { hasOwnPool, PREPARED, preparedRead } from '../../db/database.ts';
import { ReadCoalescer } from '../../db/read-coalescer.ts';
import { idArrayLiteral, textArrayLiteral } from '../../db/array-literal.ts';
import { entityDocumentSql } from './entity-document-sql.ts';

export type StoredEntityRow = Omit<EntityRow, 'search_text'>;

const entityColumns = [
  'id', 'blueprint', 'identifier', 'title', 'icon', 'team', 'properties', 'relations',
  'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'location_id', 'source_url', 'orphaned_at',
] as const;

/**
 * The blueprint of a lookup by (blueprint, identifier), as a one-row subquery (an InitPlan,
 * evaluated once) so the planner does not see its value. While a bulk load grows a blueprint
 * faster than autovacuum re-analyses the table, statistics from before it say the blueprint has no
 * rows; seeing the value, the planner then found every index that starts with `blueprint` as cheap
 * as the unique one, took the title index and filtered on identifier: a scan of the whole
 * blueprint per identifier (one 1,000-row batch took 157 s at 13,000 APIs in the 1M benchmark).
 * Without the value it plans for an average blueprint, and only the unique index finds one row.
 */
export function blueprintKey(blueprint: string): RawBuilder<string> {
  return sql<string>`(select ${blueprint}::text)`;
}

export async function findEntity(db: Kysely<Database>, blueprint: string, identifier: string, opts: { forUpdate?: boolean } = {}): Promise<StoredEntityRow | undefined> {
  let q = db.selectFrom('entities').select(entityColumns).where('blueprint', '=', blueprintKey(blueprint)).where('identifier', '=', identifier);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/**
 * The rows of `blueprint` among `identifiers`, one probe of the unique index per identifier (see
 * blueprintKey for why the blueprint is hidden from the planner). A lateral lookup rather than
 * `identifier = any(…)`, whose row estimate also comes from stale statistics during a bulk load.
 * LIMIT 1 keeps the subquery from being flattened into a join.
 */
function byIdentifiers(blueprint: string, identifiers: string[], columns: RawBuilder<unknown>, lock: RawBuilder<unknown>) {
  return sql`select e.* from unnest(${textArrayLiteral(identifiers)}::text[]) as i(identifier)
    cross join lateral (select ${columns} from entities where blueprint = ${blueprintKey(blueprint)} and identifier = i.identifier limit 1 ${lock}) e`;
}

export async function findEntities(db: Kysely<Database>, blueprint: string, identifiers: string[]): Promise<StoredEntityRow[]> {
  if (identifiers.length === 0) return [];
  const { rows } = await byIdentifiers(blueprint, identifiers, sql.raw(entityColumns.join(', ')), sql``).$castTo<StoredEntityRow>().execute(db);
  return rows;
}

/** What a write needs of a stored row: what it compares, merges, checks and replaces. */
export type ExistingEntity = Pick<StoredEntityRow, 'id' | 'identifier' | 'title' | 'icon' | 'team' | 'properties' | 'relations' | 'version' | 'location_id' | 'source_url'> & {
  orphaned: boolean;
};

/**
 * The rows a write replaces, locked unless `lock` is false (validation only). All of them come
 * back as one json array in one column, and only the columns a write uses: pg parses every field
 * of every row on its own (a slice of the packet, a parser call, a Date per timestamp), which for
 * the 1,000 rows of a bulk write re-sent unchanged cost more of the request's Node time than the
 * rows' JSON.
 */
export async function findEntitiesForWrite(db: Kysely<Database>, blueprint: string, identifiers: string[], opts: { lock: boolean }): Promise<ExistingEntity[]> {
  if (identifiers.length === 0) return [];
  // Locked in identifier order, the same in every transaction, so two concurrent bulk writes of
  // overlapping rows cannot deadlock. NO KEY UPDATE, not UPDATE: the upsert never changes the key.
  const ordered = opts.lock ? [...new Set(identifiers)].sort() : identifiers;
  const columns = sql`json_build_array(id::text, identifier, title, icon, team, properties, relations, version, location_id, source_url, orphaned_at is not null) as r`;
  const { rows } = await sql<{ rows: unknown[][] | null }>`select json_agg(e.r) as rows from (${byIdentifiers(blueprint, ordered, columns, opts.lock ? sql`for no key update` : sql``)}) e`.execute(db);
  return (rows[0]?.rows ?? []).map((r) => ({
    id: r[0] as string,
    identifier: r[1] as string,
    title: r[2] as string | null,
    icon: r[3] as string | null,
    team: r[4] as string[],
    properties: r[5] as Record<string, unknown>,
    relations: r[6] as StoredEntityRow['relations'],
    version: r[7] as number,
    location_id: r[8] as string | null,
    source_url: r[9] as string | null,
    orphaned: r[10] as boolean,
  }));
}

/** identifier → id for the entities of `blueprint` among `identifiers`. */
export async function resolveIds(db: Kysely<Database>, blueprint: string, identifiers: string[]): Promise<Map<string, string>> {
  if (identifiers.length === 0) return new Map();
  // One json row, not a row per entity: see upsertEntities.
  const { rows } = await sql<{ ids: [string, string][] | null }>`select json_agg(json_build_array(e.identifier, e.id::text)) as ids
    from (${byIdentifiers(blueprint, identifiers, sql`id, identifier`, sql``)}) e`.execute(db);
  return new Map(rows[0]?.ids ?? []);
}

/**
 * Edge writes and entity deletes are ordered by one advisory lock (see migration
 * 20261201000000_edge_integrity_by_statement): writers hold it shared, deletes exclusively.
 */
const EDGE_LOCK_KEY = 7033411234;

/** Before looking up the targets of new edges: no target can be deleted until this transaction ends. */
export async function lockForEdgeWrites(db: Kysely<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock_shared(${sql.lit(EDGE_LOCK_KEY)})`.execute(db);
}

/**
 * Before deleting entities: waits for edge writes in flight. Taken first in a delete transaction
 * (the delete trigger takes it too, for other paths) so it is never awaited while holding row
 * locks a writer may be waiting for.
 */
export async function lockForEntityDeletes(db: Kysely<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${sql.lit(EDGE_LOCK_KEY)})`.execute(db);
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
  /** Written by a location refresh: which location and file the entity comes from. */
  source?: { locationId: string; url: string };
  /** The stored row this write replaces (its id), if any: the audit record's "before". */
  existingId?: string;
  /** A rename: the identifier the audit record's "before" shows. */
  renamedFrom?: string;
}

/**
 * One multi-row upsert for a whole batch. The version bumps on update; `inserted` tells a new row
 * from an updated one (xmax is 0 only for a row this statement inserted).
 *
 * The batch travels as one jsonb parameter unpacked by jsonb_to_recordset rather than as ten bind
 * parameters per row: building and binding 10,000 parameters cost more than the insert itself.
 * Only what the database decides comes back (id, version, timestamps); the stored row is rebuilt
 * from what was sent, so a batch is not parsed back from JSON. It comes back as one json array in
 * one row: pg parses each column of each row on its own (a slice of the packet, a parser call, a
 * Date per timestamp), which for the 1,000 rows of a bulk write cost more Node time than the
 * validation of their bodies. Timestamps travel as whole epoch milliseconds, floored: the Date
 * pg would have made of the text (it drops the microseconds).
 *
 * The same statement records each write in audit_log as `audit.actor`, its before and after
 * documents built by the database from the row as it was (the statement's snapshot) and as it is
 * written: nothing is serialised twice in Node or sent twice over the wire.
 */
export async function upsertEntities(
  db: Kysely<Database>,
  rows: EntityWrite[],
  opts: { onConflict?: 'update' | 'error'; audit: { actor: string; requestId: string | null } },
): Promise<{ id: string; identifier: string; inserted: boolean; row: StoredEntityRow }[]> {
  if (rows.length === 0) return [];
  const payload = JSON.stringify(
    rows.map((r) => ({
      blueprint: r.blueprint,
      identifier: r.identifier,
      title: r.title,
      icon: r.icon,
      team: r.team,
      properties: r.properties,
      relations: r.relations,
      search_text: r.searchText,
      actor: r.actor,
      location_id: r.source?.locationId ?? null,
      source_url: r.source?.url ?? null,
      before_identifier: r.renamedFrom ?? null,
    })),
  );
  // 'error': a plain insert, so a concurrent create of the same identifier fails with a unique
  // violation (answered 409) instead of silently becoming an update.
  const onConflict =
    opts.onConflict === 'error'
      ? sql``
      : sql`on conflict (blueprint, identifier) do update set
      title = excluded.title, icon = excluded.icon, team = excluded.team, properties = excluded.properties,
      relations = excluded.relations, search_text = excluded.search_text, updated_by = excluded.updated_by,
      updated_at = now(), version = entities.version + 1,
      location_id = coalesce(excluded.location_id, entities.location_id),
      source_url = coalesce(excluded.source_url, entities.source_url),
      orphaned_at = case when excluded.location_id is not null then null else entities.orphaned_at end`;
  // The rows as they were, found by id (the caller read and locked them) and materialised, so the
  // join below hashes them: planned blind (jsonb_to_recordset estimates 100 rows), a join on the
  // table itself can turn into a scan or a per-row index probe that rechecks the whole id list.
  const existingIds = rows.flatMap((r) => (r.existingId ? [r.existingId] : []));
  const { rows: result } = await sql<{ written: WrittenTuple[] }>`with x as (
      select * from jsonb_to_recordset(${payload}::jsonb) as x(blueprint text, identifier text, title text, icon text, team text[],
        properties jsonb, relations jsonb, search_text text, actor text, location_id uuid, source_url text, before_identifier text)
    ), up as (
      insert into entities (blueprint, identifier, title, icon, team, properties, relations, search_text, created_by, updated_by, location_id, source_url)
      select x.blueprint, x.identifier, x.title, x.icon, coalesce(x.team, '{}'), x.properties, x.relations, x.search_text, x.actor, x.actor, x.location_id, x.source_url
      from x
      ${onConflict}
      returning entities.*, (xmax = 0) as inserted
    ), old as materialized (
      select e.* from entities e where e.id = any(${idArrayLiteral(existingIds)}::bigint[])
    ), audited as (
      insert into audit_log (actor, request_id, action, resource_type, resource_id, blueprint, before, after)
      select ${opts.audit.actor}::text, ${opts.audit.requestId}::text, case when old.id is null then 'create' else 'update' end,
        'entity', up.identifier, up.blueprint,
        case when old.id is null then null else ${entityDocumentSql('old')} || case when x.before_identifier is null then '{}'::jsonb else jsonb_build_object('identifier', x.before_identifier) end end,
        ${entityDocumentSql('up')}
      from up join x on x.blueprint = up.blueprint and x.identifier = up.identifier
      left join old on old.id = up.id
    )
    select coalesce(json_agg(json_build_array(id::text, blueprint, identifier, version, ${epochMs('created_at')}, created_by, ${epochMs('updated_at')},
      updated_by, location_id, source_url, ${epochMs('orphaned_at')}, inserted)), '[]') as written from up`.execute(db);
  const sent = new Map(rows.map((r) => [`${r.blueprint}\u0000${r.identifier}`, r]));
  return result[0]!.written.map(([id, blueprint, identifier, version, createdAt, createdBy, updatedAt, updatedBy, locationId, sourceUrl, orphanedAt, inserted]) => {
    const r = sent.get(`${blueprint}\u0000${identifier}`)!;
    const row: StoredEntityRow = {
      id,
      blueprint,
      identifier,
      title: r.title,
      icon: r.icon,
      team: r.team,
      properties: r.properties,
      relations: r.relations,
      version,
      created_at: new Date(createdAt),
      created_by: createdBy,
      updated_at: new Date(updatedAt),
      updated_by: updatedBy,
      location_id: locationId,
      source_url: sourceUrl,
      orphaned_at: orphanedAt === null ? null : new Date(orphanedAt),
    };
    return { id, identifier, inserted, row };
  });
}

/** What upsertEntities' statement answers per written row, in this order. */
type WrittenTuple = [
  id: string, blueprint: string, identifier: string, version: number, createdAt: number, createdBy: string, updatedAt: number,
  updatedBy: string, locationId: string | null, sourceUrl: string | null, orphanedAt: number | null, inserted: boolean,
];

/** A timestamp column as whole epoch milliseconds (floored, as pg's parse of its text drops the microseconds). */
const epochMs = (column: string) => sql`floor(extract(epoch from ${sql.ref(column)}) * 1000)`;

export async function renameEntity(db: Kysely<Database>, id: string, newIdentifier: string): Promise<void> {
  await db.updateTable('entities').set({ identifier: newIdentifier }).where('id', '=', id).execute();
}

/**
 * Replace the outgoing edges of `sourceIds` with `edges`, touching only the difference: edges that
 * stay are neither deleted nor re-inserted. `edges` may also come from rows the caller has just
 * inserted, left out of `sourceIds`: they have no stored edges to compare with, only to insert.
 *
 * Shaped so no plan can scan the edge table: the stored edges are read by one primary-key probe
 * per source (a lateral lookup; `source_id = any(…)` was planned as a sequential scan while a bulk
 * load outgrew the table's statistics) and deleted by their row addresses. No ON CONFLICT: the
 * sources are rows this transaction has written and so locked, so no one else can be inserting
 * their edges, and EXCEPT removes duplicates.
 */
export async function replaceEdges(db: Kysely<Database>, sourceIds: string[], edges: { source_id: string; relation: string; target_id: string }[]): Promise<void> {
  if (sourceIds.length === 0 && edges.length === 0) return;
  await sql`with wanted as materialized (
      select * from unnest(${idArrayLiteral(edges.map((e) => e.source_id))}::bigint[], ${textArrayLiteral(edges.map((e) => e.relation))}::text[],
        ${idArrayLiteral(edges.map((e) => e.target_id))}::bigint[]) as w(source_id, relation, target_id)
    ), stored as materialized (
      select r.* from unnest(${idArrayLiteral(sourceIds)}::bigint[]) as s(id)
      cross join lateral (select ctid as row_address, source_id, relation, target_id from entity_relations where source_id = s.id offset 0) r
    ), gone as (
      delete from entity_relations where ctid = any(array(
        select row_address from stored s
        where not exists (select 1 from wanted w where w.source_id = s.source_id and w.relation = s.relation and w.target_id = s.target_id)))
    )
    insert into entity_relations (source_id, relation, target_id)
    select * from wanted except select source_id, relation, target_id from stored`.execute(db);
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
 * Rewrites one relation's denormalised value in the entities `sourceIds` (they link to an entity
 * being renamed, `to` its new identifier, or deleted, `to` null: the identifier is removed and a
 * single relation becomes null). A change of the stored document like any other:
 * the version moves on (their ETag must not answer the old document), and each is audited with
 * its before and after documents in the same statement.
 */
async function rewriteRelationValues(
  db: Kysely<Database>,
  sourceIds: string[],
  relation: string,
  from: string,
  to: string | null,
  audit: { actor: string; requestId: string | null },
): Promise<void> {
  if (sourceIds.length === 0) return;
  const replacement = to === null ? sql`null` : sql`to_jsonb(${to}::text)`;
  const value = sql`case jsonb_typeof(e.relations -> ${relation})
      when 'array' then coalesce((select jsonb_agg(v) from (
          select case when x = to_jsonb(${from}::text) then ${replacement} else x end as v
          from jsonb_array_elements(e.relations -> ${relation}) as x) y where v is not null), '[]'::jsonb)
      else case when e.relations -> ${relation} = to_jsonb(${from}::text) then coalesce(${replacement}, 'null'::jsonb) else e.relations -> ${relation} end
    end`;
  // `old` reads the rows as the statement found them (every part of it sees the same snapshot).
  await sql`with old as materialized (
      select e.* from entities e where e.id = any(${sourceIds}::bigint[])
    ), up as (
      update entities e set relations = jsonb_set(e.relations, ${[relation]}::text[], ${value}),
        version = e.version + 1, updated_at = now(), updated_by = ${audit.actor}
      where e.id = any(${sourceIds}::bigint[])
      returning e.*
    )
    insert into audit_log (actor, request_id, action, resource_type, resource_id, blueprint, before, after)
    select ${audit.actor}::text, ${audit.requestId}::text, 'update', 'entity', up.identifier, up.blueprint, ${entityDocumentSql('old')}, ${entityDocumentSql('up')}
    from up join old on old.id = up.id`.execute(db);
}

/**
 * Rewrites the stored relation values behind `links` (source → target through relation) for
 * targets renamed or deleted: each target's old identifier (`from`, by target id) becomes `to`
 * (null: removed). One rewriteRelationValues per relation and target, for all its sources.
 */
export async function rewriteLinks(
  db: Kysely<Database>,
  links: { source_id: string; relation: string; target_id: string }[],
  from: ReadonlyMap<string, string>,
  to: string | null,
  audit: { actor: string; requestId: string | null },
): Promise<void> {
  const groups = new Map<string, { relation: string; target: string; sources: string[] }>();
  for (const l of links) {
    const key = `${l.relation}\u0000${l.target_id}`;
    const group = groups.get(key) ?? { relation: l.relation, target: from.get(l.target_id)!, sources: [] };
    group.sources.push(l.source_id);
    groups.set(key, group);
  }
  for (const g of groups.values()) await rewriteRelationValues(db, g.sources, g.relation, g.target, to, audit);
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

export type ReadRow = StoredEntityRow & { bp_version: number; bp_created_at: Date; mirrored: Record<string, unknown> | null };

/**
 * One entity for reading, in one statement: its row, its blueprint's version (so the caller can
 * tell whether its cached mirror SQL is current) and, given that SQL, its mirror values. Reads
 * asked for while another is in flight share a statement (see ReadCoalescer): under load, the
 * round trip costs PostgreSQL several times the lookup itself.
 */
export function findEntityForRead(db: Kysely<Database>, blueprint: string, identifier: string, mirrors: RawBuilder<unknown> | null): Promise<ReadRow | undefined> {
  // Inside a transaction (or with a Kysely not made by createDatabase): alone, on its connection.
  if (!hasOwnPool(db)) return findEntitiesForRead(db, mirrors, [{ blueprint, identifier }]).then((rows) => rows.values().next().value);
  let coalescer = readCoalescers.get(db);
  if (!coalescer) {
    coalescer = new ReadCoalescer<RawBuilder<unknown> | null, ReadKey, ReadRow>({
      keyOf: readKey,
      load: (group, keys) => findEntitiesForRead(db, group, keys),
      maxBatch: 200,
      copy: (row) => structuredClone(row),
    });
    readCoalescers.set(db, coalescer);
  }
  return coalescer.read(mirrors, { blueprint, identifier });
}

export type ReadKey = { blueprint: string; identifier: string };
const readKey = (k: ReadKey) => `${k.blueprint}\u0000${k.identifier}`;
const readCoalescers = new WeakMap<Kysely<Database>, ReadCoalescer<RawBuilder<unknown> | null, ReadKey, ReadRow>>();

/** findEntityForRead's rows for several keys (one statement), by blueprint and identifier. */
export async function findEntitiesForRead(db: Kysely<Database>, mirrors: RawBuilder<unknown> | null, keys: ReadKey[]): Promise<Map<string, ReadRow>> {
  const statements = readStatements(db, mirrors);
  const rows = keys.length === 1
    ? await preparedRead(db, statements.one, [keys[0]!.blueprint, keys[0]!.identifier])
    : await preparedRead(db, statements.many, [keys.map((k) => k.blueprint), keys.map((k) => k.identifier)]);
  const out = new Map<string, ReadRow>();
  for (const r of rows) {
    const doc = r[0] as unknown[];
    // Built here from array rows rather than by pg (see readStatements). V8 learns per allocation
    // site whether objects live long; pg's row objects come from one site every query shares, and
    // the rows of bulk writes live long, so after a large import it allocated every GET's row
    // straight into the old generation (slower young GCs, more full GCs). This literal is GET's own.
    const row = {
      id: doc[0], blueprint: doc[1], identifier: doc[2], title: doc[3], icon: doc[4], team: doc[5], properties: doc[6], relations: doc[7],
      version: doc[8], created_by: doc[9], updated_by: doc[10], location_id: doc[11], source_url: doc[12], mirrored: doc[13],
      created_at: r[1], updated_at: r[2], orphaned_at: r[3], bp_version: r[4], bp_created_at: r[5],
    } as ReadRow;
    out.set(readKey(row), row);
  }
  return out;
}

// The statement texts per mirror SQL, compiled once: the most frequent read of all should not pay
// for building and compiling a query on every call (and its name is looked up by this string).
// Mirror SQL holds only literals and identifiers, so the texts' only parameters are the keys:
// `one` takes a blueprint and an identifier, `many` an array of each.
const readStatementsByMirrors = new WeakMap<RawBuilder<unknown>, { one: string; many: string }>();
let readStatementsWithoutMirrors: { one: string; many: string } | undefined;

function readStatements(db: Kysely<Database>, mirrors: RawBuilder<unknown> | null): { one: string; many: string } {
  const cached = mirrors ? readStatementsByMirrors.get(mirrors) : readStatementsWithoutMirrors;
  if (cached !== undefined) return cached;
  // Prepared statements (PREPARED): their text only varies with the blueprint's mirror
  // definitions, so few distinct statements exist per connection.
  // The columns that JSON carries exactly (text, text[], jsonb, int, uuid) travel as one json
  // array: pg describes, allocates and parses every column of every row (RowDescription, field
  // objects, a parser call each), which for 19 columns cost more than one JSON.parse. Timestamps
  // stay columns so pg turns them into the same Dates as everywhere else.
  const select = sql`${sql.raw(PREPARED)}select json_build_array(e.id::text, e.blueprint, e.identifier, e.title, e.icon, e.team, e.properties, e.relations,
      e.version, e.created_by, e.updated_by, e.location_id, e.source_url, ${mirrors ?? sql`null`}) as doc,
      e.created_at, e.updated_at, e.orphaned_at, b.version as bp_version, b.created_at as bp_created_at`;
  const one = sql`${select}
    from entities e join blueprints b on b.identifier = e.blueprint
    where e.blueprint = ${blueprintKey('$blueprint')} and e.identifier = ${'$identifier'}`.compile(db);
  // One probe of the unique index per key (LIMIT 1 keeps the lookup from being flattened into a
  // join the planner could cost from stale statistics, as in byIdentifiers). The arrays are
  // hidden from the planner (one-row subqueries) so that it cannot tell a batch's size: seeing
  // it, PostgreSQL judged each batch's own plan cheaper than the prepared generic one and planned
  // every execution anew, which for a batch of 6 cost as much as running it (0.86 ms against
  // 0.40 ms per execution at 1M).
  const many = sql`${select}
    from unnest((select ${'$blueprints'}::text[]), (select ${'$identifiers'}::text[])) as k(blueprint, identifier)
    cross join lateral (select * from entities where blueprint = k.blueprint and identifier = k.identifier limit 1) e
    join blueprints b on b.identifier = e.blueprint`.compile(db);
  for (const c of [one, many]) if (c.parameters.length !== 2) throw new Error('mirror SQL must not bind parameters');
  const texts = { one: one.sql, many: many.sql };
  if (mirrors) readStatementsByMirrors.set(mirrors, texts);
  else readStatementsWithoutMirrors = texts;
  return texts;
}

/** A page of `listEntities` with mirror values. */
export async function listEntitiesForRead(db: Kysely<Database>, blueprint: string, limit: number, afterIdentifier: string | null, mirrors: RawBuilder<unknown> | null): Promise<(StoredEntityRow & { mirrored: Record<string, unknown> | null })[]> {
  let q = db
    .selectFrom('entities as e')
    .select(entityColumns.map((c) => `e.${c}` as const))
    .select((mirrors ?? sql`null`).$castTo<Record<string, unknown> | null>().as('mirrored'))
    .where('e.blueprint', '=', blueprint);
  if (afterIdentifier !== null) q = q.where('e.identifier', '>', afterIdentifier);
  return q.orderBy('e.identifier').limit(limit).execute();
}

/** Mirror values for rows already read (after a write). */
export async function mirrorValuesFor(db: Kysely<Database>, ids: string[], mirrors: RawBuilder<unknown>): Promise<Map<string, Record<string, unknown>>> {
  const rows = await db
    .selectFrom('entities as e')
    .select(['e.id', mirrors.$castTo<Record<string, unknown> | null>().as('mirrored')])
    .where('e.id', '=', sql<string>`any(${sql.val(ids)}::bigint[])`)
    .execute();
  return new Map(rows.filter((r) => r.mirrored).map((r) => [r.id, r.mirrored!]));
}
