import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { createApiClientSchema } from '@portolan/contract';
import type { ApiClientRow, Database } from '../../db/schema.ts';
import { NotFoundError } from '../../plugins/errors.ts';
import { insertAuditRecords } from '../audit/audit.repository.ts';
import type { Actor } from '../request-context.ts';
import { clientPrincipal, toApiClient, userPrincipal } from './identity.mapper.ts';
import * as repo from './identity.repository.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { Principal } from './principal.ts';
import { AccessTokenSigner, randomToken, sha256, type AccessTokenClaims } from './tokens.ts';

export interface AuthSettings {
  sessionTtlMs: number;
  accessTokenTtlSeconds: number;
  secretKey: Buffer;
}

export class UnauthorizedError extends Error {}

const CLIENT_CACHE_MS = 10_000;
/** Verified access tokens remembered (bounded: the cache is emptied when full). */
const VERIFIED_TOKENS_MAX = 10_000;

export class AuthService {
  readonly signer: AccessTokenSigner;
  // Verified tokens carry the client id; its role and teams are re-read at most every 10 s, so a
  // deleted or changed client loses its power within seconds without a read per request.
  private readonly clientCache = new Map<string, { at: number; row: ApiClientRow | undefined }>();
  private readonly verifiedTokens = new Map<string, AccessTokenClaims>();

  constructor(private readonly db: Kysely<Database>, readonly settings: AuthSettings) {
    this.signer = new AccessTokenSigner(settings.secretKey);
  }

  async signIn(email: string, password: string): Promise<{ sessionId: string; csrfToken: string; principal: Principal }> {
    const user = await repo.findUserByEmail(this.db, email);
    const ok = await verifyPassword(password, user?.password_hash ?? null);
    if (!user || !ok || user.disabled) throw new UnauthorizedError('Wrong email or password');
    await repo.updateUser(this.db, user.id, { last_sign_in_at: new Date() });
    return { ...(await this.createSession(user.id)), principal: userPrincipal(user) };
  }

  async createSession(userId: string): Promise<{ sessionId: string; csrfToken: string }> {
    const sessionId = randomToken();
    const csrfToken = randomToken(24);
    await repo.insertSession(this.db, { id_hash: sha256(sessionId), user_id: userId, csrf_token: csrfToken, expires_at: new Date(Date.now() + this.settings.sessionTtlMs) });
    return { sessionId, csrfToken };
  }

  async sessionPrincipal(sessionId: string): Promise<{ principal: Principal; csrfToken: string } | null> {
    const row = await repo.findSessionUser(this.db, sha256(sessionId));
    return row ? { principal: userPrincipal(row), csrfToken: row.csrf_token } : null;
  }

  async signOut(sessionId: string): Promise<void> {
    await repo.deleteSession(this.db, sha256(sessionId));
  }

  /** Find or create the user an identity provider vouched for, and keep their SSO teams in step. */
  async signInWithOidc(identity: { subject: string; email: string; name: string | null; teams: string[] }): Promise<{ sessionId: string; csrfToken: string }> {
    const userId = await this.db.transaction().execute(async (trx) => {
      let user = (await repo.findUserBySubject(trx, identity.subject)) ?? (await repo.findUserByEmail(trx, identity.email));
      if (user?.disabled) throw new UnauthorizedError('This account is disabled');
      let id: string;
      if (user) {
        id = user.id;
        await repo.updateUser(trx, id, { oidc_subject: identity.subject, email: identity.email, ...(identity.name ? { name: identity.name } : {}), last_sign_in_at: new Date() });
      } else {
        id = await repo.insertUser(trx, { email: identity.email, name: identity.name, role: 'member', moderated_blueprints: [], password_hash: null, oidc_subject: identity.subject });
        await insertAuditRecords(trx, [{ actor: `sso:${identity.email}`, requestId: null, action: 'create', resourceType: 'user', resourceId: identity.email, after: { email: identity.email, role: 'member', sso: true } }]);
      }
      await repo.syncSsoTeams(trx, id, identity.teams);
      user = await repo.findUserById(trx, id);
      return user!.id;
    });
    return this.createSession(userId);
  }

  async changeOwnPassword(userId: string, password: string): Promise<void> {
    await repo.updateUser(this.db, userId, { password_hash: await hashPassword(password) });
  }

