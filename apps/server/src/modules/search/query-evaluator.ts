import { buildSearchText } from '../entities/search-text.ts';
import type { Field, Leaf, ResolvedQuery, Scalar } from './query-model.ts';

// The same language evaluated in memory, over plain objects. It is the reference the SQL compiler
// is tested against (property-based tests), and it can decide a condition on one entity without a
// round trip (e.g. an action's trigger condition).

export interface MemoryEntity {
  id: string;
  blueprint: string;
  identifier: string;
  title: string | null;
  team: string[];
  properties: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface MemoryEdge {
  sourceId: string;
  relation: string;
  targetId: string;
}

export interface MemoryCatalog {
  entities: readonly MemoryEntity[];
  edges: readonly MemoryEdge[];
}

/** A predicate for the entities of `catalog` (relatedTo needs the whole catalog). */
export function evaluator(q: ResolvedQuery, catalog: MemoryCatalog): (e: MemoryEntity) => boolean {
  const related = new Map<ResolvedQuery, Set<string>>();
  const byId = new Map(catalog.entities.map((e) => [e.id, e]));
  const reach = (rule: Extract<ResolvedQuery, { kind: 'related' }>): Set<string> => {
    let set = related.get(rule);
    if (set) return set;
    const seeds = catalog.entities.filter((e) => e.blueprint === rule.blueprint && rule.identifiers.includes(e.identifier)).map((e) => e.id);
    const required = new Set(rule.requiredRelations);
    const follows = (edge: MemoryEdge) => !rule.requiredOnly || required.has(`${byId.get(edge.sourceId)?.blueprint}/${edge.relation}`);
    set = new Set<string>();
    for (const dir of rule.direction === 'both' ? (['upstream', 'downstream'] as const) : [rule.direction]) {
      const seen = new Set(seeds);
      let frontier = [...seeds];
      while (frontier.length > 0) {
        const next: string[] = [];
        for (const edge of catalog.edges) {
          if (!follows(edge)) continue;
          const [from, to] = dir === 'upstream' ? [edge.sourceId, edge.targetId] : [edge.targetId, edge.sourceId];
          if (frontier.includes(from) && !seen.has(to)) {
            seen.add(to);
            next.push(to);
          }
        }
        frontier = next;
      }
      for (const id of seen) set.add(id);
    }
    for (const s of seeds) set.delete(s);
    related.set(rule, set);
    return set;
  };
  const test = (node: ResolvedQuery, e: MemoryEntity): boolean => {
    switch (node.kind) {
      case 'const':
        return node.value;
      case 'group':
        return node.combinator === 'and' ? node.rules.every((r) => test(r, e)) : node.rules.some((r) => test(r, e));
      case 'not':
        return !test(node.rule, e);
      case 'leaf':
        return testLeaf(node.field, node.leaf, e);
      case 'related':
        return reach(node).has(e.id);
    }
  };
  return (e) => test(q, e);
}

const isEmptyValue = (v: unknown) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function likeMatch(value: string, leaf: Extract<Leaf, { op: 'like' }>): boolean {
  const v = value.toLowerCase();
  return leaf.mode === 'contains' ? v.includes(leaf.text) : leaf.mode === 'prefix' ? v.startsWith(leaf.text) : v.endsWith(leaf.text);
}

function cmp(a: number, op: '>' | '>=' | '<' | '<=', b: number): boolean {
  return op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?$/;

function testLeaf(field: Field, leaf: Leaf, e: MemoryEntity): boolean {
  if (field.kind === 'meta') {
    switch (field.name) {
      case 'team':
        if (leaf.op === 'eq') return e.team.includes(String(leaf.value));
        if (leaf.op === 'has') return leaf.values.some((v) => e.team.includes(String(v)));
        if (leaf.op === 'missing' || leaf.op === 'empty') return e.team.length === 0;
        throw new Error(`operator ${leaf.op} is not defined on $team`);
      case 'createdAt':
      case 'updatedAt': {
        const t = (field.name === 'createdAt' ? e.createdAt : e.updatedAt).getTime();
        if (leaf.op === 'cmp') return cmp(t, leaf.cmp, leaf.value);
        if (leaf.op === 'missing' || leaf.op === 'empty') return false;
        throw new Error(`operator ${leaf.op} is not defined on $${field.name}`);
      }
      default: {
        const value = field.name === 'identifier' ? e.identifier : field.name === 'blueprint' ? e.blueprint : e.title;
        switch (leaf.op) {
          case 'eq':
            return value === leaf.value;
          case 'in':
            return value !== null && leaf.values.map(String).includes(value);
          case 'missing':
            return value === null;
          case 'empty':
            return value === null || value === '';
          case 'like':
            return likeMatch(value ?? '', leaf);
          default:
            throw new Error(`operator ${leaf.op} is not defined on $${field.name}`);
        }
      }
    }
  }
  const value = e.properties[field.name];
  switch (leaf.op) {
    case 'eq':
      return Array.isArray(leaf.value) ? jsonEqual(value, leaf.value) : value === leaf.value;
    case 'missing':
      return value === undefined || value === null;
    case 'empty':
      return isEmptyValue(value);
    case 'in':
      return leaf.values.some((v) => v === value);
    case 'has':
      return Array.isArray(value) && leaf.values.some((v) => value.some((x) => x === v));
    case 'cmp':
      if (leaf.date) {
        if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
        const t = Date.parse(value);
        return !Number.isNaN(t) && cmp(t, leaf.cmp, leaf.value);
      }
      return typeof value === 'number' && cmp(value, leaf.cmp, leaf.value);
    case 'like':
      return typeof value === 'string' && likeMatch(value, leaf);
  }
}

/** Free text, as the SQL matches it: a substring of the entity's search text. */
export function matchesText(e: MemoryEntity, text: string): boolean {
  return buildSearchText(e.identifier, e.title, e.properties).includes(text);
}

/** Relevance tier of a free-text match (see compileRank). */
export function rankOf(e: MemoryEntity, text: string): number {
  const id = e.identifier.toLowerCase();
  const title = (e.title ?? '').toLowerCase();
  if (id === text || title === text) return 0;
  if (id.startsWith(text) || title.startsWith(text)) return 1;
  if (id.includes(text) || title.includes(text)) return 2;
  return 3;
}

/** Sort key comparison as PostgreSQL orders the plan's key (byte order for text, jsonb order otherwise). */
export function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const ba = Buffer.from(a, 'utf8');
    const bb = Buffer.from(b, 'utf8');
    return Buffer.compare(ba, bb);
  }
  const rank = (v: unknown) => (v === null || v === undefined ? 0 : typeof v === 'string' ? 1 : typeof v === 'number' ? 2 : 3);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return 0;
}

export type { Scalar };
