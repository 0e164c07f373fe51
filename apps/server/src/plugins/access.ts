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

  app.addHook('onRequest', async (req, reply) => {
    await authenticate(req, auth);
    const access = req.routeOptions.config?.access;
    if (!access || access.kind === 'public') return;
    const deny = (status: 401 | 403, message: string) =>
      reply.status(status).send({ ok: false, error: status === 401 ? 'unauthorized' : 'forbidden', message, requestId: req.id } satisfies ErrorBody);

    const p = req.principal;
    if (!p) return deny(401, 'Sign in, or send an access token (Authorization: Bearer …)');
    // Cookie-authenticated writes must prove they come from our own pages (double-submit token).
    if (req.sessionCsrf !== undefined && UNSAFE.has(req.method) && !req.routeOptions.config?.readOnly) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, req.sessionCsrf)) return deny(403, 'Missing or wrong x-csrf-token header');
    }
    if (p.runId !== undefined) {
      const where = req.routeOptions.config?.runToken;
      const [from, name] = where ? (where.split(':') as ['param' | 'query', string]) : [null, ''];
      const value = from === 'param' ? (req.params as Record<string, unknown>)[name] : from === 'query' ? (req.query as Record<string, unknown>)[name] : undefined;
      if (value !== p.runId) return deny(403, 'A run token can only report on its own run');
    }
    switch (access.kind) {
      case 'signedIn':
        return;
      case 'user':
        if (p.kind !== 'user') return deny(403, 'Only signed-in users have a profile; API clients do not');
        return;
      case 'writer':
        if (p.role === 'viewer') return deny(403, 'Read-only users cannot change the catalog');
        return;
      case 'moderator': {
        const bp = (req.params as Record<string, string>)[access.param] ?? '';
        if (!canModerate(p, bp)) return deny(403, `Only admins and moderators of "${bp}" may do this`);
        return;
      }
      case 'anyModerator':
        if (p.role !== 'admin' && p.role !== 'moderator') return deny(403, 'Only admins and moderators may do this');
        return;
      case 'admin':
        if (p.role !== 'admin') return deny(403, 'Only admins may do this');
        return;
    }
  });
});

async function authenticate(req: FastifyRequest, auth: AuthService): Promise<void> {
  const header = req.headers.authorization;
  if (typeof header === 'string' && /^bearer /i.test(header)) {
    const principal = await auth.bearerPrincipal(header.slice(7).trim());
    if (principal) req.principal = principal;
    return;
  }
  const sessionId = req.cookies?.[SESSION_COOKIE];
  if (sessionId) {
    const session = await auth.sessionPrincipal(sessionId);
    if (session) {
      req.principal = session.principal;
      req.sessionCsrf = session.csrfToken;
      req.sessionId = sessionId;
    }
  }
}