  /** A sign-in link that works once, for the first admin or a user an admin invites. */
  async createSignInLink(userId: string, ttlMs = 24 * 3600_000): Promise<string> {
    const token = randomToken();
    await repo.insertOneTimeToken(this.db, { token_hash: sha256(token), user_id: userId, purpose: 'sign-in', expires_at: new Date(Date.now() + ttlMs) });
    return token;
  }

  async redeemSignInLink(token: string): Promise<{ sessionId: string; csrfToken: string }> {
    const userId = await repo.consumeOneTimeToken(this.db, sha256(token), 'sign-in');
    if (!userId) throw new UnauthorizedError('This sign-in link is invalid, expired or already used');
    const user = await repo.findUserById(this.db, userId);
    if (!user || user.disabled) throw new UnauthorizedError('This account is disabled');
    await repo.updateUser(this.db, userId, { last_sign_in_at: new Date() });
    return this.createSession(userId);
  }

  /** Port's client-credentials exchange: a short-lived bearer token. */
  async issueAccessToken(clientId: string, clientSecret: string): Promise<{ accessToken: string; expiresIn: number }> {
    const client = await repo.findApiClient(this.db, clientId);
    const ok = await verifyPassword(clientSecret, client?.secret_hash ?? null);
    if (!client || !ok) throw new UnauthorizedError('Invalid client credentials');
    await repo.touchApiClient(this.db, clientId);
    const expiresIn = this.settings.accessTokenTtlSeconds;
    return { accessToken: this.signer.sign({ sub: `client:${clientId}`, exp: Math.floor(Date.now() / 1000) + expiresIn, scp: 'api' }), expiresIn };
  }

  /** A token that can only report on one action run (its status, logs and entities it writes). */
  issueRunToken(runId: string, ttlSeconds = 24 * 3600): string {
    return this.signer.sign({ sub: `run:${runId}`, exp: Math.floor(Date.now() / 1000) + ttlSeconds, scp: 'run' });
  }

  async bearerPrincipal(token: string): Promise<Principal | null> {
    const claims = this.verifiedClaims(token);
    const known = this.principalWithoutDb(claims);
    if (known !== undefined || !claims) return known ?? null;
    if (claims.scp === 'run') return this.runPrincipal(claims.sub.slice(4));
    const clientId = claims.sub.slice('client:'.length);
    const row = await repo.findApiClient(this.db, clientId);
    this.clientCache.set(clientId, { at: Date.now(), row });
    return row ? clientPrincipal(row) : null;
  }

  /**
   * bearerPrincipal's answer when it needs no database read (a bad token, or an API client read in
   * the last 10 s), else undefined. Lets the access check of almost every API request stay
   * synchronous.
   */
  cachedBearerPrincipal(token: string): Principal | null | undefined {
    return this.principalWithoutDb(this.verifiedClaims(token));
  }

  /** null: no principal; undefined: the database must be asked (a run token, a client not read lately). */
  private principalWithoutDb(claims: AccessTokenClaims | null): Principal | null | undefined {
    if (claims && claims.scp === 'run' && claims.sub.startsWith('run:')) return undefined;
    if (!claims || claims.scp !== 'api' || !claims.sub.startsWith('client:')) return null;
    const cached = this.clientCache.get(claims.sub.slice('client:'.length));
    if (!cached || Date.now() - cached.at >= CLIENT_CACHE_MS) return undefined;
    return cached.row ? clientPrincipal(cached.row) : null;
  }

  /**
   * The claims of a token whose signature checked out. A client sends the same token for hours, and
   * checking its HMAC was the largest cost of an API request, so a verified token is remembered;
   * only expiry is checked again on each use (signatures cannot change, the key is fixed).
   */
  private verifiedClaims(token: string): AccessTokenClaims | null {
    const known = this.verifiedTokens.get(token);
    if (known) return known.exp * 1000 > Date.now() ? known : null;
    const claims = this.signer.verify(token);
    if (claims) {
      if (this.verifiedTokens.size >= VERIFIED_TOKENS_MAX) this.verifiedTokens.clear();
      this.verifiedTokens.set(token, claims);
    }
    return claims;
  }

