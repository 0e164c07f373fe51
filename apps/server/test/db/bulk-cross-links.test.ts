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
  it('all land: a batch locking its rows does not block the foreign-key checks of the other', async () => {
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
