import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { accessTokenBodySchema, accessTokenResponseSchema, errorBodySchema, meResponseSchema, signInBodySchema } from '@portolan/contract';
import { SESSION_COOKIE } from '../../plugins/access.ts';
import { toUser } from './identity.mapper.ts';
import { findUserById } from './identity.repository.ts';
import { AuthService, UnauthorizedError } from './auth.service.ts';
import type { OidcClient } from './oidc.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

const OIDC_COOKIE = 'portolan_oidc';
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 429: errorBodySchema };
const publicAccess = { kind: 'public' as const };
// Sign-in and token endpoints are where passwords get guessed: a few tries a minute per address.
const strictLimit = { max: 10, timeWindow: '1 minute' };

export interface AuthRoutesOptions {
  auth: AuthService;
  db: Kysely<Database>;
  oidc: OidcClient | null;
  /** Secure cookies: always behind TLS, or when the request came over https. */
  secureCookies: 'always' | 'auto';
}

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, { auth, db, oidc, secureCookies }) => {
  const cookieOptions = (req: FastifyRequest, maxAgeMs: number) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: secureCookies === 'always' || req.protocol === 'https',
    maxAge: Math.floor(maxAgeMs / 1000),
  });
  const startSession = (req: FastifyRequest, reply: FastifyReply, sessionId: string) =>
    reply.setCookie(SESSION_COOKIE, sessionId, cookieOptions(req, auth.settings.sessionTtlMs));

  app.get('/v1/auth/providers', {
    config: { access: publicAccess },
    schema: { tags: ['auth'], summary: 'How users can sign in here', response: { 200: z.object({ ok: z.literal(true), password: z.literal(true), oidc: z.object({ name: z.string(), url: z.string() }).nullable() }) } },
  }, async () => ({ ok: true as const, password: true as const, oidc: oidc ? { name: oidc.settings.displayName, url: '/v1/auth/oidc/login' } : null }));

  app.post('/v1/auth/sign-in', {
    config: { access: publicAccess, rateLimit: strictLimit },
    schema: { tags: ['auth'], summary: 'Sign in with email and password (sets the session cookie)', body: signInBodySchema, response: { 200: meResponseSchema, ...errors } },
  }, async (req, reply) => {
    try {
      const { sessionId, csrfToken, principal } = await auth.signIn(req.body.email, req.body.password);
      startSession(req, reply, sessionId);
      const user = await findUserById(db, principal.id);
      return { ok: true as const, user: toUser(user!), csrfToken };
    } catch (error) {
      if (error instanceof UnauthorizedError) return reply.status(401).send({ ok: false, error: 'unauthorized', message: error.message, requestId: req.id });
      throw error;
    }
  });

  app.post('/v1/auth/sign-out', {
    config: { access: { kind: 'signedIn' } },
    schema: { tags: ['auth'], summary: 'End this session', response: { 200: z.object({ ok: z.literal(true) }), ...errors } },
  }, async (req, reply) => {
    if (req.sessionId) await auth.signOut(req.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  app.get('/v1/auth/me', {
    config: { access: { kind: 'user' } },
    schema: { tags: ['auth'], summary: 'The signed-in user and the CSRF token for unsafe requests', response: { 200: meResponseSchema, ...errors } },
  }, async (req) => {
    const user = await findUserById(db, req.principal!.id);
    return { ok: true as const, user: toUser(user!), csrfToken: req.sessionCsrf ?? '' };
  });

  app.post('/v1/auth/password', {
    config: { access: { kind: 'user' }, rateLimit: strictLimit },
    schema: { tags: ['auth'], summary: 'Set your own password', body: z.object({ password: z.string().min(12, 'must be at least 12 characters').max(512) }), response: { 200: z.object({ ok: z.literal(true) }), ...errors } },
  }, async (req) => {
    await auth.changeOwnPassword(req.principal!.id, req.body.password);
    return { ok: true as const };
  });

  // A link printed at first start or handed out by an admin: signs in once, then goes to the app.
  app.get('/v1/auth/sign-in-link/:token', {
    config: { access: publicAccess, rateLimit: strictLimit },
    schema: { tags: ['auth'], summary: 'Redeem a one-time sign-in link', params: z.object({ token: z.string().min(10).max(200) }) },
  }, async (req, reply) => {
    try {
      const { sessionId } = await auth.redeemSignInLink(req.params.token);
      startSession(req, reply, sessionId);
      return reply.redirect('/', 303);
    } catch (error) {
      if (error instanceof UnauthorizedError) return reply.redirect(`/sign-in?error=${encodeURIComponent(error.message)}`, 303);
      throw error;
    }
  });

  app.post('/v1/auth/access_token', {
    config: { access: publicAccess, rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: { tags: ['auth'], summary: "Exchange an API client's id and secret for a bearer token (Port-compatible)", body: accessTokenBodySchema, response: { 200: accessTokenResponseSchema, ...errors } },
  }, async (req, reply) => {
    try {
      const { accessToken, expiresIn } = await auth.issueAccessToken(req.body.clientId, req.body.clientSecret);
      return { ok: true as const, accessToken, expiresIn, tokenType: 'Bearer' as const };
    } catch (error) {
      if (error instanceof UnauthorizedError) return reply.status(401).send({ ok: false, error: 'unauthorized', message: error.message, requestId: req.id });
      throw error;
    }
  });

  if (!oidc) return;

  app.get('/v1/auth/oidc/login', {
    config: { access: publicAccess, rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { tags: ['auth'], summary: 'Start single sign-on (redirects to the identity provider)' },
  }, async (req, reply) => {
    const { url, checks } = await oidc.start();
    // The checks ride in a signed, short-lived cookie: no server state between the two legs.
    reply.setCookie(OIDC_COOKIE, JSON.stringify(checks), { ...cookieOptions(req, 10 * 60_000), signed: true, path: '/v1/auth/oidc' });
    return reply.redirect(url, 302);
  });

  app.get('/v1/auth/oidc/callback', {
    config: { access: publicAccess, rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { tags: ['auth'], summary: 'Single sign-on callback' },
  }, async (req, reply) => {
    const raw = req.cookies[OIDC_COOKIE];
    const unsigned = raw ? req.unsignCookie(raw) : null;
    reply.clearCookie(OIDC_COOKIE, { path: '/v1/auth/oidc' });
    if (!unsigned?.valid || !unsigned.value) return reply.redirect('/sign-in?error=' + encodeURIComponent('Single sign-on expired; try again'), 303);
    try {
      const checks = JSON.parse(unsigned.value) as { state: string; nonce: string; verifier: string };
      const callbackUrl = new URL(req.url, oidc.redirectUri);
      const identity = await oidc.finish(callbackUrl, checks);
      const { sessionId } = await auth.signInWithOidc(identity);
      startSession(req, reply, sessionId);
      return reply.redirect('/', 303);
    } catch (error) {
      req.log.warn({ err: error }, 'single sign-on failed');
      const message = error instanceof UnauthorizedError ? error.message : 'Single sign-on failed';
      return reply.redirect('/sign-in?error=' + encodeURIComponent(message), 303);
    }
  });
};