  /**
   * A run token acts for the person who ran the action, never above a member (an admin's run
   * cannot hand its workflow admin power) and only where a route opts in for run tokens.
   */
  private async runPrincipal(runId: string): Promise<Principal | null> {
    const row = await this.db.selectFrom('action_runs').select(['id', 'principal']).where('id', '=', runId).executeTakeFirst();
    if (!row) return null;
    const by = (row.principal ?? {}) as Partial<Principal>;
    const role = by.role === 'viewer' ? 'viewer' : 'member';
    return { kind: 'client', id: `run:${runId}`, actorId: `run:${runId}`, email: null, name: null, role, teams: Array.isArray(by.teams) ? by.teams : [], moderatedBlueprints: [], runId };
  }

  async listClients() {
    return (await repo.findApiClients(this.db)).map(toApiClient);
  }

  async createClient(input: z.output<typeof createApiClientSchema>, actor: Actor) {
    const clientId = `ptl-${randomToken(9)}`;
    const clientSecret = randomToken(32);
    await this.db.transaction().execute(async (trx) => {
      await repo.upsertApiClient(trx, { client_id: clientId, name: input.name, secret_hash: await hashPassword(clientSecret), role: input.role, teams: input.teams, moderated_blueprints: input.moderatedBlueprints, created_by: actor.id });
      const row = (await repo.findApiClient(trx, clientId))!;
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'create', resourceType: 'api_client', resourceId: clientId, after: toApiClient(row) }]);
    });
    return { client: toApiClient((await repo.findApiClient(this.db, clientId))!), clientSecret };
  }

  async rotateClientSecret(clientId: string, actor: Actor) {
    const row = await repo.findApiClient(this.db, clientId);
    if (!row) throw new NotFoundError(`API client ${clientId} not found`);
    const clientSecret = randomToken(32);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('api_clients').set({ secret_hash: await hashPassword(clientSecret) }).where('client_id', '=', clientId).execute();
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'update', resourceType: 'api_client', resourceId: clientId, before: toApiClient(row), after: { ...toApiClient(row), secretRotated: true } }]);
    });
    return { client: toApiClient(row), clientSecret };
  }

  async deleteClient(clientId: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await repo.findApiClient(trx, clientId);
      if (!row) throw new NotFoundError(`API client ${clientId} not found`);
      await repo.deleteApiClient(trx, clientId);
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'delete', resourceType: 'api_client', resourceId: clientId, before: toApiClient(row) }]);
    });
    this.clientCache.delete(clientId);
  }

  /**
   * First start: make sure someone can administer the portal. Returns a one-time sign-in link
   * token when it had to create the admin without a password.
   */
  async bootstrap(opts: { adminEmail: string; adminPassword?: string; adminClientId?: string; adminClientSecret?: string }, actor: Actor): Promise<{ createdAdmin: string | null; signInToken: string | null }> {
    let createdAdmin: string | null = null;
    let signInToken: string | null = null;
    if ((await repo.countAdmins(this.db)) === 0) {
      const existing = await repo.findUserByEmail(this.db, opts.adminEmail);
      const passwordHash = opts.adminPassword ? await hashPassword(opts.adminPassword) : null;
      let id: string;
      if (existing) {
        id = existing.id;
        await repo.updateUser(this.db, id, { role: 'admin', disabled: false, ...(passwordHash ? { password_hash: passwordHash } : {}) });
      } else {
        id = await repo.insertUser(this.db, { email: opts.adminEmail, name: 'Administrator', role: 'admin', moderated_blueprints: [], password_hash: passwordHash });
      }
      await insertAuditRecords(this.db, [{ actor: actor.id, requestId: null, action: 'create', resourceType: 'user', resourceId: opts.adminEmail, after: { email: opts.adminEmail, role: 'admin' } }]);
      createdAdmin = opts.adminEmail;
      if (!passwordHash) signInToken = await this.createSignInLink(id);
    }
    if (opts.adminClientId && opts.adminClientSecret) {
      const current = await repo.findApiClient(this.db, opts.adminClientId);
      if (!current || !(await verifyPassword(opts.adminClientSecret, current.secret_hash)) || current.role !== 'admin') {
        await repo.upsertApiClient(this.db, { client_id: opts.adminClientId, name: 'Bootstrap admin client', secret_hash: await hashPassword(opts.adminClientSecret), role: 'admin', teams: [], moderated_blueprints: [], created_by: actor.id });
      }
    }
    return { createdAdmin, signInToken };
  }
}
