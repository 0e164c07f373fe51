import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlueprintDefinition, SearchQuery, SearchRule } from '@portolan/contract';
import { applyBlueprints } from '../../src/seed/load-examples.ts';
import { buildSearchText } from '../../src/modules/entities/search-text.ts';
import { loadAllBlueprints } from '../../src/modules/entities/blueprint-loader.ts';
import { resolveQuery } from '../../src/modules/search/query-model.ts';
import { compareKeys, evaluator, matchesText, rankOf, type MemoryCatalog, type MemoryEntity } from '../../src/modules/search/query-evaluator.ts';
import { SYSTEM_ACTOR_ID } from '../../src/modules/request-context.ts';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';

// The SQL the compiler writes must select, order and page exactly like the in-memory evaluator of
// the same language, for random catalogs and random queries, on real PostgreSQL.

const WORDS = ['abc', 'Abc', 'ab', 'foo', 'bar', 'x'];
const STRINGS = ['', 'a', 'A', 'ab', 'abc', 'Abc', 'x%y', 'x_y', 'xay', 'a\\b', 'foo bar', 'bar', 'BAR'];
const NUMBERS = [-1, 0, 1, 1.5, 2, 100];
const TAGS = ['t1', 't2', 'T1', 'x'];
const TEAMS = ['t1', 't2', 'T1'];
const DATES = ['2021-01-01T00:00:00.000Z', '2022-06-15T12:30:00.000Z', '2022-06-15T14:30:00+02:00', '2024-02-29T23:59:59.999Z', '2026-01-01T00:00:00.000Z'];
const STORED_DATES = [...DATES, 'soon', '2023-03-03'];
const MAX_ENTITIES = 24;

const thing: BlueprintDefinition = {
  identifier: 'Thing',
  title: 'Thing',
  schema: {
    properties: {
      s: { type: 'string' },
      n: { type: 'number' },
      b: { type: 'boolean' },
      tags: { type: 'array', items: { type: 'string' } },
      d: { type: 'string', format: 'date-time' },
      o: { type: 'object' },
    },
    required: [],
  },
  relations: { parent: { target: 'Thing', required: true, many: false }, links: { target: 'Thing', required: false, many: true } },
  mirrorProperties: {},
  calculationProperties: {},
  aggregationProperties: {},
} as BlueprintDefinition;
const group: BlueprintDefinition = {
  ...thing,
  identifier: 'Group',
  title: 'Group',
  schema: { properties: { s: { type: 'string' }, n: { type: 'number' } }, required: [] },
  relations: { member: { target: 'Thing', required: false, many: true } },
} as BlueprintDefinition;

let t: TestApp;
// The same catalog through an app whose index walk stops after 3 rows (search.repository
// findPage): with at most 24 entities the default walk always reaches the end of the scope, so
// this app is the one that takes the walk that stops short and the fallback after it.
let shortWalk: TestApp;
let blueprints: Map<string, BlueprintDefinition>;
beforeAll(async () => {
  t = await createTestApp();
  shortWalk = await createTestApp({ database: t, search: { walkRows: 3 } });
  await applyBlueprints(t.db, [thing, group], { id: SYSTEM_ACTOR_ID, requestId: null });
  blueprints = new Map([...(await loadAllBlueprints(t.db))].map(([k, v]) => [k, v.definition]));
});
afterAll(async () => {
  await shortWalk?.close();
  await t?.close();
});

// ---- random catalogs ------------------------------------------------------------------------

