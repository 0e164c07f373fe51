import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ examples: true });
});
afterAll(async () => t?.close());

describe('concurrent writers', () => {
  it('twelve simultaneous creates of one identifier: one 201, the rest 409, one row', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.app.inject({ method: 'POST', url: '/v1/blueprints/Domain/entities', payload: { identifier: 'Race', title: `writer ${i}` } }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes, results.map((r) => r.body).join('\n')).toEqual([201, ...Array(11).fill(409)]);
    const rows = await t.db.selectFrom('entities').select(['title', 'version']).where('identifier', '=', 'Race').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.version).toBe(1);
  });

  it('ten simultaneous PATCHes with the same If-Match: exactly one wins, the others get 412', async () => {
    const etag = (await t.app.inject({ method: 'GET', url: '/v1/blueprints/Domain/entities/Orders' })).headers.etag as string;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.app.inject({ method: 'PATCH', url: '/v1/blueprints/Domain/entities/Orders', headers: { 'if-match': etag }, payload: { title: `editor ${i}` } }),
      ),
    );
    const winners = results.filter((r) => r.statusCode === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 412)).toHaveLength(9);
    const row = await t.db.selectFrom('entities').select(['title', 'version']).where('identifier', '=', 'Orders').executeTakeFirstOrThrow();
    expect(row.title).toBe(winners[0]!.json().entity.title);
    expect(`"${row.version}"`).not.toBe(etag);
  });

  it('overlapping bulk upserts from several clients all land without deadlock or lost rows', async () => {
    const batch = (offset: number) =>
      Array.from({ length: 200 }, (_, i) => ({ identifier: `lib-${(i + offset) % 300}`, properties: { type: 'library', language: `v${offset}` } }));
    const results = await Promise.all([0, 50, 100, 150].map((o) => t.app.inject({ method: 'POST', url: '/v1/blueprints/Component/entities/bulk', payload: { entities: batch(o) } })));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const n = await t.db.selectFrom('entities').select((eb) => eb.fn.countAll<string>().as('n')).where('identifier', 'like', 'lib-%').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(300);
  });
});
