import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';

// Every route × every role, allowed or denied. The routes come from the OpenAPI document the app
// generates, so a route added later that is missing from this table fails here; one without an
// access rule already fails to build (see plugins/access.ts).

// 'userOnly': signed-in people only; the roles here are API clients, which have no profile or password.
// 'signature': no session or token counts; only a valid webhook signature (none is sent here).
type Policy = 'signature' | 'public' | 'signedIn' | 'userOnly' | 'writer' | 'moderator' | 'anyModerator' | 'admin';

const POLICIES: Record<string, Policy> = {
  'GET /healthz': 'public',
  'GET /v1/auth/providers': 'public',
  'POST /v1/auth/sign-in': 'public',
  'POST /v1/auth/sign-out': 'signedIn',
  'GET /v1/auth/me': 'userOnly',
  'POST /v1/auth/password': 'userOnly',
  'GET /v1/auth/sign-in-link/{token}': 'public',
  'POST /v1/auth/access_token': 'public',
  'GET /v1/users': 'signedIn',
  'POST /v1/users': 'admin',
  'GET /v1/users/{id}': 'signedIn',
  'PATCH /v1/users/{id}': 'admin',
  'DELETE /v1/users/{id}': 'admin',
  'POST /v1/users/{id}/sign-in-link': 'admin',
  'GET /v1/teams': 'signedIn',
  'POST /v1/teams': 'admin',
  'GET /v1/teams/{team}': 'signedIn',
  'PATCH /v1/teams/{team}': 'admin',
  'DELETE /v1/teams/{team}': 'admin',
  'GET /v1/api-clients': 'admin',
  'POST /v1/api-clients': 'admin',
  'POST /v1/api-clients/{clientId}/rotate': 'admin',
  'DELETE /v1/api-clients/{clientId}': 'admin',
  'GET /v1/blueprints/{blueprint}/permissions': 'signedIn',
  'PUT /v1/blueprints/{blueprint}/permissions': 'moderator',
  'GET /v1/audit-log': 'signedIn',
  'GET /v1/secrets': 'admin',
  'PUT /v1/secrets/{name}': 'admin',
  'DELETE /v1/secrets/{name}': 'admin',
  'GET /v1/blueprints': 'signedIn',
  'POST /v1/blueprints': 'admin',
  'GET /v1/blueprints/{blueprint}': 'signedIn',
  'PUT /v1/blueprints/{blueprint}': 'moderator',
  'PATCH /v1/blueprints/{blueprint}': 'moderator',
  'DELETE /v1/blueprints/{blueprint}': 'moderator',
  'GET /v1/blueprints/{blueprint}/stats': 'signedIn',
  'GET /v1/blueprints/{blueprint}/entities': 'signedIn',
  'POST /v1/blueprints/{blueprint}/entities': 'writer',
  'GET /v1/blueprints/{blueprint}/entities/{entity}': 'signedIn',
  'PUT /v1/blueprints/{blueprint}/entities/{entity}': 'writer',
  'PATCH /v1/blueprints/{blueprint}/entities/{entity}': 'writer',
  'DELETE /v1/blueprints/{blueprint}/entities/{entity}': 'writer',
  'POST /v1/blueprints/{blueprint}/entities/bulk': 'writer',
  'POST /v1/catalog/import': 'admin',
  'GET /v1/locations': 'signedIn',
  'POST /v1/locations': 'admin',
  'POST /v1/locations/discover': 'admin',
  'POST /v1/locations/{id}/refresh': 'admin',
  'DELETE /v1/locations/{id}': 'admin',
  'GET /v1/catalog/export': 'signedIn',
  'POST /v1/entities/search': 'signedIn',
  'POST /v1/blueprints/{blueprint}/entities/search': 'signedIn',
  'POST /v1/entities/facets': 'signedIn',
  'POST /v1/blueprints/{blueprint}/entities/facets': 'signedIn',
  'GET /v1/blueprints/{blueprint}/entities/{entity}/graph': 'signedIn',
  'GET /v1/scaffolder/templates': 'signedIn',
  'POST /v1/scaffolder/templates': 'anyModerator',
  'GET /v1/scaffolder/templates/{name}': 'signedIn',
  'PUT /v1/scaffolder/templates/{name}': 'anyModerator',
  'DELETE /v1/scaffolder/templates/{name}': 'anyModerator',
  'POST /v1/scaffolder/templates/validate': 'signedIn',
  'POST /v1/scaffolder/dry-run': 'signedIn',
  'GET /v1/scaffolder/actions': 'signedIn',
  'POST /v1/scaffolder/tasks': 'signedIn',
  'GET /v1/scaffolder/tasks': 'signedIn',
  'GET /v1/scaffolder/tasks/{id}': 'signedIn',
  'GET /v1/scaffolder/tasks/{id}/events': 'signedIn',
  'GET /v1/scaffolder/tasks/{id}/eventstream': 'signedIn',
  'POST /v1/scaffolder/tasks/{id}/cancel': 'signedIn',
  'POST /v1/scaffolder/tasks/{id}/retry': 'signedIn',
  'GET /v1/actions': 'signedIn',
  'POST /v1/actions': 'anyModerator',
  'GET /v1/actions/{id}': 'signedIn',
  'PUT /v1/actions/{id}': 'anyModerator',
  'DELETE /v1/actions/{id}': 'anyModerator',
  'POST /v1/actions/{id}/runs': 'writer',
  'POST /v1/actions/{id}/visible-inputs': 'signedIn',
  'GET /v1/actions/runs': 'signedIn',
  'GET /v1/actions/runs/{id}': 'signedIn',
  'PATCH /v1/actions/runs/{id}': 'signedIn',
  'POST /v1/actions/runs/{id}/logs': 'signedIn',
  'GET /v1/actions/runs/{id}/logs': 'signedIn',
  'PATCH /v1/actions/runs/{id}/approval': 'signedIn',
  'POST /v1/webhooks/github': 'signature',
};

