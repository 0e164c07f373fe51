import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type pg from 'pg';
import { createDatabase, type Db } from '../../src/db/database.ts';
import { EntitiesService } from '../../src/modules/entities/entities.service.ts';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';

// GETs of one entity asked for while another is in flight share one statement per group of
// blueprints with the same mirror SQL (entities.repository findEntityForRead). Each must
// still answer exactly what it answers alone: its own row, its own mirror values, its own 404.

let t: TestApp;
let db: Db;
let pool: pg.Pool;
beforeAll(async () => {
  t = await createTestApp({ examples: true });
  ({ db, pool } = createDatabase({ connectionString: t.url, maxConnections: 2 }));
});
afterAll(async () => {
  await db?.destroy();
  await t?.close();
});

const KEYS: [string, string][] = [
  ['Component', 'CartService'],
  ['System', 'Cart'],
  ['Component', 'ProductsService'],
  ['Domain', 'Orders'],
  ['Component', 'Nope'],
  ['API', 'CartAPI'],
  ['Component', 'CartService'],
  ['Nope', 'Cart'],
];

describe('GETs that arrive together', () => {
  it('share one statement per mirror group and answer each what it answers alone', async () => {
    const service = new EntitiesService(db);
    const readAll = (keys: [string, string][]) => keys.map(([bp, id]) => service.get(bp, id).catch((e: Error) => e.message));
    const alone: unknown[] = [];
    for (const key of KEYS) alone.push(await readAll([key])[0]); // one at a time (this also warms the mirror SQL caches)
    expect(alone[0]).toMatchObject({ entity: { identifier: 'CartService', properties: { domain: 'Orders' } } });
    expect(alone[4]).toBe('Entity "Nope" of blueprint "Component" not found');

    const queries = vi.spyOn(pool, 'query');
    try {
      const together = await Promise.all(readAll(KEYS));
      expect(together).toEqual(alone);
      // The reads themselves: the first goes out at once (nothing was in flight), then one
      // statement for the blueprints without mirrors and one for the other Components (with
      // their mirror). The 404s then look their blueprint up through Kysely (not counted here: it checks
      // out a client instead).
      const reads = queries.mock.calls.map(([q]) => (q as unknown as { values: unknown[] }).values);
      expect(reads).toEqual([
        ['Component', 'CartService'],
        [['System', 'Domain', 'API', 'Nope'], ['Cart', 'Orders', 'CartAPI', 'Cart']],
        [['Component', 'Component', 'Component'], ['ProductsService', 'Nope', 'CartService']],
      ]);
    } finally {
      queries.mockRestore();
    }
    // Readers of the same entity get their own objects.
    const [, x, y] = await Promise.all([service.get('Domain', 'Orders'), service.get('Component', 'CartService'), service.get('Component', 'CartService')]);
    expect(x).toEqual(y);
    expect(x.entity).not.toBe(y.entity);
    expect(x.entity.properties).not.toBe(y.entity.properties);
  });

  it('answers concurrent HTTP GETs with the same bodies and ETags as sequential ones', async () => {
    const urls = KEYS.map(([bp, id]) => `/v1/blueprints/${bp}/entities/${id}`);
    const sequential: Awaited<ReturnType<typeof t.app.inject>>[] = [];
    for (const url of urls) sequential.push(await t.app.inject({ method: 'GET', url }));
    const concurrent = await Promise.all(urls.map((url) => t.app.inject({ method: 'GET', url })));
    const view = (r: (typeof sequential)[number]) => [r.statusCode, r.headers.etag, r.statusCode === 200 ? r.body : r.json().message];
    expect(concurrent.map(view)).toEqual(sequential.map(view));
    expect(sequential.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 404, 200, 200, 404]);
  });

  it('sees a write committed before the read was asked for', async () => {
    const service = new EntitiesService(db);
    await service.get('Domain', 'Orders');
    const patched = await t.app.inject({ method: 'PATCH', url: '/v1/blueprints/Domain/entities/Orders', payload: { title: 'Ordering' } });
    expect(patched.statusCode, patched.body).toBe(200);
    const [domain, component] = await Promise.all([service.get('Domain', 'Orders'), service.get('Component', 'CartService')]);
    expect(domain.entity.title).toBe('Ordering');
    expect(component.entity.properties.domain).toBe('Ordering');
  });
});
