import { sql, type Kysely, type RawBuilder } from 'kysely';
import { resolveMirrorPath } from '@portolan/catalog-model';
import type { BlueprintDefinition, Entity, FieldProblem, SearchQuery } from '@portolan/contract';
import type { Database } from '../../db/schema.ts';
import { InvalidError, NotFoundError } from '../../plugins/errors.ts';
import { loadAllBlueprintsChecked } from '../entities/blueprint-loader.ts';
import { toEntity } from '../entities/entities.mapper.ts';
import { serializeSearchResponse } from '../entities/entity-json.ts';
import { mirrorObjectSql } from '../entities/mirror-sql.ts';
import { compileQuery, compileTextSearch } from './query-compiler.ts';
import { QueryProblems, resolveField, resolveQuery, type QueryScope } from './query-model.ts';
import * as repo from './search.repository.ts';
import { decodeCursor, encodeCursor, resolveSort } from './search-sort.ts';

type Sql = RawBuilder<unknown>;

export interface SearchInput {
  query?: SearchQuery | undefined;
  search?: string | undefined;
  sort?: { property: string; order: 'asc' | 'desc' } | undefined;
  limit: number;
  from?: string | undefined;
  include?: string[] | undefined;
}

export interface FacetsInput {
  query?: SearchQuery | undefined;
  search?: string | undefined;
  properties: string[];
  limit: number;
}

export interface GraphInput {
  depth: number;
  direction: 'upstream' | 'downstream' | 'both';
  maxNodes: number;
}


export interface SearchOptions {
  /**
   * Rows an index walk looks at for a page before PostgreSQL plans it (repo.findPage). Default:
   * 20 times the page size, at least 1,000: enough for a filter that matches one row in 20, a few
   * milliseconds when it finds too few. Tests set it small so both ways are taken.
   */
  walkRows?: number;
}

