import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { PREPARED } from '../../db/database.ts';
import { blueprintKey, type StoredEntityRow } from '../entities/entities.repository.ts';
import { entityDocumentTextSql } from '../entities/entity-document-sql.ts';
import { compileKeyset, compileOrderBy } from './query-compiler.ts';
import type { SortPlan } from './search-sort.ts';

type Sql = RawBuilder<unknown>;

export interface SearchRow extends StoredEntityRow {
  sort_key: unknown;
  /** Mirror property values resolved for this page (null when the blueprint has none). */
  mirrored: Record<string, unknown> | null;
}

export interface PageRequest {
  /** The blueprint condition over `entities e` (`true` for every blueprint). */
  scope: Sql;
  /** The query and free text over `entities e`; null: every entity of the scope. */
  filter: Sql | null;
  plan: SortPlan;
  after: { key: unknown; id: string } | null;
  limit: number;
  /** jsonb of mirror values per row of the page, over `p` (the page row); null: none. */
  mirrors: Sql | null;
  /**
   * Set when the plan's order has an index for the scope and there is a filter: the page is
   * first looked for among this many rows of the scope in index order (see pageRows).
   */
  walkRows: number | null;
}

const COLUMNS = sql`e.id, e.blueprint, e.identifier, e.title, e.icon, e.team, e.properties, e.relations, e.version,
  e.created_at, e.created_by, e.updated_at, e.updated_by, e.location_id, e.source_url, e.orphaned_at`;

/** `and` the rows after the cursor, if there is one. */
const afterCursor = (req: PageRequest): Sql => (req.after ? sql`and ${compileKeyset(req.plan, req.after)}` : sql``);

/** The rows of one page in the plan's order, `limit` at most, with their sort keys. */
function pageSql(req: PageRequest): Sql {
  const filter = req.filter ? sql`and ${req.filter}` : sql``;
  return sql`select ${COLUMNS}, ${req.plan.select} as sort_key
    from entities e
    where ${req.scope} ${filter} ${afterCursor(req)}
    order by ${compileOrderBy(req.plan)}
    limit ${req.limit}`;
}

/**
 * The same page looked for among the next `rows` rows of the scope in index order only: the inner
 * query is an index scan that stops after that many rows, and the outer one keeps its order (it
 * sorts by the inner query's own key column), so it stops as soon as it has `limit` matches.
 */
function walkPageSql(req: PageRequest, rows: number, filter: Sql): Sql {
  const dir = sql.raw(req.plan.order);
  return sql`select ${COLUMNS}, e.sort_key
    from (select e.*, ${req.plan.key} as walk_key, ${req.plan.select} as sort_key
      from entities e
      where ${req.scope} ${afterCursor(req)}
      order by ${compileOrderBy(req.plan)}
      limit ${rows}) e
    where ${filter}
    order by e.walk_key ${dir}, e.id ${dir}
    limit ${req.limit}`;
}

/**
 * The rows of a page. PostgreSQL picks between walking the order's index with the filter (fast
 * when matches are common) and collecting every match through the other indexes, then sorting
 * (fast when they are rare), from its estimate of how many rows match. For jsonb containment that
 * estimate comes from a sample of whole documents and is often off, and near the crossover the
 * choice flips between runs, databases and ANALYZEs: the wrong one cost 4 to 6 times the right one
 * in the benchmark. So a walk of a bounded number of rows is tried first, which costs little when
 * it finds too few matches; only then does PostgreSQL plan the page. Both give the same rows: if
 * the first `limit` matches after the cursor lie within the walked rows, they are the page.
 */
async function pageRows<T>(db: Kysely<Database>, req: PageRequest, query: (page: Sql) => RawBuilder<T>): Promise<T[]> {
  if (req.walkRows !== null && req.filter) {
    // Prepared (see database.ts): its plan is the walk of the order's index whatever the values,
    // and planning it (mirror subqueries, the document) each time cost PostgreSQL about 550 µs of
    // a page's 4,500 (100k benchmark, alternating runs). The statement below stays unprepared:
    // its plan is chosen from the values.
    const { rows } = await sql<T>`${sql.raw(PREPARED)}${query(walkPageSql(req, req.walkRows, req.filter))}`.execute(db);
    if (rows.length === req.limit) return rows;
  }
  const { rows } = await query(pageSql(req)).execute(db);
  return rows;
}

/** One page in the plan's order, `limit` rows at most. */
export async function findPage(db: Kysely<Database>, req: PageRequest): Promise<SearchRow[]> {
  // Mirrors are read in an outer query so they are computed for the page only, not for every
  // candidate row the sort looked at.
  return pageRows(db, req, (page) => (req.mirrors ? sql<SearchRow>`select p.*, ${req.mirrors} as mirrored from (${page}) p` : sql<SearchRow>`select p.*, null as mirrored from (${page}) p`));
}

/** The same page with each entity as its API document, written by the database (entityDocumentTextSql). */
export async function findPageDocuments(db: Kysely<Database>, req: PageRequest): Promise<{ id: string; sort_key: unknown; doc: string }[]> {
  const properties = req.mirrors ? sql`coalesce(p.properties || ${req.mirrors}, p.properties)` : sql`p.properties`;
  return pageRows(db, req, (page) => sql<{ id: string; sort_key: unknown; doc: string }>`select p.id, p.sort_key, ${entityDocumentTextSql('p', properties)} as doc
    from (${page}) p`);
}