interface GenEntity {
  blueprint: 'Thing' | 'Group';
  title: string | null;
  team: string[];
  properties: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  parent: number | null;
  links: number[];
}

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
const genEntity: fc.Arbitrary<GenEntity> = fc.record({
  blueprint: fc.constantFrom('Thing', 'Thing', 'Group') as fc.Arbitrary<'Thing' | 'Group'>,
  title: fc.option(fc.constantFrom(...STRINGS, ...WORDS), { nil: null }),
  team: fc.subarray(TEAMS),
  properties: fc
    .record({
      s: optional(fc.constantFrom(...STRINGS)),
      n: optional(fc.constantFrom(...NUMBERS)),
      b: optional(fc.boolean()),
      tags: optional(fc.subarray(TAGS)),
      d: optional(fc.constantFrom(...STORED_DATES)),
      o: optional(fc.constantFrom({}, { k: 1 })),
    })
    .map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined))),
  createdAt: fc.constantFrom(...DATES),
  updatedAt: fc.constantFrom(...DATES),
  parent: fc.option(fc.nat(MAX_ENTITIES - 1), { nil: null }),
  links: fc.array(fc.nat(MAX_ENTITIES - 1), { maxLength: 3 }),
});
const identifierOf = (i: number) => `${WORDS[i % WORDS.length]}${i}`;

