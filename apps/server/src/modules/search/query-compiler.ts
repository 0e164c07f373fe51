import { sql, type RawBuilder } from 'kysely';
import type { Field, Leaf, ResolvedQuery } from './query-model.ts';
import type { SortPlan } from './search-sort.ts';
import { blueprintKey } from '../entities/entities.repository.ts';

// Resolved query → SQL over `entities e`. Each operator is written so PostgreSQL can use an index:
// equality and membership become jsonb containment (GIN jsonb_path_ops on properties), $team
// becomes array containment/overlap (GIN on team), substring tests get a trigram prefilter on
// search_text (GIN gin_trgm_ops), relatedTo walks entity_relations through its two indexes.
// Property names reach SQL as literals only after resolveField found them in a blueprint schema,
// whose identifiers are limited to [A-Za-z0-9@_=\-]; values are always bound parameters.

type Sql = RawBuilder<unknown>;

const TRUE = sql`true`;
const FALSE = sql`false`;

const lit = (name: string) => sql.lit(name);
const jsonValue = (name: string) => sql`(e.properties -> ${lit(name)})`;
const textValue = (name: string) => sql`(e.properties ->> ${lit(name)})`;
const contains = (doc: unknown) => sql`e.properties @> ${JSON.stringify(doc)}::jsonb`;

const META_COLUMNS = {
  identifier: sql.ref('e.identifier'),
  title: sql.ref('e.title'),
  blueprint: sql.ref('e.blueprint'),
  team: sql.ref('e.team'),
  createdAt: sql.ref('e.created_at'),
  updatedAt: sql.ref('e.updated_at'),
} as const;

// Dates are stored as strings; only strings shaped like ISO 8601 are cast, so a stray value can
// never make the whole query fail.
const ISO_DATE = '^\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?([Zz]|[+-]\\d{2}(:?\\d{2})?)?$';

/** Escape LIKE metacharacters (backslash is PostgreSQL's default LIKE escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function likePattern(mode: 'contains' | 'prefix' | 'suffix', text: string): string {
  const t = escapeLike(text);
  return mode === 'contains' ? `%${t}%` : mode === 'prefix' ? `${t}%` : `%${t}`;
}

const joinWith = (parts: Sql[], op: 'and' | 'or'): Sql => {
  if (parts.length === 0) return op === 'and' ? TRUE : FALSE;
  if (parts.length === 1) return parts[0]!;
  return sql`(${sql.join(parts, sql.raw(` ${op} `))})`;
};

/**
 * search_text holds the lower-cased identifier, title and string properties, so a substring of
 * any of them is a substring of search_text: the trigram index narrows the rows, the exact test
 * runs on what is left. Trigrams need 3 characters; shorter patterns skip the prefilter.
 * (String properties are copied into search_text up to their first 2,000 characters.)
 */
function trigramPrefilter(text: string): Sql | null {
  return text.length >= 3 ? sql`e.search_text like ${likePattern('contains', text)}` : null;
}

function compileLike(value: Sql, leaf: Extract<Leaf, { op: 'like' }>, stringGuard: Sql | null): Sql {
  const parts: Sql[] = [];
  if (stringGuard) parts.push(stringGuard);
  const pre = trigramPrefilter(leaf.text);
  if (pre) parts.push(pre);
  parts.push(sql`lower(${value}) like ${likePattern(leaf.mode, leaf.text)}`);
  return joinWith(parts, 'and');
}

function compilePropLeaf(name: string, leaf: Leaf): Sql {
  const value = jsonValue(name);
  switch (leaf.op) {
    case 'eq':
      if (Array.isArray(leaf.value)) {
        // Containment finds candidates through the GIN index; equality then rules out supersets.
        const exact = sql`${value} = ${JSON.stringify(leaf.value)}::jsonb`;
        return leaf.value.length === 0 ? exact : sql`(${contains({ [name]: leaf.value })} and ${exact})`;
      }
      return contains({ [name]: leaf.value });
    case 'missing':
      return sql`(${value} is null or ${value} = 'null'::jsonb)`;
    case 'empty':
      return sql`(${value} is null or ${value} in ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb))`;
    case 'in':
      // One containment test per value: a BitmapOr of GIN scans (= ANY cannot use the index).
      return joinWith(leaf.values.map((v) => contains({ [name]: v })), 'or');
    case 'has':
      return joinWith(leaf.values.map((v) => contains({ [name]: [v] })), 'or');
    case 'cmp': {
      const op = sql.raw(leaf.cmp);
      if (leaf.date) {
        const cast = sql`(case when jsonb_typeof(${value}) = 'string' and ${textValue(name)} ~ ${sql.lit(ISO_DATE)} then ${textValue(name)}::timestamptz end)`;
        return sql`${cast} ${op} ${new Date(leaf.value).toISOString()}::timestamptz`;
      }
      return sql`(case when jsonb_typeof(${value}) = 'number' then ${textValue(name)}::numeric end) ${op} ${String(leaf.value)}::numeric`;
    }
    case 'like':
      return compileLike(textValue(name), leaf, sql`jsonb_typeof(${value}) = 'string'`);
  }
}