export interface FacetKey {
  /** Expression over `entities e` giving one value per entity (scalar facets). */
  expr?: Sql;
  /** Expression over `entities e` giving a set of values per entity (array facets, $team). */
  unnest?: Sql;
}

export interface FacetCount {
  value: unknown;
  count: number;
}

/**
 * Value counts of several facets and the total in one scan: GROUPING SETS computes every facet
 * from the same filtered rows, row_number keeps the top `limit` of each. Array facets (an entity
 * counts once per element) are separate queries run alongside.
 */
export async function countFacets(db: Kysely<Database>, where: Sql, keys: FacetKey[], limit: number): Promise<{ total: number; facets: FacetCount[][] }> {
  const scalar = keys.map((k, i) => ({ k, i })).filter(({ k }) => k.expr);
  const arrays = keys.map((k, i) => ({ k, i })).filter(({ k }) => k.unnest);
  const facets: FacetCount[][] = keys.map(() => []);
  let total = 0;

  const scalarQuery = async () => {
    const cols = scalar.map(({ k }, j) => sql`${k.expr!} as ${sql.ref(`k${j}`)}`);
    const names = scalar.map((_, j) => sql.ref(`k${j}`));
    const groupings = scalar.map((_, j) => sql`grouping(${sql.ref(`k${j}`)}) as ${sql.ref(`g${j}`)}`);
    const sets = [...names.map((n) => sql`(${n})`), sql`()`];
    const select = cols.length > 0 ? sql`select ${sql.join(cols)} from entities e where ${where}` : sql`select from entities e where ${where}`;
    const grouped = cols.length > 0
      ? sql`select ${sql.join(groupings)}, ${sql.join(names)}, count(*)::int as n from s group by grouping sets (${sql.join(sets)})`
      : sql`select count(*)::int as n from s`;
    const partition = cols.length > 0 ? sql`partition by ${sql.join(scalar.map((_, j) => sql.ref(`g${j}`)))}` : sql``;
    const order = cols.length > 0 ? sql`order by n desc, ${sql.join(names)}` : sql`order by n desc`;
    const { rows } = await sql<Record<string, unknown>>`with s as (${select}), g as (${grouped})
      select * from (select g.*, row_number() over (${partition} ${order}) as rn from g) x where rn <= ${limit}`.execute(db);
    for (const row of rows) {
      const j = scalar.findIndex((_, jj) => row[`g${jj}`] === 0);
      if (j === -1) total = Number(row.n);
      else facets[scalar[j]!.i]!.push({ value: row[`k${j}`] ?? null, count: Number(row.n) });
    }
  };
  const arrayQuery = async ({ k, i }: { k: FacetKey; i: number }) => {
    const { rows } = await sql<{ v: unknown; n: number }>`select v, count(*)::int as n
      from entities e cross join lateral ${k.unnest!} as u(v)
      where ${where} group by v order by n desc, v limit ${limit}`.execute(db);
    facets[i] = rows.map((r) => ({ value: r.v, count: Number(r.n) }));
  };
  await Promise.all([scalarQuery(), ...arrays.map(arrayQuery)]);
  return { total, facets };
}

export interface GraphNodeRow {
  id: string;
  blueprint: string;
  identifier: string;
  title: string | null;
  icon: string | null;
  depth: number;
}

/**
 * The entities reachable from `rootId` within `depth` hops, following relations forwards
 * (upstream: what it depends on), backwards (downstream: what depends on it) or both walks, each
 * entity at its smallest depth, nearest first, `maxNodes` at most (+1 to tell truncation).
 */
export async function findGraphNodes(db: Kysely<Database>, rootId: string, direction: 'upstream' | 'downstream' | 'both', depth: number, maxNodes: number): Promise<GraphNodeRow[]> {
  const walk = (dir: 'upstream' | 'downstream') => {
    const [from, to] = dir === 'upstream' ? [sql.raw('source_id'), sql.raw('target_id')] : [sql.raw('target_id'), sql.raw('source_id')];
    // UNION drops a (node, depth) already found; the depth bound ends the walk on cycles.
    return sql`select id, d from (with recursive w(id, d) as (
        select ${rootId}::bigint, 0
        union
        select r.${to}, w.d + 1 from w join entity_relations r on r.${from} = w.id where w.d < ${depth}
      ) select id, d from w) ${sql.raw(dir)}`;
  };
  const walks = direction === 'both' ? sql`${walk('upstream')} union all ${walk('downstream')}` : walk(direction);
  const { rows } = await sql<GraphNodeRow>`select e.id, e.blueprint, e.identifier, e.title, e.icon, n.depth
    from (select id, min(d)::int as depth from (${walks}) a group by id order by depth, id limit ${maxNodes + 1}) n
    join entities e on e.id = n.id
    order by n.depth, e.id`.execute(db);
  return rows;
}

/** The relation edges among `ids` (the induced subgraph). */
export async function findEdgesAmong(db: Kysely<Database>, ids: string[]): Promise<{ source_id: string; relation: string; target_id: string }[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ source_id: string; relation: string; target_id: string }>`select source_id, relation, target_id
    from entity_relations
    where source_id = any(${ids}::bigint[]) and target_id = any(${ids}::bigint[])
    order by source_id, relation, target_id`.execute(db);
  return rows;
}

export async function findEntityId(db: Kysely<Database>, blueprint: string, identifier: string): Promise<string | undefined> {
  const row = await db.selectFrom('entities').select('id').where('blueprint', '=', blueprintKey(blueprint)).where('identifier', '=', identifier).executeTakeFirst();
  return row?.id;
}
