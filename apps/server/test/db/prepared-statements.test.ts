import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, MAX_PREPARED_PER_CONNECTION, PREPARED, type Db } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { findEntitiesForRead } from '../../src/modules/entities/entities.repository.ts';
import { SearchService } from '../../src/modules/search/search.service.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test-support/test-database.ts';
import { loadExamples } from '../../../../test-support/test-app.ts';

// Statements marked PREPARED are parsed and planned once per connection (database.ts). Two things
// must hold for that to be safe: a connection never holds more than a bounded number of them
// (search statements vary with the query's shape), and a prepared search walk keeps its plan (the
// order's index) when PostgreSQL switches it to a generic plan, planned without the values.

let database: TestDatabase;
let oneConnection: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  await loadExamples(database);
  await sql`insert into entities (blueprint, identifier, title, properties, created_by, updated_by)
    select 'Component', 'walk-' || g, 'walk ' || g,
      jsonb_build_object('lifecycle', (array['production', 'experimental', 'deprecated'])[g % 3 + 1], 'language', (array['Go', 'Rust', 'Java', 'Python'])[g % 4 + 1]),
      'test', 'test'
    from generate_series(1, 20000) g`.execute(database.db);
  await sql`analyze entities`.execute(database.db);
  oneConnection = createDatabase({ connectionString: database.url, maxConnections: 1 }).db;
});

afterAll(async () => {
  await oneConnection?.destroy();
  await database?.drop();
});

const preparedCount = async (db: Db) => (await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(db)).rows[0]!.n;

describe('prepared statements', () => {
  it(`a connection prepares at most ${MAX_PREPARED_PER_CONNECTION} statements; texts past that still run, unprepared`, async () => {
    const before = await preparedCount(oneConnection);
    const texts = Array.from({ length: MAX_PREPARED_PER_CONNECTION + 20 }, (_, i) => `${PREPARED}select ${i}::int as n, 'cap test' as t`);
    for (const [i, text] of texts.entries()) {
      const { rows } = await sql.raw<{ n: number }>(text).execute(oneConnection);
      expect(rows).toEqual([{ n: i, t: 'cap test' }]);
    }
    expect(await preparedCount(oneConnection)).toBe(MAX_PREPARED_PER_CONNECTION);
    // The ones prepared first are still named and answer; the ones past the cap answer too.
    const again = await sql.raw<{ n: number }>(texts[0]!).execute(oneConnection);
    const past = await sql.raw<{ n: number }>(texts.at(-1)!).execute(oneConnection);
    expect([again.rows[0]!.n, past.rows[0]!.n]).toEqual([0, texts.length - 1]);
    expect(await preparedCount(oneConnection)).toBe(MAX_PREPARED_PER_CONNECTION);
    expect(before).toBeLessThan(MAX_PREPARED_PER_CONNECTION);
  });

  describe('search page walks', () => {
    let captured: CompiledQuery[];
    let capturing: Kysely<Database>;
    let pool: pg.Pool;

    beforeAll(() => {
      pool = new pg.Pool({ connectionString: database.url, max: 1 });
      captured = [];
      capturing = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: (event) => void captured.push(event.query) });
    });
    afterAll(async () => {
      await capturing?.destroy();
    });

    const production = { combinator: 'and' as const, rules: [{ property: 'lifecycle', operator: '=' as const, value: 'production' }] };
    const shapes = [
      { name: 'by title', body: { query: production, sort: { property: '$title', order: 'asc' as const }, limit: 50 }, index: 'entities_search_bp_title' },
      { name: 'by identifier, descending', body: { query: production, sort: { property: '$identifier', order: 'desc' as const }, limit: 20 }, index: 'entities_search_bp_identifier' },
    ];

    it('run as prepared statements on the server', async () => {
      const { db } = createDatabase({ connectionString: database.url, maxConnections: 1 });
      try {
        const search = new SearchService(db);
        const page = JSON.parse(await search.searchJson('Component', shapes[0]!.body)) as { entities: { title: string }[] };
        expect(page.entities).toHaveLength(50);
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where statement like '%walk_key%'`.execute(db);
        expect(rows[0]!.n).toBe(1);
      } finally {
        await db.destroy();
      }
    });

    for (const shape of shapes) {
      it(`keep walking the order's index under a generic plan (${shape.name}, first page and after a cursor)`, async () => {
        const search = new SearchService(capturing);
        const first = JSON.parse(await search.searchJson('Component', shape.body)) as { next: string };
        await search.searchJson('Component', { ...shape.body, from: first.next });
        const walks = captured.filter((q) => q.sql.includes('walk_key')).slice(-2);
        expect(walks).toHaveLength(2);
        const client = await pool.connect();
        try {
          await client.query('set plan_cache_mode = force_generic_plan');
          for (const walk of walks) {
            expect(walk.sql.startsWith(PREPARED)).toBe(true);
            await client.query(`prepare walk_under_test as ${walk.sql}`);
            const params = walk.parameters.map((p) => (typeof p === 'string' ? `'${p.replace(/'/g, "''")}'` : String(p)));
            const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`explain (format json) execute walk_under_test(${params.join(', ')})`);
            const nodes = flatten(rows[0]!['QUERY PLAN'][0].Plan);
            const entityScans = nodes.filter((n) => n['Relation Name'] === 'entities' && n['Index Name'] !== 'entities_pkey');
            expect(entityScans.map((n) => n['Index Name'])).toEqual([shape.index]);
            expect(nodes.some((n) => n['Node Type'] === 'Sort')).toBe(false);
            await client.query('deallocate walk_under_test');
          }
        } finally {
          await client.query('reset plan_cache_mode');
          client.release();
        }
      });
    }
  });

  it('the coalesced GET statement settles on its generic plan instead of planning every batch anew', async () => {
    // Batches of varying size, as concurrent GETs make them. Were the batch's size visible to the
    // planner, each batch's own plan would look cheaper than the generic one and PostgreSQL would
    // plan every execution again (as costly as running it).
    for (let i = 0; i < 12; i++) {
      const keys = Array.from({ length: 2 + (i % 5) }, (_, j) => ({ blueprint: 'Component', identifier: `walk-${1 + i * 10 + j}` }));
      const rows = await findEntitiesForRead(oneConnection, null, keys);
      expect([...rows.values()].map((r) => r.identifier).sort()).toEqual(keys.map((k) => k.identifier).sort());
    }
    const { rows } = await sql<{ generic_plans: number; custom_plans: number }>`select generic_plans::int, custom_plans::int from pg_prepared_statements
      where statement like '%from unnest(%$1::text[]%$2::text[]%) as k(blueprint, identifier)%'`.execute(oneConnection);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.generic_plans).toBeGreaterThanOrEqual(6);
    expect(rows[0]!.custom_plans).toBeLessThanOrEqual(6);
  });
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}
