import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';
import { catalogFingerprint } from '../../../../test-support/db-snapshot.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ examples: true, identity: { sessionTtlMs: 60 * 60_000 } });
});
afterAll(async () => t?.close());

const PASSWORD = 'correct horse battery staple';

async function createUser(email: string, role: string, teams: string[] = [], moderatedBlueprints: string[] = []) {
  const res = await t.app.inject({ method: 'POST', url: '/v1/users', payload: { email, role, teams, moderatedBlueprints, password: PASSWORD } });
  expect(res.statusCode).toBe(201);
  return res.json().user as { id: string; email: string };
}

/** Sign in through the API as a browser would: the session cookie plus the CSRF token. */
async function signIn(email: string, password = PASSWORD) {
  const res = await t.raw.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email, password } });
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'portolan_session')!;
  return { cookie: `portolan_session=${cookie.value}`, csrf: res.json().csrfToken as string, setCookie: cookie };
}

describe('sign-in and sessions', () => {
  it('signs in with a password into an HttpOnly, SameSite cookie; wrong passwords get one generic 401', async () => {
    await createUser('Alice@Example.com', 'member', ['cart-team']);
    const ok = await t.raw.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email: 'alice@example.com', password: PASSWORD } });
    expect(ok.statusCode).toBe(200);
    const cookie = ok.cookies.find((c) => c.name === 'portolan_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy(); // plain http in tests; https requests get Secure (next test)
    expect(ok.json().user).toMatchObject({ email: 'alice@example.com', role: 'member', teams: ['cart-team'], hasPassword: true });
    expect(ok.body).not.toContain('scrypt');

    const wrong = await t.raw.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email: 'alice@example.com', password: 'nope-nope-nope' } });
    const nobody = await t.raw.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email: 'nobody@example.com', password: 'nope-nope-nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(nobody.statusCode).toBe(401);
    expect(wrong.json().message).toBe(nobody.json().message);
  });

  it('marks the cookie Secure behind TLS', async () => {
    const secure = await createTestApp({ identity: { secureCookies: 'always' } });
    try {
      await secure.app.inject({ method: 'POST', url: '/v1/users', payload: { email: 'tls@example.com', role: 'viewer', password: PASSWORD } });
      const res = await secure.raw.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email: 'tls@example.com', password: PASSWORD } });
      expect(res.cookies.find((c) => c.name === 'portolan_session')!.secure).toBe(true);
    } finally {
      await secure.close();
    }
  });

  it('requires the CSRF token on unsafe requests made with the cookie, and signs out', async () => {
    const s = await signIn('alice@example.com');
    const me = await t.raw.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().csrfToken).toBe(s.csrf);

    const before = await catalogFingerprint(t.db);
    const body = { identifier: 'alice-svc', team: ['cart-team'], properties: { type: 'service' } };
    const noCsrf = await t.raw.inject({ method: 'POST', url: '/v1/blueprints/Component/entities', headers: { cookie: s.cookie }, payload: body });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().message).toContain('x-csrf-token');
    // Searches are POSTs that only read: they need no token (a cross-site page cannot read the answer).
    const search = await t.raw.inject({ method: 'POST', url: '/v1/blueprints/Component/entities/search', headers: { cookie: s.cookie }, payload: { limit: 1 } });
    expect(search.statusCode).toBe(200);
    const badCsrf = await t.raw.inject({ method: 'POST', url: '/v1/blueprints/Component/entities', headers: { cookie: s.cookie, 'x-csrf-token': 'forged' }, payload: body });
    expect(badCsrf.statusCode).toBe(403);
    expect(await catalogFingerprint(t.db)).toBe(before);
    const good = await t.raw.inject({ method: 'POST', url: '/v1/blueprints/Component/entities', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: body });
    expect(good.statusCode).toBe(201);
    expect(good.json().entity.createdBy).toBe('user:alice@example.com');

    const out = await t.raw.inject({ method: 'POST', url: '/v1/auth/sign-out', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(out.statusCode).toBe(200);
    expect((await t.raw.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
  });

  it('expires sessions', async () => {
    const short = await createTestApp({ identity: { sessionTtlMs: 1000 } });
    try {
      await short.app.inject({ method: 'POST', url: '/v1/users', payload: { email: 'brief@example.com', role: 'viewer', password: PASSWORD } });
      const res = await short.raw.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email: 'brief@example.com', password: PASSWORD } });
      const cookie = `portolan_session=${res.cookies.find((c) => c.name === 'portolan_session')!.value}`;
      expect((await short.raw.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie } })).statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, 1200));
      expect((await short.raw.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('a disabled user or a changed password ends existing sessions', async () => {
    const bob = await createUser('bob@example.com', 'member');
    const s = await signIn('bob@example.com');
    await t.app.inject({ method: 'PATCH', url: `/v1/users/${bob.id}`, payload: { disabled: true } });
    expect((await t.raw.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
    expect((await t.raw.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email: 'bob@example.com', password: PASSWORD } })).statusCode).toBe(401);
  });

  it('rate-limits sign-in attempts', async () => {
    const limited = await createTestApp();
    try {
      const codes: number[] = [];
      for (let i = 0; i < 12; i++) {
        codes.push((await limited.raw.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email: 'x@example.com', password: 'guess-' + i } })).statusCode);
      }
      expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
      expect(codes.slice(10)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('API clients and the token exchange', () => {
  it("exchanges id and secret for a short-lived bearer token (Port's shape); the secret is shown once and stored hashed", async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/api-clients', payload: { name: 'ci', role: 'member', teams: ['cart-team'] } });
    expect(created.statusCode).toBe(201);
    const { client, clientSecret } = created.json();
    const list = await t.app.inject({ method: 'GET', url: '/v1/api-clients' });
    expect(list.body).not.toContain(clientSecret);
    const row = await t.db.selectFrom('api_clients').select('secret_hash').where('client_id', '=', client.clientId).executeTakeFirstOrThrow();
    expect(row.secret_hash).not.toContain(clientSecret);

    const token = await t.raw.inject({ method: 'POST', url: '/v1/auth/access_token', payload: { clientId: client.clientId, clientSecret } });
    expect(token.statusCode).toBe(200);
    expect(token.json()).toMatchObject({ ok: true, tokenType: 'Bearer', expiresIn: 10800 });
    const headers = { authorization: `Bearer ${token.json().accessToken}` };
    expect((await t.raw.inject({ method: 'GET', url: '/v1/blueprints', headers })).statusCode).toBe(200);
    // Members may not manage API clients.
    expect((await t.raw.inject({ method: 'GET', url: '/v1/api-clients', headers })).statusCode).toBe(403);

    const bad = await t.raw.inject({ method: 'POST', url: '/v1/auth/access_token', payload: { clientId: client.clientId, clientSecret: 'wrong' } });
    expect(bad.statusCode).toBe(401);
    const tampered = headers.authorization.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await t.raw.inject({ method: 'GET', url: '/v1/blueprints', headers: { authorization: tampered } })).statusCode).toBe(401);
  });
});

