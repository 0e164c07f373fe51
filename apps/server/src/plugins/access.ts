import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorBody } from '@portolan/contract';
import { canModerate, type Principal } from '../modules/identity/principal.ts';
import type { AuthService } from '../modules/identity/auth.service.ts';
import { safeEqual } from '../modules/identity/tokens.ts';

/**
 * Every /v1 route declares who may call it in `config.access`; a route without one makes the app
 * fail to build, so a route added later cannot ship unchecked. Finer rules that depend on the data
 * (entity ownership) are enforced by the services on top of this.
 */
export type Access =
  | { kind: 'public' }
  /** any signed-in user or API client */
  | { kind: 'signedIn' }
  /** a signed-in person (not an API client): their profile, their password */
  | { kind: 'user' }
  /** signed in and not read-only (entity writes: the service checks ownership per entity) */
  | { kind: 'writer' }
  /** admins, and moderators of the blueprint named by this route param */
  | { kind: 'moderator'; param: string }
  /** admins and moderators (of any blueprint): platform-team work such as editing templates */
  | { kind: 'anyModerator' }
  | { kind: 'admin' };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** A POST that only reads (search, facets): no CSRF token needed, since a cross-site page
     * can send it but never read the answer. */
    readOnly?: boolean;
    /** Where the run id is on a route an action run's scoped token may call ("param:id",
     * "query:run_id"). Routes without it refuse run tokens. */
    runToken?: `param:${string}` | `query:${string}`;
  }
  interface FastifyRequest {
    principal?: Principal;
    /** Set when the request was authenticated by the session cookie (CSRF applies). */
    sessionCsrf?: string;
    sessionId?: string;
  }
}

export const SESSION_COOKIE = 'portolan_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const accessPlugin = fp(async (app: FastifyInstance, { auth }: { auth: AuthService }) => {
  // Checked once every plugin has added its routes (a module may set a rule for all its routes).
  const routes: { method: string; url: string; options: { config?: { access?: Access } } }[] = [];
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    if (url.startsWith('/v1')) routes.push({ method: String(route.method), url, options: route }); // SPA assets, docs, health: public by nature
  });
  app.addHook('onReady', async () => {
    const missing = routes.filter((r) => !r.options.config?.access).map((r) => `${r.method} ${r.url}`);
    if (missing.length > 0) throw new Error(`Routes without an access rule (config.access): ${missing.join(', ')}`);
  });

  app.decorateRequest('principal', undefined);
  app.decorateRequest('sessionCsrf', undefined);
  app.decorateRequest('sessionId', undefined);

  // Callback style, not async: with a known bearer token (almost every API request) nothing here
  // waits, and an async hook would still cost promises and microtask hops on every request.
  app.addHook('onRequest', (req, reply, done) => {
    const decide = () => {
      const no = denial(req);
      // Answering from the hook: done is not called, so the request ends here.
      if (no) reply.status(no.status).send({ ok: false, error: no.status === 401 ? 'unauthorized' : 'forbidden', message: no.message, requestId: req.id } satisfies ErrorBody);
      else done();
    };
    const pending = authenticate(req, auth);
    if (pending) pending.then(decide, done);
    else decide();
  });
});

/** Why the authenticated request may not call its route, or null when it may. */
function denial(req: FastifyRequest): { status: 401 | 403; message: string } | null {
  // Read once: req.routeOptions builds a new object on every access.
  const config = req.routeOptions.config;
  const access = config?.access;
  if (!access || access.kind === 'public') return null;
  const deny = (status: 401 | 403, message: string) => ({ status, message });

  const p = req.principal;
  if (!p) return deny(401, 'Sign in, or send an access token (Authorization: Bearer …)');
  // Cookie-authenticated writes must prove they come from our own pages (double-submit token).
  if (req.sessionCsrf !== undefined && UNSAFE.has(req.method) && !config?.readOnly) {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !safeEqual(sent, req.sessionCsrf)) return deny(403, 'Missing or wrong x-csrf-token header');
  }
  if (p.runId !== undefined) {
    const where = config?.runToken;
    const [from, name] = where ? (where.split(':') as ['param' | 'query', string]) : [null, ''];
    const value = from === 'param' ? (req.params as Record<string, unknown>)[name] : from === 'query' ? (req.query as Record<string, unknown>)[name] : undefined;
    if (value !== p.runId) return deny(403, 'A run token can only report on its own run');
  }
  switch (access.kind) {
    case 'signedIn':
      return null;
    case 'user':
      return p.kind !== 'user' ? deny(403, 'Only signed-in users have a profile; API clients do not') : null;
    case 'writer':
      return p.role === 'viewer' ? deny(403, 'Read-only users cannot change the catalog') : null;
    case 'moderator': {
      const bp = (req.params as Record<string, string>)[access.param] ?? '';
      return !canModerate(p, bp) ? deny(403, `Only admins and moderators of "${bp}" may do this`) : null;
    }
    case 'anyModerator':
      return p.role !== 'admin' && p.role !== 'moderator' ? deny(403, 'Only admins and moderators may do this') : null;
    case 'admin':
      return p.role !== 'admin' ? deny(403, 'Only admins may do this') : null;
  }
}

/** Sets req.principal; a promise only when the answer needs the database (else synchronous). */
function authenticate(req: FastifyRequest, auth: AuthService): Promise<void> | undefined {
  const header = req.headers.authorization;
  if (typeof header === 'string' && /^bearer /i.test(header)) {
    const token = header.slice(7).trim();
    const known = auth.cachedBearerPrincipal(token);
    if (known !== undefined) {
      if (known) req.principal = known;
      return undefined;
    }
    return auth.bearerPrincipal(token).then((principal) => {
      if (principal) req.principal = principal;
    });
  }
  const sessionId = req.cookies?.[SESSION_COOKIE];
  if (!sessionId) return undefined;
  return auth.sessionPrincipal(sessionId).then((session) => {
    if (session) {
      req.principal = session.principal;
      req.sessionCsrf = session.csrfToken;
      req.sessionId = sessionId;
    }
  });
}
