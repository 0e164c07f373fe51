import { sql, type RawBuilder } from 'kysely';
import { InvalidError } from '../../plugins/errors.ts';
import { compileRank } from './query-compiler.ts';
import { resolveField, type QueryScope } from './query-model.ts';

// Sorting and keyset cursors. Every order is (key, id) so it is total, and a page continues with
// `(key, id) > (last key, last id)`: the cost of a page does not grow with its depth. Text keys use
// the "C" collation: byte order is the same on every server whatever its locale, and the indexes
// in 20261122000200_search_indexes are built with it.

export type SortKeyType = 'text' | 'jsonb' | 'timestamp' | 'int';

export interface SortPlan {
  /** What the client asked for ("$identifier", "language", "$rank" for relevance). */
  property: string;
  order: 'asc' | 'desc';
  type: SortKeyType;
  /** The ORDER BY expression over `entities e`. */
  key: RawBuilder<unknown>;
  /** The key as selected for the cursor (timestamps as ISO text: JS dates lose microseconds). */
  select: RawBuilder<unknown>;
  /**
   * Which index returns rows in this order (20261122000200_search_indexes and the catalog core's
   * updated_at indexes): 'any' for one blueprint and for all, 'blueprint' for one blueprint only.
   * A page in an indexed order can be found by walking the index (search.repository findPage).
   */
  indexed: 'any' | 'blueprint' | 'none';
}

export const RANK_SORT = '$rank';

function textKey(property: string, order: 'asc' | 'desc', expr: RawBuilder<unknown>, indexed: SortPlan['indexed'] = 'none'): SortPlan {
  const key = sql`(${expr} collate "C")`;
  return { property, order, type: 'text', key, select: key, indexed };
}

/**
 * The sort a search runs with: the one asked for, else relevance when there is free text, else
 * identifier order.
 */
export function resolveSort(sort: { property: string; order: 'asc' | 'desc' } | undefined, scope: QueryScope, text: string | null): SortPlan {
  if (!sort) {
    if (text !== null) {
      const rank = compileRank(text);
      return { property: RANK_SORT, order: 'asc', type: 'int', key: rank, select: rank, indexed: 'none' };
    }
    return textKey('$identifier', 'asc', sql`e.identifier`, 'any');
  }
  const { property, order } = sort;
  const problem = (message: string) => new InvalidError(`Cannot sort by "${property}": ${message}`, [{ path: 'sort.property', message }]);
  const field = resolveField(property, scope);
  if (typeof field === 'string') throw problem(field);
  if (field.kind === 'meta') {
    switch (field.name) {
      case 'identifier':
        return textKey(property, order, sql`e.identifier`, 'any');
      case 'title':
        return textKey(property, order, sql`coalesce(e.title, '')`, 'blueprint');
      case 'blueprint':
        return textKey(property, order, sql`e.blueprint`);
      case 'createdAt':
      case 'updatedAt': {
        const col = sql.ref(field.name === 'createdAt' ? 'e.created_at' : 'e.updated_at');
        // entities_blueprint_updated and entities_updated serve updatedAt; createdAt has no index.
        const indexed = field.name === 'updatedAt' ? 'any' : 'none';
        return { property, order, type: 'timestamp', key: col, select: sql`(to_json(${col}) #>> '{}')`, indexed };
      }
      case 'team':
        throw problem('$team holds several values; sort by a single-valued property');
    }
  }
  const types = [...field.types];
  if (types.every((t) => t === 'string')) return textKey(property, order, sql`coalesce(e.properties ->> ${sql.lit(field.name)}, '')`);
  if (types.every((t) => t === 'number' || t === 'boolean')) {
    // jsonb orders numbers numerically and false before true; an absent value sorts as JSON null, first.
    const key = sql`coalesce(e.properties -> ${sql.lit(field.name)}, 'null'::jsonb)`;
    return { property, order, type: 'jsonb', key, select: key, indexed: 'none' };
  }
  throw problem(`it is ${types.join(' and ')}; only string, number and boolean properties can be sorted on`);
}

interface CursorBody {
  /** Sort property and order the cursor belongs to. */
  p: string;
  o: 'asc' | 'desc';
  k: unknown;
  i: string;
}

export function encodeCursor(plan: SortPlan, key: unknown, id: string): string {
  return Buffer.from(JSON.stringify({ p: plan.property, o: plan.order, k: key, i: id } satisfies CursorBody)).toString('base64url');
}

export function decodeCursor(cursor: string, plan: SortPlan): { key: unknown; id: string } {
  const bad = (message: string) => new InvalidError(`Invalid cursor: ${message}`, [{ path: 'from', message }]);
  let body: Partial<CursorBody>;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorBody>;
  } catch {
    throw bad('is not a cursor this server issued');
  }
  if (typeof body !== 'object' || body === null || typeof body.i !== 'string' || !/^\d{1,19}$/.test(body.i) || !('k' in body)) {
    throw bad('is not a cursor this server issued');
  }
  if (body.p !== plan.property || body.o !== plan.order) {
    throw bad(`was issued for sort ${body.p} ${body.o}, not ${plan.property} ${plan.order}; send the same sort with the cursor`);
  }
  const k = body.k;
  const okType =
    plan.type === 'text' || plan.type === 'timestamp' ? typeof k === 'string' : plan.type === 'int' ? typeof k === 'number' : k === null || ['string', 'number', 'boolean'].includes(typeof k);
  if (!okType) throw bad('is not a cursor this server issued');
  return { key: k, id: body.i };
}