describe('roles and ownership', () => {
  it('a member edits entities of their team and is refused on another team\'s, with nothing written', async () => {
    const member = await t.tokenFor('member', { teams: ['cart-team'] });
    const h = { authorization: member.authorization };
    const mine = await t.raw.inject({ method: 'PATCH', url: '/v1/blueprints/Component/entities/CartService', headers: h, payload: { properties: { language: 'Go' } } });
    expect(mine.statusCode).toBe(200);
    const before = await catalogFingerprint(t.db);
    const theirs = await t.raw.inject({ method: 'PATCH', url: '/v1/blueprints/Component/entities/ProductsService', headers: h, payload: { properties: { language: 'Go' } } });
    expect(theirs.statusCode).toBe(403);
    expect(theirs.json().message).toContain('only entities owned by your teams: cart-team');
    // Nor can a member take another team's entity by rewriting its team.
    const steal = await t.raw.inject({ method: 'PATCH', url: '/v1/blueprints/Component/entities/ProductsService', headers: h, payload: { team: ['cart-team'] } });
    expect(steal.statusCode).toBe(403);
    const giveAway = await t.raw.inject({ method: 'PATCH', url: '/v1/blueprints/Component/entities/CartService', headers: h, payload: { team: ['catalog-team'] } });
    expect(giveAway.statusCode).toBe(403);
    const create = await t.raw.inject({ method: 'POST', url: '/v1/blueprints/Component/entities', headers: h, payload: { identifier: 'sneaky', team: ['catalog-team'] } });
    expect(create.statusCode).toBe(403);
    const del = await t.raw.inject({ method: 'DELETE', url: '/v1/blueprints/Component/entities/ProductsService', headers: h });
    expect(del.statusCode).toBe(403);
    const bulk = await t.raw.inject({ method: 'POST', url: '/v1/blueprints/Component/entities/bulk', headers: h, payload: { entities: [{ identifier: 'ok-one', team: ['cart-team'] }, { identifier: 'not-mine', team: ['x'] }] } });
    expect(bulk.statusCode).toBe(207);
    expect(bulk.json().errors).toEqual([expect.objectContaining({ index: 1, statusCode: 403, error: 'forbidden' })]);
    const after = await t.db.selectFrom('entities').select('identifier').where('identifier', 'in', ['sneaky', 'not-mine', 'ok-one']).execute();
    expect(after.map((r) => r.identifier)).toEqual(['ok-one']);
    void before;
  });

  it('viewers read but never write; moderators manage their blueprints only', async () => {
    const viewer = { authorization: (await t.tokenFor('viewer')).authorization };
    expect((await t.raw.inject({ method: 'GET', url: '/v1/blueprints/Component/entities/CartService', headers: viewer })).statusCode).toBe(200);
    const before = await catalogFingerprint(t.db);
    expect((await t.raw.inject({ method: 'PATCH', url: '/v1/blueprints/Component/entities/CartService', headers: viewer, payload: { title: 'x' } })).statusCode).toBe(403);
    expect(await catalogFingerprint(t.db)).toBe(before);

    const mod = { authorization: (await t.tokenFor('moderator', { moderatedBlueprints: ['Resource'] })).authorization };
    const own = await t.raw.inject({ method: 'PATCH', url: '/v1/blueprints/Resource', headers: mod, payload: { description: 'Moderated' } });
    expect(own.statusCode).toBe(200);
    expect((await t.raw.inject({ method: 'PATCH', url: '/v1/blueprints/Component', headers: mod, payload: { description: 'x' } })).statusCode).toBe(403);
    expect((await t.raw.inject({ method: 'PATCH', url: '/v1/blueprints/Resource/entities/cart-sql-db', headers: mod, payload: { title: 'Any team' } })).statusCode).toBe(200);
    expect((await t.raw.inject({ method: 'POST', url: '/v1/blueprints', headers: mod, payload: { identifier: 'New', title: 'New', schema: { properties: {} } } })).statusCode).toBe(403);
  });

  it('per-blueprint permissions: a team granted "register" creates entities of any team; the change takes effect at once', async () => {
    const ops = await t.tokenFor('member', { teams: ['ops'] });
    const h = { authorization: ops.authorization };
    const body = { identifier: 'ops-made', properties: { type: 'postgres' } };
    expect((await t.raw.inject({ method: 'POST', url: '/v1/blueprints/Resource/entities', headers: h, payload: body })).statusCode).toBe(403);
    const rule = { roles: [], teams: [], ownedByTeam: true };
    const put = await t.app.inject({ method: 'PUT', url: '/v1/blueprints/Resource/permissions', payload: { entities: { register: { ...rule, teams: ['ops'] }, update: rule, unregister: rule } } });
    expect(put.statusCode).toBe(200);
    expect((await t.raw.inject({ method: 'POST', url: '/v1/blueprints/Resource/entities', headers: h, payload: body })).statusCode).toBe(201);
  });

  it('an admin grants a role and the change takes effect on the next request', async () => {
    const carol = await createUser('carol@example.com', 'viewer');
    const s = await signIn('carol@example.com');
    const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf };
    expect((await t.raw.inject({ method: 'PATCH', url: '/v1/blueprints/Domain', headers, payload: { description: 'x' } })).statusCode).toBe(403);
    await t.app.inject({ method: 'PATCH', url: `/v1/users/${carol.id}`, payload: { role: 'moderator', moderatedBlueprints: ['Domain'] } });
    expect((await t.raw.inject({ method: 'PATCH', url: '/v1/blueprints/Domain', headers, payload: { description: 'Carol was here' } })).statusCode).toBe(200);
  });

  it('refuses to demote or delete the last admin', async () => {
    const users = (await t.app.inject({ method: 'GET', url: '/v1/users' })).json().users as { id: string; role: string }[];
    const admins = users.filter((u) => u.role === 'admin');
    expect(admins).toHaveLength(0); // the test app administers through an admin API client
    const dave = await createUser('dave@example.com', 'admin');
    const res = await t.app.inject({ method: 'PATCH', url: `/v1/users/${dave.id}`, payload: { role: 'member' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('last active admin');
  });
});

describe('teams', () => {
  it('manages teams and their members; a user\'s teams decide ownership', async () => {
    const erin = await createUser('erin@example.com', 'member');
    const created = await t.app.inject({ method: 'POST', url: '/v1/teams', payload: { identifier: 'payments-team', title: 'Payments', members: [erin.id] } });
    expect(created.statusCode).toBe(201);
    expect(created.json().team.members).toEqual([{ id: erin.id, email: 'erin@example.com', name: null }]);
    const s = await signIn('erin@example.com');
    const edit = await t.raw.inject({ method: 'PATCH', url: '/v1/blueprints/Component/entities/CorePaymentLibrary', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: { properties: { lifecycle: 'production' } } });
    expect(edit.statusCode).toBe(200);
    const unknownMember = await t.app.inject({ method: 'PATCH', url: '/v1/teams/payments-team', payload: { members: ['00000000-0000-4000-8000-000000000000'] } });
    expect(unknownMember.statusCode).toBe(400);
    expect(unknownMember.json().details[0].path).toBe('members.0');
  });
});

describe('audit log', () => {
  it('records writes with actor and request id, filters them, and shows non-admins only the catalog part', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/v1/blueprints/Component/entities/CartService', headers: { 'x-request-id': 'req-audit-1' }, payload: { title: 'Audited' } });
    expect(res.statusCode).toBe(200);
    const log = await t.app.inject({ method: 'GET', url: '/v1/audit-log?resourceType=entity&resourceId=CartService&blueprint=Component&limit=1' });
    expect(log.statusCode).toBe(200);
    const [entry] = log.json().entries;
    expect(entry).toMatchObject({ actor: t.adminActor, requestId: 'req-audit-1', action: 'update', resourceType: 'entity', resourceId: 'CartService' });
    expect(entry.after.title).toBe('Audited');
    expect(entry.before.title).not.toBe('Audited');
    expect(log.json().next).not.toBeNull();
    // No retention period configured: entries are kept.
    expect(log.json().retentionDays).toBeNull();

    const viewer = { authorization: (await t.tokenFor('viewer')).authorization };
    const users = await t.raw.inject({ method: 'GET', url: '/v1/audit-log?resourceType=user', headers: viewer });
    expect(users.json().entries).toEqual([]);
    const adminView = await t.app.inject({ method: 'GET', url: '/v1/audit-log?resourceType=user' });
    expect(adminView.json().entries.length).toBeGreaterThan(0);
  });
});

describe('secrets', () => {
  it('stores secrets encrypted, never returns or logs their values, and audits changes without them', async () => {
    const value = 'ghp_supersecretvalue1234567890';
    const put = await t.app.inject({ method: 'PUT', url: '/v1/secrets/GITHUB_TOKEN', payload: { value, description: 'for actions' } });
    expect(put.statusCode).toBe(200);
    expect(put.body).not.toContain(value);
    const list = await t.app.inject({ method: 'GET', url: '/v1/secrets' });
    expect(list.json().secrets).toEqual([expect.objectContaining({ name: 'GITHUB_TOKEN', description: 'for actions' })]);
    expect(list.body).not.toContain(value);
    const row = await t.db.selectFrom('secrets').select('sealed').executeTakeFirstOrThrow();
    expect(row.sealed).not.toContain(value);
    expect(Buffer.from(row.sealed, 'base64').toString('latin1')).not.toContain(value);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('resource_type', '=', 'secret').execute();
    expect(JSON.stringify(audit)).not.toContain(value);
    expect(await t.raw.services.secrets.reveal('GITHUB_TOKEN')).toBe(value);
    expect(t.raw.services.secrets.redactor.redact(`token=${value} done`)).toBe('token=***GITHUB_TOKEN*** done');

    const member = { authorization: (await t.tokenFor('member')).authorization };
    expect((await t.raw.inject({ method: 'GET', url: '/v1/secrets', headers: member })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: '/v1/secrets/bad-name', payload: { value: 'x' } })).statusCode).toBe(400);
  });
});

describe('hardening', () => {
  it('sends security headers with a CSP and a request id, and no stack traces', async () => {
    const res = await t.raw.inject({ method: 'GET', url: '/v1/blueprints' });
    expect(res.statusCode).toBe(401);
    // An API response: nothing may load or frame it.
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    // Documents (the SPA, the API docs) get the full set.
    const page = await t.raw.inject({ method: 'GET', url: '/docs' });
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-request-id']).toBeTruthy();
    expect(res.json()).toEqual({ ok: false, error: 'unauthorized', message: expect.any(String), requestId: res.headers['x-request-id'] });
  });
});