export class SearchService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: SearchOptions = {},
  ) {}

  /** A page of entities matching a query: `blueprint` null searches every blueprint. */
  async search(blueprint: string | null, input: SearchInput): Promise<{ entities: Entity[]; next: string | null }> {
    const { scope, request } = await this.pageRequest(blueprint, input);
    const pick = this.projection(scope, input.include);
    const rows = await repo.findPage(this.db, request);
    return {
      entities: rows.slice(0, input.limit).map((row) => {
        const entity = toEntity(row);
        if (row.mirrored) Object.assign(entity.properties, row.mirrored);
        return pick ? pick(entity) : entity;
      }),
      next: nextCursor(request, rows, input.limit),
    };
  }

  /**
   * The search answer as JSON text, the entities written by the database (findPageDocuments).
   * With `include` the entities are projected in Node (search).
   */
  async searchJson(blueprint: string | null, input: SearchInput): Promise<string> {
    if (input.include) return serializeSearchResponse({ ok: true, ...(await this.search(blueprint, input)) });
    const { request } = await this.pageRequest(blueprint, input);
    const rows = await repo.findPageDocuments(this.db, request);
    const docs = rows.slice(0, input.limit).map((r) => r.doc);
    return `{"ok":true,"entities":[${docs.join(',')}],"next":${JSON.stringify(nextCursor(request, rows, input.limit))}}`;
  }

  /** The query, order, cursor position and mirrors of a page, one row more than asked (is there a next page?). */
  private async pageRequest(blueprint: string | null, input: SearchInput): Promise<{ scope: QueryScope; request: repo.PageRequest }> {
    const scope = await this.scope(blueprint);
    const text = normaliseText(input.search);
    const { scopeSql, filter } = this.conditions(scope, input.query, text);
    const plan = resolveSort(input.sort, scope, text);
    const after = input.from === undefined ? null : decodeCursor(input.from, plan);
    const limit = input.limit + 1;
    const indexed = plan.indexed === 'any' || (plan.indexed === 'blueprint' && scope.blueprint !== null);
    const walkRows = indexed && filter ? (this.options.walkRows ?? Math.max(1000, limit * 20)) : null;
    return { scope, request: { scope: scopeSql, filter, plan, after, limit, mirrors: this.mirrors(scope), walkRows } };
  }

  async facets(blueprint: string | null, input: FacetsInput): Promise<{ total: number; facets: Record<string, { value: string | number | boolean | null; count: number }[]> }> {
    const scope = await this.scope(blueprint);
    const { where } = this.conditions(scope, input.query, normaliseText(input.search));
    const problems: FieldProblem[] = [];
    const keys = input.properties.map((name, i): repo.FacetKey => {
      const field = resolveField(name, scope);
      const fail = (message: string) => {
        problems.push({ path: `properties.${i}`, message });
        return {};
      };
      if (typeof field === 'string') return fail(field);
      if (field.kind === 'meta') {
        switch (field.name) {
          case 'team':
            return { unnest: sql`unnest(e.team)` };
          case 'createdAt':
          case 'updatedAt':
            return fail(`$${field.name} has a distinct value per entity; filter it with between instead`);
          default:
            return { expr: sql.ref(`e.${field.name}`) };
        }
      }
      if (field.types.has('object')) return fail(`"${name}" is an object property; facets count scalar values`);
      const value = sql`(e.properties -> ${sql.lit(field.name)})`;
      if (field.types.has('array')) {
        return { unnest: sql`jsonb_array_elements(case when jsonb_typeof(${value}) = 'array' then ${value} else '[]'::jsonb end)` };
      }
      return { expr: value };
    });
    if (problems.length > 0) throw new InvalidError(`Invalid facets: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
    const { total, facets } = await repo.countFacets(this.db, where, keys, input.limit);
    return {
      total,
      facets: Object.fromEntries(input.properties.map((name, i) => [name, facets[i]!.map((f) => ({ value: toFacetValue(f.value), count: f.count }))])),
    };
  }

  async graph(blueprint: string, identifier: string, input: GraphInput) {
    const rootId = await repo.findEntityId(this.db, blueprint, identifier);
    if (!rootId) {
      const all = await loadAllBlueprintsChecked(this.db);
      if (!all.has(blueprint)) throw new NotFoundError(`Blueprint "${blueprint}" not found`);
      throw new NotFoundError(`Entity "${identifier}" of blueprint "${blueprint}" not found`);
    }
    const rows = await repo.findGraphNodes(this.db, rootId, input.direction, input.depth, input.maxNodes);
    const truncated = rows.length > input.maxNodes;
    const nodes = rows.slice(0, input.maxNodes);
    const nodeId = new Map(nodes.map((n) => [n.id, `${n.blueprint}/${n.identifier}`]));
    const edges = await repo.findEdgesAmong(this.db, [...nodeId.keys()]);
    return {
      root: { blueprint, identifier },
      nodes: nodes.map((n) => ({ blueprint: n.blueprint, identifier: n.identifier, title: n.title, icon: n.icon, depth: n.depth })),
      edges: edges.map((e) => ({ source: nodeId.get(e.source_id)!, target: nodeId.get(e.target_id)!, relation: e.relation })),
      truncated,
    };
  }

  private async scope(blueprint: string | null): Promise<QueryScope & { all: Map<string, BlueprintDefinition> }> {
    const loaded = await loadAllBlueprintsChecked(this.db);
    if (blueprint !== null && !loaded.has(blueprint)) throw new NotFoundError(`Blueprint "${blueprint}" not found`);
    const all = new Map([...loaded].map(([k, v]) => [k, v.definition]));
    return { blueprint, blueprints: all, all, now: new Date() };
  }

  /** The search's WHERE over `entities e`, and apart: the blueprint scope, and the filter (null: none). */
  private conditions(scope: QueryScope, query: SearchQuery | undefined, text: string | null): { where: Sql; scopeSql: Sql; filter: Sql | null } {
    let resolved;
    try {
      resolved = resolveQuery(query, scope);
    } catch (error) {
      if (error instanceof QueryProblems) throw new InvalidError(`Invalid query: ${error.message}`, error.problems);
      throw error;
    }
    const scopeSql = scope.blueprint !== null ? sql`e.blueprint = ${scope.blueprint}` : sql`true`;
    const parts: Sql[] = [];
    if (resolved.kind !== 'const' || !resolved.value) parts.push(compileQuery(resolved));
    if (text !== null) parts.push(compileTextSearch(text));
    const filter = parts.length > 0 ? sql.join(parts, sql` and `) : null;
    return { where: filter ? sql`${scopeSql} and ${filter}` : scopeSql, scopeSql, filter };
  }

  /**
   * Mirror properties of the page, resolved in SQL through the edge table: one correlated
   * subquery per mirror, evaluated for the page rows only.
   */
  private mirrors(scope: QueryScope): Sql | null {
    const defs = scope.blueprint === null ? [...scope.blueprints.values()] : [scope.blueprints.get(scope.blueprint)!];
    const perBlueprint: Sql[] = [];
    for (const def of defs) {
      const mirrors = mirrorObjectSql(def, scope.blueprints, 'p');
      if (mirrors) perBlueprint.push(sql`when ${sql.lit(def.identifier)} then ${mirrors}`);
    }
    if (perBlueprint.length === 0) return null;
    return sql`(case p.blueprint ${sql.join(perBlueprint, sql` `)} end)`;
  }

  /** Port's `include`: keep only the named properties and relations (meta fields always come). */
  private projection(scope: QueryScope, include: string[] | undefined): ((e: Entity) => Entity) | null {
    if (!include) return null;
    const defs = scope.blueprint === null ? [...scope.blueprints.values()] : [scope.blueprints.get(scope.blueprint)!];
    const problems: FieldProblem[] = [];
    include.forEach((name, i) => {
      if (name.startsWith('$')) return;
      const known = defs.some((d) => Object.hasOwn(d.schema.properties, name) || Object.hasOwn(d.relations, name) || Object.hasOwn(d.mirrorProperties, name));
      if (!known) problems.push({ path: `include.${i}`, message: `unknown property or relation "${name}"` });
    });
    if (problems.length > 0) throw new InvalidError(`Invalid include: ${problems.map((p) => p.message).join('; ')}`, problems);
    const keep = new Set(include);
    const only = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).filter(([k]) => keep.has(k)));
    return (e) => ({ ...e, properties: only(e.properties), relations: only(e.relations) });
  }
}

/** The cursor after a page's last row, if the query found more rows than the page holds. */
function nextCursor(request: repo.PageRequest, rows: { id: string; sort_key: unknown }[], limit: number): string | null {
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return last ? encodeCursor(request.plan, last.sort_key, last.id) : null;
}

function normaliseText(search: string | undefined): string | null {
  const t = search?.trim().toLowerCase();
  return t ? t : null;
}

function toFacetValue(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}