type Role = 'anonymous' | 'viewer' | 'member' | 'moderator' | 'admin';
const ROLES: Role[] = ['anonymous', 'viewer', 'member', 'moderator', 'admin'];

function expected(policy: Policy, role: Role): 'allow' | 401 | 403 {
  if (policy === 'public') return 'allow';
  if (policy === 'signature') return 401;
  if (role === 'anonymous') return 401;
  switch (policy) {
    case 'signedIn':
      return 'allow';
    case 'userOnly':
      return 403;
    case 'writer':
      return role === 'viewer' ? 403 : 'allow';
    case 'moderator': // the moderator moderates Component, the blueprint every route here names
    case 'anyModerator':
      return role === 'moderator' || role === 'admin' ? 'allow' : 403;
    case 'admin':
      return role === 'admin' ? 'allow' : 403;
  }
}

const PARAMS: Record<string, string> = {
  blueprint: 'Component',
  entity: 'no-such-entity',
  id: randomUUID(),
  team: 'no-such-team',
  clientId: 'no-such-client',
  name: 'NO_SUCH_SECRET',
  token: 'not-a-real-sign-in-token',
};

let t: TestApp;
const headers: Record<Role, Record<string, string>> = { anonymous: {}, viewer: {}, member: {}, moderator: {}, admin: {} };
let routes: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ examples: true });
  headers.viewer = { authorization: (await t.tokenFor('viewer')).authorization };
  headers.member = { authorization: (await t.tokenFor('member', { teams: ['cart-team'] })).authorization };
  headers.moderator = { authorization: (await t.tokenFor('moderator', { moderatedBlueprints: ['Component'] })).authorization };
  headers.admin = { authorization: (await t.tokenFor('admin')).authorization };
  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
});
afterAll(async () => t?.close());

describe('access matrix', () => {
  it('covers every route the app serves, and nothing it does not', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => !(r in POLICIES))).toEqual([]);
    expect(Object.keys(POLICIES).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it.each(ROLES)('as %s, every route allows or denies as its policy says', async (role) => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const [method, path] = route.split(' ') as [string, string];
      const url = path.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(PARAMS[p] ?? 'x'));
      const body = method === 'GET' || method === 'DELETE' ? undefined : url.endsWith('/bulk') ? { entities: [{}] } : {};
      const res = await t.raw.inject({ method: method as 'GET', url, headers: headers[role], ...(body ? { payload: body } : {}) });
      const want = expected(POLICIES[route]!, role);
      const got = res.statusCode === 401 || res.statusCode === 403 ? res.statusCode : 'allow';
      if (res.statusCode >= 500) mismatches.push(`${route}: ${res.statusCode}`);
      else if (got !== want) mismatches.push(`${route}: expected ${want}, got ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    expect(mismatches).toEqual([]);
  });
});