async function loadCatalog(gen: GenEntity[]): Promise<MemoryCatalog> {
  await sql`truncate entities, entity_relations`.execute(t.db);
  const entities: MemoryEntity[] = [];
  for (const [i, g] of gen.entries()) {
    const identifier = identifierOf(i);
    const row = await t.db
      .insertInto('entities')
      .values({
        blueprint: g.blueprint,
        identifier,
        title: g.title,
        team: g.team,
        properties: JSON.stringify(g.properties),
        relations: '{}',
        search_text: buildSearchText(identifier, g.title, g.properties),
        created_at: g.createdAt,
        created_by: 'test',
        updated_at: g.updatedAt,
        updated_by: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    entities.push({ id: row.id, blueprint: g.blueprint, identifier, title: g.title, team: g.team, properties: g.properties, createdAt: new Date(g.createdAt), updatedAt: new Date(g.updatedAt) });
  }
  const edges = new Map<string, { sourceId: string; relation: string; targetId: string }>();
  gen.forEach((g, i) => {
    const add = (relation: string, j: number) => {
      const target = entities[j];
      if (!target || target.blueprint !== 'Thing') return;
      const edge = { sourceId: entities[i]!.id, relation, targetId: target.id };
      edges.set(`${edge.sourceId}/${relation}/${edge.targetId}`, edge);
    };
    if (g.blueprint === 'Thing') {
      if (g.parent !== null) add('parent', g.parent);
      g.links.forEach((j) => add('links', j));
    } else g.links.forEach((j) => add('member', j));
  });
  if (edges.size > 0) await t.db.insertInto('entity_relations').values([...edges.values()].map((e) => ({ source_id: e.sourceId, relation: e.relation, target_id: e.targetId }))).execute();
  return { entities, edges: [...edges.values()] };
}

// ---- random queries -------------------------------------------------------------------------

const rule = (property: string, operator: string, value?: fc.Arbitrary<unknown>): fc.Arbitrary<SearchRule> =>
  value ? value.map((v) => ({ property, operator, value: v }) as SearchRule) : fc.constant({ property, operator } as SearchRule);
const str = fc.constantFrom(...STRINGS);
const num = fc.constantFrom(...NUMBERS);
const date = fc.constantFrom(...DATES);
const range = fc.record({ from: date, to: date });
const ident = fc.nat(MAX_ENTITIES - 1).map(identifierOf);

const genRule: fc.Arbitrary<SearchRule> = fc.oneof(
  fc.constantFrom('=', '!=').chain((op) => rule('s', op, fc.oneof(str, fc.constant(null)))),
  fc.constantFrom('contains', 'doesNotContains', 'beginsWith', 'endsWith', 'doesNotBeginsWith', 'doesNotEndsWith').chain((op) => rule('s', op, str)),
  fc.constantFrom('in', 'notIn').chain((op) => rule('s', op, fc.subarray(STRINGS))),
  fc.constantFrom('=', '!=', '>', '>=', '<', '<=').chain((op) => rule('n', op, num)),
  fc.constantFrom('in', 'notIn').chain((op) => rule('n', op, fc.subarray(NUMBERS))),
  fc.constantFrom('=', '!=').chain((op) => rule('b', op, fc.boolean())),
  fc.constantFrom('contains', 'doesNotContains').chain((op) => rule('tags', op, fc.constantFrom(...TAGS))),
  rule('tags', 'containsAny', fc.subarray(TAGS, { minLength: 1 })),
  rule('tags', '=', fc.subarray(TAGS)),
  fc.constantFrom('>', '>=', '<', '<=').chain((op) => rule('d', op, date)),
  fc.constantFrom('between', 'notBetween').chain((op) => rule('d', op, range)),
  rule('d', '=', fc.constantFrom(...STORED_DATES)),
  fc.tuple(fc.constantFrom('s', 'n', 'b', 'tags', 'd', 'o', '$title', '$team', '$identifier'), fc.constantFrom('isEmpty', 'isNotEmpty')).chain(([p, op]) => rule(p, op)),
  fc.constantFrom('=', '!=').chain((op) => rule('$identifier', op, ident)),
  rule('$identifier', 'in', fc.array(ident, { maxLength: 4 })),
  fc.constantFrom('contains', 'beginsWith', 'endsWith').chain((op) => rule('$identifier', op, fc.constantFrom(...WORDS, '1', 'b1'))),
  fc.constantFrom('=', '!=').chain((op) => rule('$title', op, fc.oneof(str, fc.constant(null)))),
  fc.constantFrom('contains', 'doesNotContains').chain((op) => rule('$title', op, str)),
  rule('$team', '=', fc.constantFrom(...TEAMS)),
  fc.constantFrom('containsAny', 'in', 'notIn').chain((op) => rule('$team', op, fc.subarray(TEAMS, { minLength: 1 }))),
  fc.constantFrom('=', 'in').chain((op) => rule('$blueprint', op, op === '=' ? fc.constantFrom('Thing', 'Group') : fc.subarray(['Thing', 'Group']))),
  fc.constantFrom('$createdAt', '$updatedAt').chain((p) => fc.oneof(fc.constantFrom('>', '>=', '<', '<=').chain((op) => rule(p, op, date)), rule(p, 'between', range))),
  fc.record({
    operator: fc.constant('relatedTo' as const),
    blueprint: fc.constant('Thing'),
    value: fc.oneof(ident, fc.array(ident, { minLength: 1, maxLength: 3 })),
    direction: fc.option(fc.constantFrom('upstream' as const, 'downstream' as const), { nil: undefined }),
    required: fc.option(fc.boolean(), { nil: undefined }),
  }).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as SearchRule),
);

const genQuery: fc.Arbitrary<SearchQuery> = fc.letrec<{ q: SearchQuery; r: SearchRule }>((tie) => ({
  q: fc.record({ combinator: fc.constantFrom('and' as const, 'or' as const), rules: fc.array(tie('r'), { maxLength: 3 }) }),
  r: fc.oneof({ depthSize: 'small', withCrossShrink: true }, genRule, genRule, tie('q')),
})).q;

const SORTS = ['$identifier', '$title', '$blueprint', '$createdAt', '$updatedAt', 's', 'n', 'b'];
interface GenSearch {
  scoped: boolean;
  query: SearchQuery | undefined;
  search: string | undefined;
  sort: { property: string; order: 'asc' | 'desc' } | undefined;
  limit: number;
  shortWalk: boolean;
}
const genSearch: fc.Arbitrary<GenSearch> = fc.record({
  scoped: fc.boolean(),
  query: fc.option(genQuery, { nil: undefined }),
  search: fc.option(fc.constantFrom('a', 'ab', 'abc', 'ABC', 'x%y', 'bar', 'b1', 'x_'), { nil: undefined, freq: 3 }),
  sort: fc.option(fc.record({ property: fc.constantFrom(...SORTS), order: fc.constantFrom('asc' as const, 'desc' as const) }), { nil: undefined }),
  limit: fc.constantFrom(1, 3, 7, 1000),
  shortWalk: fc.boolean(),
});

// ---- the reference: filter, order and page in memory -----------------------------------------

function sortKey(e: MemoryEntity, property: string, text: string | null): unknown {
  switch (property) {
    case '$rank':
      return rankOf(e, text!);
    case '$identifier':
      return e.identifier;
    case '$title':
      return e.title ?? '';
    case '$blueprint':
      return e.blueprint;
    case '$createdAt':
      return e.createdAt.getTime();
    case '$updatedAt':
      return e.updatedAt.getTime();
    case 's':
      return (e.properties.s as string | undefined) ?? '';
    default:
      return e.properties[property] ?? null;
  }
}

function expected(catalog: MemoryCatalog, s: Omit<GenSearch, 'shortWalk'>): string[] {
  const scope = { blueprint: s.scoped ? 'Thing' : null, blueprints, now: new Date() };
  const test = evaluator(resolveQuery(s.query, scope), catalog);
  const text = s.search?.trim().toLowerCase() || null;
  const property = s.sort?.property ?? (text ? '$rank' : '$identifier');
  const dir = s.sort?.order === 'desc' ? -1 : 1;
  const cmpKey = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' ? a - b : compareKeys(a, b));
  return catalog.entities
    .filter((e) => (!s.scoped || e.blueprint === 'Thing') && test(e) && (text === null || matchesText(e, text)))
    .sort((a, b) => dir * (cmpKey(sortKey(a, property, text), sortKey(b, property, text)) || Number(BigInt(a.id) - BigInt(b.id))))
    .map((e) => `${e.blueprint}/${e.identifier}`);
}

async function actual(s: Omit<GenSearch, 'shortWalk'> & { shortWalk?: boolean }): Promise<string[]> {
  const out: string[] = [];
  let from: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await (s.shortWalk ? shortWalk : t).app.inject({
      method: 'POST',
      url: s.scoped ? '/v1/blueprints/Thing/entities/search' : '/v1/entities/search',
      payload: { query: s.query, search: s.search, sort: s.sort, limit: s.limit, from },
    });
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    const body = res.json() as { entities: { blueprint: string; identifier: string }[]; next: string | null };
    out.push(...body.entities.map((e) => `${e.blueprint}/${e.identifier}`));
    if (!body.next) return out;
    from = body.next;
  }
  throw new Error('more than 100 pages');
}

