import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ examples: true });
});
afterAll(async () => t?.close());

const bulk = (entities: unknown[]) => t.app.inject({ method: 'POST', url: '/v1/blueprints/Component/entities/bulk', payload: { entities } });
const batch = (own: string, other: string, round: number) =>
  Array.from({ length: 100 }, (_, i) => ({
    identifier: `${own}-${i}`,
    properties: { type: 'library', language: `v${round}` },
    relations: { components: [`${other}-${(i * 7 + round) % 100}`, `${other}-${(i * 13 + round) % 100}`] },
  }));

describe('concurrent bulk upserts linking to each other’s entities', () => {
  it('all land: batches linking to each other’s entities do not block each other', async () => {
    expect((await bulk(Array.from({ length: 100 }, (_, i) => ({ identifier: `a-${i}`, properties: { type: 'library' } })))).statusCode).toBe(200);
    expect((await bulk(Array.from({ length: 100 }, (_, i) => ({ identifier: `b-${i}`, properties: { type: 'library' } })))).statusCode).toBe(200);
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([bulk(batch('a', 'b', round)), bulk(batch('b', 'a', round)), bulk(batch('a', 'b', round + 50)), bulk(batch('b', 'a', round + 50))]);
      expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    }
    const edges = await t.db.selectFrom('entity_relations').select((eb) => eb.fn.countAll<string>().as('n')).where('relation', '=', 'components').executeTakeFirstOrThrow();
    expect(Number(edges.n)).toBeGreaterThanOrEqual(200);
  });
});

// Edges have no per-row foreign keys (migration 20261201000000): edge writers and entity deletes
// are ordered by an advisory lock, and deleting entities deletes their edges.
describe('edges and deletes racing', () => {
  const danglingEdges = async () =>
    Number(
      (
        await sql<{ n: string }>`select count(*) as n from entity_relations r
          where not exists (select 1 from entities e where e.id = r.source_id) or not exists (select 1 from entities e where e.id = r.target_id)`.execute(t.db)
      ).rows[0]!.n,
    );
  const createSystem = async (identifier: string) =>
    expect((await t.app.inject({ method: 'POST', url: '/v1/blueprints/System/entities', payload: { identifier, relations: { domain: 'Orders' } } })).statusCode).toBe(201);

  it('a write linking to an entity being deleted waits, then reports the target missing', async () => {
    await createSystem('doomed-1');
    let write!: ReturnType<typeof bulk>;
    await t.db.transaction().execute(async (trx) => {
      await sql`delete from entities where blueprint = 'System' and identifier = 'doomed-1'`.execute(trx);
      write = bulk([{ identifier: 'edge-probe-1', properties: { type: 'library' }, relations: { system: 'doomed-1' } }]);
      await sleep(300); // the write is now waiting for the deleted row's lock
    });
    const res = await write;
    expect(res.statusCode).toBe(207);
    expect(res.json().errors[0].message).toContain('entity "doomed-1" of blueprint "System" not found');
    expect(await danglingEdges()).toBe(0);
  });

  it('a delete waits for a write holding an edge to its entity, then removes that edge too', async () => {
    await createSystem('doomed-2');
    let del!: Promise<{ statusCode: number }>;
    await t.db.transaction().execute(async (trx) => {
      // What the writer does for a new edge: take the edge lock, look the target up, insert the edge.
      await sql`select pg_advisory_xact_lock_shared(7033411234)`.execute(trx);
      const target = await sql<{ id: string }>`select id from entities where blueprint = 'System' and identifier = 'doomed-2'`.execute(trx);
      const source = await sql<{ id: string }>`select id from entities where blueprint = 'Component' and identifier = 'CartService'`.execute(trx);
      await sql`insert into entity_relations (source_id, relation, target_id) values (${source.rows[0]!.id}, 'system', ${target.rows[0]!.id})`.execute(trx);
      del = t.app.inject({ method: 'DELETE', url: '/v1/blueprints/System/entities/doomed-2' });
      await sleep(300); // the delete is now waiting for the target's lock
    });
    expect((await del).statusCode).toBe(200);
    expect(await danglingEdges()).toBe(0);
  });

  it('a delete by any other path waits in the delete trigger', async () => {
    await createSystem('doomed-3');
    let del!: Promise<unknown>;
    await t.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock_shared(7033411234)`.execute(trx);
      const target = await sql<{ id: string }>`select id from entities where blueprint = 'System' and identifier = 'doomed-3'`.execute(trx);
      const source = await sql<{ id: string }>`select id from entities where blueprint = 'Component' and identifier = 'CartService'`.execute(trx);
      await sql`insert into entity_relations (source_id, relation, target_id) values (${source.rows[0]!.id}, 'system', ${target.rows[0]!.id})`.execute(trx);
      del = sql`delete from entities where blueprint = 'System' and identifier = 'doomed-3'`.execute(t.db);
      await sleep(300);
    });
    await del;
    expect(await danglingEdges()).toBe(0);
  });
});
