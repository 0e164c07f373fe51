import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';

// GET one entity is served from per-process caches (the mirror SQL of each blueprint version, the
// compiled statement, verified access tokens). These tests pin that the caches never show what a
// fresh read would not: blueprint changes made by this or another app instance, expired tokens.

let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  a = await createTestApp({ examples: true });
  b = await createTestApp({ database: a }); // a second instance on the same database
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const get = (t: TestApp, url = '/v1/blueprints/Component/entities/CartService') => t.app.inject({ method: 'GET', url });
const patchMirrors = (t: TestApp, mirrorProperties: Record<string, { path: string; title?: string }>) =>
  t.app.inject({ method: 'PATCH', url: '/v1/blueprints/Component', payload: { mirrorProperties } });

describe('GET one entity and its mirror properties', () => {
  it('reflects a mirror change made by another app instance on its next read', async () => {
    const before = await get(a);
    expect(before.statusCode).toBe(200);
    expect(before.json().entity.properties.domain).toBe('Orders');
    expect((await get(b)).json().entity.properties.domain).toBe('Orders');

    const changed = await patchMirrors(b, { domain: { path: 'system.domain.$identifier' }, systemTitle: { path: 'system.$title' } });
    expect(changed.statusCode, changed.body).toBe(200);
    const after = await get(a);
    expect(after.statusCode).toBe(200);
    expect(after.json().entity.properties).toMatchObject({ domain: 'Orders', systemTitle: 'Cart' });
    // The entity itself did not change: same ETag.
    expect(after.headers.etag).toBe(before.headers.etag);

    // And back, this time changed by the reading instance itself; the other one follows too.
    expect((await patchMirrors(a, { domain: { title: 'Domain', path: 'system.domain.$title' } })).statusCode).toBe(200);
    for (const t of [a, b]) {
      const res = await get(t);
      expect(res.json().entity.properties.domain).toBe('Orders');
      expect(res.json().entity.properties).not.toHaveProperty('systemTitle');
    }
  });

  it('answers the same body and headers from both instances', async () => {
    const [x, y] = await Promise.all([get(a), get(b)]);
    expect(x.body).toBe(y.body);
    expect(x.headers.etag).toBe(y.headers.etag);
    expect(x.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(x.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(x.headers['x-request-id']).toBeTruthy();
  });

  it('keeps its 404 messages', async () => {
    const missing = await get(a, '/v1/blueprints/Component/entities/Nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ ok: false, error: 'not_found', message: 'Entity "Nope" of blueprint "Component" not found' });
    const noBlueprint = await get(a, '/v1/blueprints/Nope/entities/CartService');
    expect(noBlueprint.statusCode).toBe(404);
    expect(noBlueprint.json().message).toContain('Nope');
  });
});

describe('bearer tokens on GET one entity', () => {
  it('refuses anonymous callers and bad tokens', async () => {
    const anonymous = await a.raw.inject({ method: 'GET', url: '/v1/blueprints/Component/entities/CartService' });
    expect(anonymous.statusCode).toBe(401);
    const forged = await a.raw.inject({ method: 'GET', url: '/v1/blueprints/Component/entities/CartService', headers: { authorization: 'Bearer ptl_eyJzdWIiOiJjbGllbnQ6eCJ9.AAAA' } });
    expect(forged.statusCode).toBe(401);
  });

  it('refuses a token once it expires, even though it was accepted (and remembered) before', async () => {
    const { authorization } = await a.tokenFor('viewer');
    const url = '/v1/blueprints/Component/entities/CartService';
    expect((await a.raw.inject({ method: 'GET', url, headers: { authorization } })).statusCode).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 4 * 3600_000); // past the default 3 h lifetime
      expect((await a.raw.inject({ method: 'GET', url, headers: { authorization } })).statusCode).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a deleted API client right away on the instance that deleted it', async () => {
    const { authorization, actor } = await a.tokenFor('viewer');
    const url = '/v1/blueprints/Component/entities/CartService';
    expect((await a.raw.inject({ method: 'GET', url, headers: { authorization } })).statusCode).toBe(200);
    const clientId = actor.slice('client:'.length);
    expect((await a.app.inject({ method: 'DELETE', url: `/v1/api-clients/${clientId}` })).statusCode).toBeLessThan(300);
    expect((await a.raw.inject({ method: 'GET', url, headers: { authorization } })).statusCode).toBe(401);
  });
});

describe('search, facets and graph', () => {
  it('see a blueprint change made by another app instance on their next call', async () => {
    const search = (t: TestApp) =>
      t.app.inject({ method: 'POST', url: '/v1/blueprints/Component/entities/search', payload: { query: { combinator: 'and', rules: [{ property: 'tier', operator: '=', value: 'gold' }] } } });
    const facets = (t: TestApp) => t.app.inject({ method: 'POST', url: '/v1/blueprints/Component/entities/facets', payload: { properties: ['tier'] } });
    const setTier = async (t: TestApp, present: boolean) => {
      const bp = (await t.app.inject({ method: 'GET', url: '/v1/blueprints/Component' })).json().blueprint;
      if (present) bp.schema.properties.tier = { type: 'string', title: 'Tier' };
      else delete bp.schema.properties.tier;
      const res = await t.app.inject({ method: 'PUT', url: '/v1/blueprints/Component', payload: bp });
      expect(res.statusCode, res.body).toBe(200);
    };
    // Warm a's view of the blueprints, then change them through b.
    expect((await search(a)).statusCode).toBe(400);
    expect((await facets(a)).statusCode).toBe(400);
    await setTier(b, true);
    expect((await search(a)).statusCode).toBe(200);
    expect((await facets(a)).statusCode).toBe(200);
    await setTier(b, false);
    expect((await search(a)).json().details[0].message).toContain('tier');
    expect((await facets(a)).statusCode).toBe(400);
    // A blueprint deleted by b is gone for a's graph too.
    expect((await b.app.inject({ method: 'POST', url: '/v1/blueprints', payload: { identifier: 'Scratch', title: 'Scratch', schema: { properties: {}, required: [] } } })).statusCode).toBe(201);
    expect((await a.app.inject({ method: 'GET', url: '/v1/blueprints/Scratch/entities/x/graph' })).json().message).toContain('Entity "x"');
    expect((await b.app.inject({ method: 'DELETE', url: '/v1/blueprints/Scratch' })).statusCode).toBeLessThan(300);
    expect((await a.app.inject({ method: 'GET', url: '/v1/blueprints/Scratch/entities/x/graph' })).json().message).toContain('Blueprint "Scratch"');
  });
});

describe('mirror values along the relation path', () => {
  it('follow edits, renames of every entity on the path, and a cleared link, in GET and search alike', async () => {
    const mirrored = async () => {
      const one = (await get(a)).json().entity.properties.domain;
      const page = await a.app.inject({ method: 'POST', url: '/v1/blueprints/Component/entities/search', payload: { query: { combinator: 'and', rules: [{ property: '$identifier', operator: '=', value: 'CartService' }] } } });
      expect(page.json().entities[0].properties.domain).toBe(one);
      return one as string | undefined;
    };
    await patchMirrors(a, { domain: { title: 'Domain', path: 'system.domain.$title' } });
    expect(await mirrored()).toBe('Orders');
    const put = (bp: string, id: string, body: object) => a.app.inject({ method: 'PATCH', url: `/v1/blueprints/${bp}/entities/${id}`, payload: body });
    expect((await put('Domain', 'Orders', { title: 'Ordering' })).statusCode).toBe(200);
    expect(await mirrored()).toBe('Ordering');
    // Renaming the System and then the Domain: the links that point at them follow, and so does the mirror.
    expect((await put('System', 'Cart', { identifier: 'Basket' })).statusCode).toBe(200);
    expect(await mirrored()).toBe('Ordering');
    expect((await put('Domain', 'Orders', { identifier: 'OrderDomain' })).statusCode).toBe(200);
    expect(await mirrored()).toBe('Ordering');
    // Another domain for the system: the mirror shows the new one's title.
    expect((await a.app.inject({ method: 'POST', url: '/v1/blueprints/Domain/entities', payload: { identifier: 'Checkout', title: 'Checkout domain' } })).statusCode).toBe(201);
    expect((await put('System', 'Basket', { relations: { domain: 'Checkout' } })).statusCode).toBe(200);
    expect(await mirrored()).toBe('Checkout domain');
    // The System is deleted: the component's link to it is cleared, and the mirror with it.
    expect((await a.app.inject({ method: 'DELETE', url: '/v1/blueprints/System/entities/Basket?delete_dependents=true' })).statusCode).toBeLessThan(300);
    expect(await mirrored()).toBeUndefined();
    expect((await a.app.inject({ method: 'POST', url: '/v1/blueprints/System/entities', payload: { identifier: 'Cart2', relations: { domain: 'OrderDomain' } } })).statusCode).toBe(201);
    expect((await put('Component', 'CartService', { relations: { system: 'Cart2' } })).statusCode).toBe(200);
    expect(await mirrored()).toBe('Ordering');
    // The component leaves the system: no mirror value.
    expect((await put('Component', 'CartService', { relations: { system: null } })).statusCode).toBe(200);
    expect(await mirrored()).toBeUndefined();
  });
});
