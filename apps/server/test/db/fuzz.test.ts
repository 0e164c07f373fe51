import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';
import { databaseFingerprint } from '../../../../test-support/db-snapshot.ts';

// Random and malformed params, query strings, bodies and headers against every JSON route, as
// nobody, a viewer, a member and an admin: never a 5xx; nobody and the viewer never write anything.

let t: TestApp;
let routes: { method: string; path: string }[] = [];
const auth: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  t = await createTestApp({ examples: true });
  auth.viewer = { authorization: (await t.tokenFor('viewer')).authorization };
  auth.member = { authorization: (await t.tokenFor('member', { teams: ['cart-team'] })).authorization };
  auth.admin = { authorization: (await t.tokenFor('admin')).authorization };
  auth.anonymous = {};
  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })));
});
afterAll(async () => t?.close());

const segment = fc.oneof(
  fc.constantFrom('Component', 'CartService', 'API', 'cart-team', '..', '%', '%00', 'a%2Fb', ' ', '\u202e', 'null', '-1', '00000000-0000-4000-8000-000000000000'),
  fc.string({ maxLength: 30 }),
  fc.string({ minLength: 900, maxLength: 1200 }),
);
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ json: v })),
  fc.record({ identifier: segment, title: fc.option(fc.string()), team: fc.anything(), properties: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })), relations: fc.anything() }).map((v) => ({ json: v })),
  fc.record({ entities: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }) }).map((v) => ({ json: v })),
  fc.string({ maxLength: 200 }).map((raw) => ({ raw })),
  fc.constantFrom({ raw: '{"a":' }, { raw: '[[[[' }, { raw: '\u0000' }, { raw: '{"__proto__":{"admin":true}}' }),
);
const query = fc.array(fc.tuple(fc.constantFrom('upsert', 'merge', 'validation_only', 'create_missing_related_entities', 'delete_dependents', 'delete_entities', 'limit', 'from', 'depth', 'cursor', 'x'), fc.oneof(fc.constantFrom('true', 'false', '1', '-1', '99999', ''), fc.string({ maxLength: 20 }))), { maxLength: 4 });
const headers = fc.record(
  {
    'content-type': fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', ''),
    'if-match': fc.oneof(fc.constantFrom('"1"', '*', 'W/"2"', '"-1"'), fc.string({ maxLength: 20 })),
    authorization: fc.constantFrom('Bearer ptl_eyJ9.x', 'Bearer ', 'Basic Zm9vOmJhcg==', 'bearer ptl_'),
    'x-request-id': fc.string({ maxLength: 120 }),
  },
  { requiredKeys: [] },
);

async function fire(role: string, route: { method: string; path: string }, params: string[], b: { json?: unknown; raw?: string }, q: [string, string][], h: Record<string, string>) {
  let i = 0;
  const url = route.path.replace(/\{\w+\}/g, () => encodeURIComponent(params[i++ % params.length] ?? 'x')) + (q.length ? '?' + new URLSearchParams(q).toString() : '');
  const sendBody = route.method !== 'GET' && route.method !== 'DELETE';
  // A random authorization header replaces the role's own only for the anonymous caller.
  const hdrs: Record<string, string> = { ...(role === 'anonymous' ? h : { ...h, ...auth[role] }) };
  if (!sendBody) delete hdrs['content-type'];
  const res = await t.raw.inject({
    method: route.method as 'GET',
    url,
    headers: hdrs,
    ...(sendBody ? { payload: b.raw !== undefined ? b.raw : JSON.stringify(b.json ?? null) } : {}),
  });
  return res;
}

describe('fuzzing every route', () => {
  for (const role of ['anonymous', 'viewer', 'member', 'admin']) {
    it(`as ${role}: never a 5xx${role === 'anonymous' || role === 'viewer' ? ', never a write' : ''}`, async () => {
      const before = await databaseFingerprint(t.db);
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.array(segment, { minLength: 1, maxLength: 3 }), body, query, headers, async (n, params, b, q, h) => {
          const route = routes[n % routes.length]!;
          const res = await fire(role, route, params, b, q, h as Record<string, string>);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode >= 500) throw new Error(`${route.method} ${route.path} → ${res.statusCode} ${res.body.slice(0, 300)}`);
          expect(res.body).not.toMatch(/at .+\.ts:\d+|node_modules|SELECT |violates|syntax error/);
        }),
        { numRuns: 250, seed: 424242 + role.length },
      );
      if (role === 'anonymous' || role === 'viewer') expect(await databaseFingerprint(t.db)).toBe(before);
      // The inputs reach past the front door: signed-in callers see successes and validation errors.
      if (role !== 'anonymous') {
        expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
        expect(statuses.get(400) ?? 0).toBeGreaterThan(10);
      }
    }, 120_000);
  }
});
