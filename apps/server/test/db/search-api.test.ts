import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ examples: true });
});
afterAll(async () => t?.close());

const search = (body: unknown, bp: string | null = 'Component') =>
  t.app.inject({ method: 'POST', url: bp ? `/v1/blueprints/${bp}/entities/search` : '/v1/entities/search', payload: body as object });
const ids = (res: { json(): { entities: { identifier: string }[] } }) => res.json().entities.map((e) => e.identifier);

describe('POST /v1/blueprints/:bp/entities/search', () => {
  it('filters with Port rules and answers in identifier order by default', async () => {
    const res = await search({
      query: { combinator: 'and', rules: [{ property: 'language', operator: '=', value: 'TypeScript' }, { property: 'type', operator: '=', value: 'library' }] },
    });
    expect(res.statusCode).toBe(200);
    expect(ids(res)).toEqual(['CoreKafkaLibrary', 'CorePaymentLibrary']);
    expect(res.json().next).toBeNull();
  });

  it('nests groups and negations', async () => {
    const res = await search({
      query: {
        combinator: 'or',
        rules: [
          { property: '$identifier', operator: 'beginsWith', value: 'products' },
          { combinator: 'and', rules: [{ property: 'lifecycle', operator: '!=', value: 'production' }, { property: '$team', operator: 'containsAny', value: ['payments-team', 'nobody'] }] },
        ],
      },
    });
    expect(ids(res)).toEqual(['CorePaymentLibrary', 'ProductsService']);
  });

  it('resolves mirror properties in results like GET does', async () => {
    const res = await search({ query: { combinator: 'and', rules: [{ property: '$identifier', operator: '=', value: 'CartService' }] } });
    const entity = res.json().entities[0];
    expect(entity.properties.domain).toBe('Orders');
    const got = await t.app.inject({ method: 'GET', url: '/v1/blueprints/Component/entities/CartService' });
    expect(entity).toEqual(got.json().entity);
  });

  it('ranks free text: exact and prefix matches of identifier/title before other properties', async () => {
    const res = await search({ search: 'cart' }, null);
    const got = ids(res);
    expect(got[0]).toBe('Cart'); // the System whose identifier is exactly "cart"
    // Prefix matches of identifier/title, then contains, then a match in another property only
    // (the Orders domain's description mentions a cart).
    expect(got).toEqual(['Cart', 'CartService', 'cart-sql-db', 'CartAPI', 'Orders']);
    const res2 = await search({ search: 'kafka' });
    expect(ids(res2)).toEqual(['CoreKafkaLibrary']);
  });

  it('sorts by any property and pages with a keyset cursor', async () => {
    const seen: string[] = [];
    let from: string | undefined;
    for (let i = 0; i < 10; i++) {
      const res = await search({ sort: { property: 'language', order: 'desc' }, limit: 1, ...(from ? { from } : {}) });
      expect(res.statusCode).toBe(200);
      seen.push(...ids(res));
      from = res.json().next ?? undefined;
      if (!from) break;
    }
    // TypeScript > Go in byte order; ties by id (insertion order).
    expect(seen).toHaveLength(4);
    expect(seen[3]).toBe('ProductsService');
    expect(new Set(seen).size).toBe(4);
  });

  it('refuses a cursor used with another sort', async () => {
    const first = await search({ sort: { property: '$title', order: 'asc' }, limit: 1 });
    const res = await search({ sort: { property: '$title', order: 'desc' }, limit: 1, from: first.json().next });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].path).toBe('from');
  });

  it.each([
    [{ property: 'colour', operator: '=', value: 'x' }, 'query.rules.0.property', 'unknown property "colour"'],
    [{ property: 'language', operator: 'like', value: 'x' }, 'query.rules.0.operator', 'unknown operator "like"'],
    [{ property: 'language', operator: '>', value: 3 }, 'query.rules.0.value', '"language"'],
    [{ property: 'lifecycle', operator: '=', value: 42 }, 'query.rules.0.value', 'needs a string value, got number'],
    [{ property: 'system', operator: '=', value: 'Cart' }, 'query.rules.0.property', 'relatedTo'],
    [{ property: '$nope', operator: '=', value: 'x' }, 'query.rules.0.property', 'unknown meta-property "$nope"'],
    [{ property: '$createdAt', operator: 'between', value: { from: 'yesterday', to: 'x' } }, 'query.rules.0.value', 'ISO 8601'],
  ])('answers 400 naming the problem: %j', async (rule, path, message) => {
    const res = await search({ query: { combinator: 'and', rules: [rule] } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toBe('invalid_request');
    expect(body.details).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it('lists every problem of a query at once', async () => {
    const res = await search({ query: { combinator: 'and', rules: [{ property: 'a', operator: '=', value: 1 }, { combinator: 'or', rules: [{ property: 'type', operator: 'nope' }] }] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { path: string }) => d.path)).toEqual(['query.rules.0.property', 'query.rules.1.rules.0.operator']);
  });

  it('rejects unsortable sorts, a limit above 1,000 and unknown blueprints', async () => {
    expect((await search({ sort: { property: '$team', order: 'asc' } })).statusCode).toBe(400);
    expect((await search({ limit: 1001 })).statusCode).toBe(400);
    const res = await search({}, 'Nope');
    expect(res.statusCode).toBe(404);
  });

  it('finds entities related to another, by direction', async () => {
    const rel = (direction?: string, extra: object = {}) => ({ query: { combinator: 'and', rules: [{ operator: 'relatedTo', blueprint: 'System', value: 'Cart', ...(direction ? { direction } : {}), ...extra }] } });
    // Downstream of System Cart: what depends on it, transitively: its components, and
    // ProductsService, which consumes CartAPI, provided by CartService.
    expect(ids(await search(rel('downstream')))).toEqual(['CartService', 'CoreKafkaLibrary', 'CorePaymentLibrary', 'ProductsService']);
    // Upstream of Cart: its domain.
    expect(ids(await search(rel('upstream'), null))).toEqual(['Orders']);
    // Only required relations: System.domain and API.provider are the required ones.
    expect(ids(await search({ query: { combinator: 'and', rules: [{ operator: 'relatedTo', blueprint: 'Domain', value: 'Orders', direction: 'downstream', required: true }] } }, null))).toEqual(['Cart', 'Products']);
  });

  it('projects properties with include', async () => {
    const res = await search({ include: ['language'], query: { combinator: 'and', rules: [{ property: '$identifier', operator: '=', value: 'ProductsService' }] } });
    expect(res.json().entities[0].properties).toEqual({ language: 'Go' });
    expect((await search({ include: ['nope'] })).statusCode).toBe(400);
  });
});

describe('POST /v1/entities/search', () => {
  it('searches every blueprint with $blueprint and date rules', async () => {
    const res = await search(
      {
        query: {
          combinator: 'and',
          rules: [
            { property: '$blueprint', operator: 'in', value: ['System', 'Domain'] },
            { property: '$createdAt', operator: 'between', value: { preset: 'lastDay' } },
            { property: '$updatedAt', operator: '<=', value: new Date(Date.now() + 60_000).toISOString() },
          ],
        },
      },
      null,
    );
    expect(res.statusCode).toBe(200);
    expect(ids(res)).toEqual(['Cart', 'Orders', 'Products']);
  });
});

describe('facets', () => {
  it('counts values per property under the query, most frequent first', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/blueprints/Component/entities/facets',
      payload: { properties: ['language', 'lifecycle', '$team', 'type'], query: { combinator: 'and', rules: [{ property: 'type', operator: 'isNotEmpty' }] } },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(4);
    expect(body.facets.language).toEqual([{ value: 'TypeScript', count: 3 }, { value: 'Go', count: 1 }]);
    expect(body.facets.lifecycle).toEqual([{ value: 'production', count: 3 }, { value: 'experimental', count: 1 }]);
    expect(body.facets.$team).toHaveLength(4);
    expect(body.facets.type).toEqual([{ value: 'library', count: 2 }, { value: 'service', count: 2 }]);
  });

  it('counts entities without a value under null and names unknown properties', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/entities/facets', payload: { properties: ['$blueprint', 'lifecycle'], limit: 10 } });
    const body = res.json();
    expect(body.total).toBe(9);
    expect(body.facets.$blueprint[0]).toEqual({ value: 'Component', count: 4 });
    expect(body.facets.lifecycle).toContainEqual({ value: null, count: 5 });
    const bad = await t.app.inject({ method: 'POST', url: '/v1/blueprints/Component/entities/facets', payload: { properties: ['colour'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0]).toEqual({ path: 'properties.0', message: 'unknown property "colour" of blueprint "Component"' });
  });
});

describe('GET /v1/blueprints/:bp/entities/:entity/graph', () => {
  it('returns nodes by depth and the edges among them', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/blueprints/Component/entities/CartService/graph?depth=2' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const nodes = Object.fromEntries(body.nodes.map((n: { blueprint: string; identifier: string; depth: number }) => [`${n.blueprint}/${n.identifier}`, n.depth]));
    expect(nodes).toMatchObject({ 'Component/CartService': 0, 'System/Cart': 1, 'API/CartAPI': 1, 'Resource/cart-sql-db': 1, 'Domain/Orders': 2, 'Component/ProductsService': 2 });
    expect(body.edges).toContainEqual({ source: 'Component/CartService', target: 'System/Cart', relation: 'system' });
    expect(body.edges).toContainEqual({ source: 'API/CartAPI', target: 'Component/CartService', relation: 'provider' });
    expect(body.truncated).toBe(false);
  });

  it('caps nodes and follows one direction when asked', async () => {
    const capped = (await t.app.inject({ method: 'GET', url: '/v1/blueprints/Domain/entities/Orders/graph?depth=3&direction=downstream&maxNodes=3' })).json();
    expect(capped.nodes).toHaveLength(3);
    expect(capped.truncated).toBe(true);
    const up = (await t.app.inject({ method: 'GET', url: '/v1/blueprints/Component/entities/CoreKafkaLibrary/graph?direction=upstream&depth=6' })).json();
    expect(up.nodes.map((n: { identifier: string }) => n.identifier)).toEqual(['CoreKafkaLibrary', 'Cart', 'Orders']);
    expect((await t.app.inject({ method: 'GET', url: '/v1/blueprints/Component/entities/Nope/graph' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/v1/blueprints/Component/entities/CartService/graph?depth=7' })).statusCode).toBe(400);
  });
});

describe('entities in search pages', () => {
  it('are the documents GET answers, mirrors, file origin and orphaned mark included, with or without include', async () => {
    // Two entities with a file origin, one of them orphaned (set directly: a location refresh is
    // tested in locations.test.ts).
    const loc = await t.db.insertInto('locations').values({ url: 'https://github.com/acme/cat/blob/main/catalog-info.yaml', created_by: 'test' }).returning('id').executeTakeFirstOrThrow();
    await t.db.updateTable('entities').set({ location_id: loc.id, source_url: 'https://github.com/acme/cat/blob/main/cart.yaml' }).where('identifier', 'in', ['CartService', 'Cart']).execute();
    await t.db.updateTable('entities').set({ orphaned_at: new Date() }).where('identifier', '=', 'Cart').execute();
    const page = await search({ limit: 1000 }, null);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('application/json; charset=utf-8');
    const entities = page.json().entities as { identifier: string; blueprint: string }[];
    expect(entities.length).toBeGreaterThan(8);
    for (const e of entities) {
      const one = await t.app.inject({ method: 'GET', url: `/v1/blueprints/${e.blueprint}/entities/${encodeURIComponent(e.identifier)}` });
      expect(e).toEqual(one.json().entity);
    }
    const cart = entities.find((e) => e.identifier === 'CartService') as unknown as { properties: Record<string, unknown>; managedBy: unknown };
    expect(cart.properties.domain).toBe('Orders');
    expect(cart.managedBy).toEqual({ location: loc.id, url: 'https://github.com/acme/cat/blob/main/cart.yaml' });
    expect(entities.find((e) => e.identifier === 'Cart')).toMatchObject({ orphaned: true });
    expect(entities.find((e) => e.identifier === 'CartAPI')).not.toHaveProperty('managedBy');
    // include projects properties and relations, the rest of the document stays.
    const projected = await search({ limit: 1000, include: ['language', 'system'] }, 'Component');
    const p = (projected.json().entities as { identifier: string; properties: object; relations: object }[]).find((e) => e.identifier === 'CartService')!;
    expect(p).toMatchObject({ properties: { language: 'TypeScript' }, relations: { system: 'Cart' }, managedBy: cart.managedBy });
    expect(Object.keys(p.properties)).toEqual(['language']);
    await t.db.updateTable('entities').set({ location_id: null, source_url: null, orphaned_at: null }).where('identifier', 'in', ['CartService', 'Cart']).execute();
  });
});
