import net from 'node:net';
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';

// Single sign-on against a real, certified OpenID provider (oidc-provider) on loopback: the
// portal's own client code runs unchanged, through discovery, PKCE, the code exchange, ID token
// checks and userinfo.

const PORTAL = 'http://127.0.0.1:7007';
const accounts: Record<string, { email: string; name: string; groups: string[] }> = {
  'u-1': { email: 'Grace@Example.com', name: 'Grace Hopper', groups: ['cart-team', 'sso-admins'] },
};

let issuer: string;
let server: Server;
let t: TestApp;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: 'portolan', client_secret: 'portolan-test-secret', redirect_uris: [`${PORTAL}/v1/auth/oidc/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    findAccount: async (_ctx, id) => {
      const a = accounts[id];
      if (!a) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, email: a.email, email_verified: true, name: a.name, groups: a.groups }) };
    },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['test-cookie-key'] },
  });
  server = provider.listen(port);
  t = await createTestApp({
    examples: true,
    identity: { publicUrl: PORTAL, oidc: { issuer, clientId: 'portolan', clientSecret: 'portolan-test-secret', publicUrl: PORTAL, teamsClaim: 'groups', displayName: 'Test IdP' } },
  });
});
afterAll(async () => {
  await t?.close();
  await new Promise((r) => server?.close(r));
});

/** Follows the provider's redirects with a cookie jar, filling its login and consent forms. */
async function loginAtProvider(authorizeUrl: string, accountId: string): Promise<string> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = pair!.split('=');
      jar.set(k!, v.join('='));
    }
  };
  let url = authorizeUrl;
  for (let step = 0; step < 20; step++) {
    if (url.startsWith(PORTAL)) return url; // back at the portal's callback
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader() } });
    remember(res);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).toString();
      continue;
    }
    const html = await res.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? (html.includes('name="login"') ? 'login' : 'consent');
    const form = new URLSearchParams({ prompt, ...(prompt === 'login' ? { login: accountId, password: 'any' } : {}) });
    const submit = await fetch(url, { method: 'POST', redirect: 'manual', headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    remember(submit);
    url = new URL(submit.headers.get('location')!, url).toString();
  }
  throw new Error('too many redirects at the provider');
}

describe('OpenID Connect sign-in', () => {
  it('signs a new user in, with email, name and teams from the claims', async () => {
    const providers = await t.raw.inject({ method: 'GET', url: '/v1/auth/providers' });
    expect(providers.json().oidc).toEqual({ name: 'Test IdP', url: '/v1/auth/oidc/login' });

    const start = await t.raw.inject({ method: 'GET', url: '/v1/auth/oidc/login' });
    expect(start.statusCode).toBe(302);
    const location = start.headers.location as string;
    expect(location.startsWith(`${issuer}/auth?`)).toBe(true);
    expect(new URL(location).searchParams.get('code_challenge_method')).toBe('S256');
    const oidcCookie = start.cookies.find((c) => c.name === 'portolan_oidc')!;
    expect(oidcCookie.httpOnly).toBe(true);

    const callback = await loginAtProvider(location, 'u-1');
    const done = await t.raw.inject({ method: 'GET', url: callback.slice(PORTAL.length), headers: { cookie: `portolan_oidc=${oidcCookie.value}` } });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/');
    const session = done.cookies.find((c) => c.name === 'portolan_session')!;
    const me = await t.raw.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: `portolan_session=${session.value}` } });
    expect(me.json().user).toMatchObject({ email: 'grace@example.com', name: 'Grace Hopper', role: 'member', teams: ['cart-team', 'sso-admins'], sso: true, hasPassword: false });

    // A second sign-in after the groups changed keeps the SSO teams in step.
    accounts['u-1']!.groups = ['cart-team'];
    const again = await t.raw.inject({ method: 'GET', url: '/v1/auth/oidc/login' });
    const cb2 = await loginAtProvider(again.headers.location as string, 'u-1');
    const done2 = await t.raw.inject({ method: 'GET', url: cb2.slice(PORTAL.length), headers: { cookie: `portolan_oidc=${again.cookies.find((c) => c.name === 'portolan_oidc')!.value}` } });
    const s2 = done2.cookies.find((c) => c.name === 'portolan_session')!;
    const me2 = await t.raw.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: `portolan_session=${s2.value}` } });
    expect(me2.json().user.teams).toEqual(['cart-team']);
    const users = await t.db.selectFrom('users').select('email').where('email', '=', 'grace@example.com').execute();
    expect(users).toHaveLength(1);
  });

  it('refuses a callback whose state does not match the browser (no session)', async () => {
    const a = await t.raw.inject({ method: 'GET', url: '/v1/auth/oidc/login' });
    const b = await t.raw.inject({ method: 'GET', url: '/v1/auth/oidc/login' });
    const callback = await loginAtProvider(a.headers.location as string, 'u-1');
    // The callback of flow A presented with the cookie of flow B: a login CSRF attempt.
    const res = await t.raw.inject({ method: 'GET', url: callback.slice(PORTAL.length), headers: { cookie: `portolan_oidc=${b.cookies.find((c) => c.name === 'portolan_oidc')!.value}` } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('/sign-in?error=');
    expect(res.cookies.find((c) => c.name === 'portolan_session')).toBeUndefined();
    const noCookie = await t.raw.inject({ method: 'GET', url: callback.slice(PORTAL.length) });
    expect(noCookie.headers.location).toContain('/sign-in?error=');
  });
});