describe('query compiler vs in-memory evaluator', () => {
  it('selects, orders and pages the same entities', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(genEntity, { maxLength: MAX_ENTITIES }), fc.array(genSearch, { minLength: 12, maxLength: 12 }), async (gen, searches) => {
        const catalog = await loadCatalog(gen);
        for (const s of searches) expect(await actual(s)).toEqual(expected(catalog, s));
      }),
      { numRuns: 25 },
    );
  }, 60_000);

  it('finds a mismatch when the SQL is wrong (the oracle is not vacuous)', async () => {
    const catalog = await loadCatalog([
      { blueprint: 'Thing', title: 'Abc', team: [], properties: { s: 'abc', n: 2 }, createdAt: DATES[0]!, updatedAt: DATES[0]!, parent: null, links: [] },
      { blueprint: 'Thing', title: null, team: ['t1'], properties: { s: 'x%y' }, createdAt: DATES[1]!, updatedAt: DATES[1]!, parent: 0, links: [] },
    ]);
    const s = { scoped: true, query: { combinator: 'and' as const, rules: [{ property: 's', operator: 'contains', value: '%' }] }, search: undefined, sort: undefined, limit: 10 };
    expect(expected(catalog, s)).toEqual(['Thing/Abc1']);
    expect(await actual(s)).toEqual(['Thing/Abc1']);
    // A query whose answer differs per operator proves both sides look at the data.
    const gt = { ...s, query: { combinator: 'and' as const, rules: [{ property: 'n', operator: '>', value: 1 }] } };
    expect(await actual(gt)).toEqual(['Thing/abc0']);
  });
});