function compileMetaLeaf(name: Extract<Field, { kind: 'meta' }>['name'], leaf: Leaf): Sql {
  const col = META_COLUMNS[name];
  if (name === 'team') {
    switch (leaf.op) {
      case 'eq':
        return sql`${col} @> array[${String(leaf.value)}]::text[]`;
      case 'has':
        return leaf.values.length === 1 ? sql`${col} @> array[${String(leaf.values[0])}]::text[]` : sql`${col} && ${leaf.values.map(String)}::text[]`;
      case 'missing':
      case 'empty':
        return sql`cardinality(${col}) = 0`;
      default:
        throw new Error(`operator ${leaf.op} is not defined on $team`);
    }
  }
  if (name === 'createdAt' || name === 'updatedAt') {
    switch (leaf.op) {
      case 'cmp':
        return sql`${col} ${sql.raw(leaf.cmp)} ${new Date(leaf.value).toISOString()}::timestamptz`;
      case 'missing':
      case 'empty':
        return FALSE;
      default:
        throw new Error(`operator ${leaf.op} is not defined on $${name}`);
    }
  }
  // identifier, title, blueprint: text columns (only title can be null).
  switch (leaf.op) {
    case 'eq':
      return sql`${col} = ${String(leaf.value)}`;
    case 'in':
      return sql`${col} = any(${leaf.values.map(String)}::text[])`;
    case 'missing':
      return name === 'title' ? sql`${col} is null` : FALSE;
    case 'empty':
      return name === 'title' ? sql`coalesce(${col}, '') = ''` : FALSE;
    case 'like':
      return compileLike(name === 'title' ? sql`coalesce(${col}, '')` : col, leaf, null);
    default:
      throw new Error(`operator ${leaf.op} is not defined on $${name}`);
  }
}

function compileRelated(rule: Extract<ResolvedQuery, { kind: 'related' }>): Sql {
  const seeds = sql`select id from entities where blueprint = ${blueprintKey(rule.blueprint)} and identifier = any(${rule.identifiers}::text[])`;
  // UNION (not UNION ALL) keeps each entity once, which also ends the walk on cycles.
  const walk = (dir: 'upstream' | 'downstream') => {
    const [from, to] = dir === 'upstream' ? [sql.raw('source_id'), sql.raw('target_id')] : [sql.raw('target_id'), sql.raw('source_id')];
    const requiredOnly = rule.requiredOnly
      ? sql`and exists (select 1 from entities s where s.id = r.source_id and s.blueprint || '/' || r.relation = any(${rule.requiredRelations}::text[]))`
      : sql``;
    return sql`(with recursive reach(id) as (
        ${seeds}
        union
        select r.${to} from reach join entity_relations r on r.${from} = reach.id ${requiredOnly}
      ) select id from reach)`;
  };
  const sets = rule.direction === 'both' ? [walk('upstream'), walk('downstream')] : [walk(rule.direction)];
  // The given entities themselves are not "related to" themselves.
  return sql`(${joinWith(sets.map((s) => sql`e.id in ${s}`), 'or')} and e.id not in (${seeds}))`;
}

/** The WHERE condition of a resolved query, over `entities e`. */
export function compileQuery(q: ResolvedQuery): Sql {
  switch (q.kind) {
    case 'const':
      return q.value ? TRUE : FALSE;
    case 'group':
      return joinWith(q.rules.map(compileQuery), q.combinator);
    case 'not':
      // A test on an absent value may be NULL, which WHERE treats as false; coalesce makes NOT
      // its exact complement. Leaves stay bare elsewhere: a coalesce around `@>` hides it from
      // the index.
      return sql`not coalesce(${compileQuery(q.rule)}, false)`;
    case 'leaf':
      return q.field.kind === 'meta' ? compileMetaLeaf(q.field.name, q.leaf) : compilePropLeaf(q.field.name, q.leaf);
    case 'related':
      return compileRelated(q);
  }
}

/** Free text: a substring of search_text (trigram index). */
export function compileTextSearch(text: string): Sql {
  return sql`e.search_text like ${likePattern('contains', text)}`;
}

/**
 * Relevance of a free-text match, lower is better: 0 identifier or title equals the text,
 * 1 one of them starts with it, 2 one of them contains it, 3 only another property does.
 */
export function compileRank(text: string): Sql {
  const id = sql`lower(e.identifier)`;
  const title = sql`lower(coalesce(e.title, ''))`;
  const prefix = likePattern('prefix', text);
  const inner = likePattern('contains', text);
  return sql`(case when ${id} = ${text} or ${title} = ${text} then 0
    when ${id} like ${prefix} or ${title} like ${prefix} then 1
    when ${id} like ${inner} or ${title} like ${inner} then 2 else 3 end)`;
}

/** ORDER BY of a sort plan; the entity id breaks ties so the order is total. */
export function compileOrderBy(plan: SortPlan): Sql {
  const dir = sql.raw(plan.order);
  return sql`${plan.key} ${dir}, e.id ${dir}`;
}

/** Rows strictly after the cursor position (key, id) in the plan's order. */
export function compileKeyset(plan: SortPlan, after: { key: unknown; id: string }): Sql {
  const op = sql.raw(plan.order === 'asc' ? '>' : '<');
  let key: Sql;
  switch (plan.type) {
    case 'text':
      key = sql`${String(after.key)}::text collate "C"`;
      break;
    case 'jsonb':
      key = sql`${JSON.stringify(after.key)}::jsonb`;
      break;
    case 'timestamp':
      key = sql`${String(after.key)}::timestamptz`;
      break;
    case 'int':
      key = sql`${Number(after.key)}::int`;
      break;
  }
  return sql`(${plan.key}, e.id) ${op} (${key}, ${after.id}::bigint)`;
}
