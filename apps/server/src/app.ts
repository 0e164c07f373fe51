import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from './db/database.ts';
import { errorHandlerPlugin, InvalidError, nulCharacterPath } from './plugins/errors.ts';
import { openApiPlugin } from './plugins/openapi.ts';
import { blueprintsRoutes } from './modules/blueprints/blueprints.routes.ts';
import { BlueprintsService } from './modules/blueprints/blueprints.service.ts';
import { entitiesRoutes } from './modules/entities/entities.routes.ts';
import { EntitiesService } from './modules/entities/entities.service.ts';
import type { Actor } from './modules/request-context.ts';
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import rateLimit from '@fastify/rate-limit';
import { createHmac } from 'node:crypto';
import { accessPlugin, type Access } from './plugins/access.ts';
import { AUDIT_PRUNE_JOB, AuditRetention, type AuditRetentionOptions } from './modules/audit/audit-retention.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { AuthService } from './modules/identity/auth.service.ts';
import { authRoutes } from './modules/identity/auth.routes.ts';
import { identityRoutes } from './modules/identity/identity.routes.ts';
import { OidcClient, type OidcSettings } from './modules/identity/oidc.ts';
import { PermissionsService } from './modules/identity/permissions.service.ts';
import { UsersService } from './modules/identity/users.service.ts';
import { SecretBox } from './modules/secrets/secret-box.ts';
import { catalogFilesRoutes } from './modules/catalog-files/catalog-files.routes.ts';
import { GitHubCatalogReader } from './modules/locations/github-catalog-reader.ts';
import { locationsRoutes } from './modules/locations/locations.routes.ts';
import { LocationsService, REFRESH_JOB } from './modules/locations/locations.service.ts';
import { CatalogExportService } from './modules/catalog-files/catalog-export.service.ts';
import { CatalogImportService } from './modules/catalog-files/catalog-import.service.ts';
import { secretsRoutes } from './modules/secrets/secrets.routes.ts';
import { SecretsService } from './modules/secrets/secrets.service.ts';
import { searchRoutes } from './modules/search/search.routes.ts';
import type { GitHubConfig } from './modules/github/github.client.ts';
import { GitHubService } from './modules/github/github.service.ts';
import { scaffolderRoutes } from './modules/scaffolder/scaffolder.routes.ts';
import { ScaffolderService } from './modules/scaffolder/scaffolder.service.ts';
import { TaskEventHub } from './modules/scaffolder/task-event-hub.ts';
import { TaskQueue, type QueueOptions } from './modules/scaffolder/task-queue.ts';
import { TaskRunner } from './modules/scaffolder/task-runner.ts';
import { SearchService, type SearchOptions } from './modules/search/search.service.ts';
import { ActionRunner, type RunnerOptions } from './modules/actions/action-runner.ts';
import { INVOKE_JOB, TRACK_JOB } from './modules/actions/actions.repository.ts';
import { actionsRoutes, githubWebhookRoutes } from './modules/actions/actions.routes.ts';
import { ActionsService } from './modules/actions/actions.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

export interface IdentityDeps {
  /** Master key: seals secrets, signs access tokens and cookies. */
  secretKey: Buffer;
  /** The portal's URL as browsers see it (sign-in links, SSO callback). */
  publicUrl: string;
  sessionTtlMs?: number;
  accessTokenTtlSeconds?: number;
  oidc?: OidcSettings | null;
  /** 'always' behind TLS; 'auto' marks cookies Secure when the request came over https. */
  secureCookies?: 'always' | 'auto';
}

export interface ScaffolderAppDeps {
  /** The database URL again, for the job queue's pool and the LISTEN connection of live events.
   * Without it tasks are stored but not run, and event streams poll. */
  connectionString?: string;
  /** null or absent: GitHub not configured (dry-runs work; GitHub steps say what to set). */
  github?: GitHubConfig | null;
  /** Counts and observes GitHub requests (benchmarks, tests). */
  githubHooks?: ConstructorParameters<typeof GitHubService>[1];
  queue?: Omit<QueueOptions, 'connectionString'>;
}

export interface AppDeps {
  db: Db;
  identity: IdentityDeps;
  scaffolder?: ScaffolderAppDeps;
  logger?: FastifyServerOptions['logger'];
  bodyLimit?: number;
  trustProxy?: boolean;
  locations?: { orphanDeleteLimit?: number; refreshIntervalMs?: number };
  /** Action runs: GitHub polling backoff, webhook timeout, recovery. */
  actions?: RunnerOptions;
  search?: SearchOptions;
  /** How long audit entries are kept (see modules/audit/audit-retention). */
  audit?: AuditRetentionOptions;
}

export interface AppServices {
  auth: AuthService;
  secrets: SecretsService;
  scaffolder: ScaffolderService;
  github: GitHubService;
  /** The scaffolder's job runner (also runs action runs): main.ts starts it; app.close() stops it. */
  taskQueue: TaskQueue | null;
  actions: ActionsService;
  actionRunner: ActionRunner;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices;
  }
}

/** Builds the whole HTTP application; main.ts only listens, tests use app.inject. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.bodyLimit ?? 5 * 1024 * 1024,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    },
    requestIdHeader: false,
    trustProxy: deps.trustProxy ?? false,
    routerOptions: { maxParamLength: 1000 },
    ajv: { customOptions: { coerceTypes: false } },
  }).withTypeProvider<ZodTypeProvider>();

  // JSON only: a text/plain body is answered 415 instead of being fed to a JSON schema.
  app.removeContentTypeParser('text/plain');
  // Fastify's own JSON parsing, plus one check: PostgreSQL cannot store the NUL character, so a
  // body carrying one (escaped as \u0000, the only way JSON can) is refused here with its path
  // instead of failing deep in a write. The scan of the raw text costs next to nothing.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    parseJson(req, body as string, (err, value) => {
      if (err) return done(err, undefined);
      const path = (body as string).includes('\\u0000') ? nulCharacterPath(value) : null;
      if (path !== null) return done(new InvalidError(`Invalid body: body.${path} must not contain the NUL character (U+0000)`, [{ path: `body.${path}`, message: 'must not contain the NUL character (U+0000)' }]), undefined);
      done(null, value);
    });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Callback-style hooks (here and below): an async hook costs a promise and a microtask hop on
  // every request for what is a synchronous assignment.
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    done(null, payload);
  });

  await app.register(errorHandlerPlugin);
  await app.register(openApiPlugin);

  const identity = deps.identity;
  const auth = new AuthService(deps.db, {
    secretKey: identity.secretKey,
    sessionTtlMs: identity.sessionTtlMs ?? 12 * 3600_000,
    accessTokenTtlSeconds: identity.accessTokenTtlSeconds ?? 3 * 3600,
  });
  const secrets = new SecretsService(deps.db, new SecretBox(identity.secretKey));
  // Known secret values are loaded for redaction once the app is ready (not while it is built),
  // and again every 30 s so a secret another replica stored is redacted here too.
  let redactorTimer: NodeJS.Timeout | null = null;
  const refreshRedactor = () => secrets.refreshRedactor().catch((err: unknown) => app.log.error({ err }, 'could not load secrets for redaction'));
  app.addHook('onReady', async () => {
    await refreshRedactor();
    redactorTimer = setInterval(() => void refreshRedactor(), 30_000);
    redactorTimer.unref();
  });
  app.addHook('onClose', async () => {
    if (redactorTimer) clearInterval(redactorTimer);
  });
  const sc = deps.scaffolder ?? {};
  const github = new GitHubService(sc.github ?? null, sc.githubHooks);
  const scaffolderEntities = new EntitiesService(deps.db);
  const taskRunner = new TaskRunner({ db: deps.db, github, entities: scaffolderEntities, secrets });
  const taskQueue = sc.connectionString
    ? new TaskQueue(deps.db, taskRunner, { ...sc.queue, log: sc.queue?.log ?? ((level, msg) => app.log[level](msg)), connectionString: sc.connectionString })
    : null;
  const eventHub = new TaskEventHub(sc.connectionString ?? null);
  const scaffolder = new ScaffolderService({ db: deps.db, github, entities: scaffolderEntities, secrets, queue: () => taskQueue });
  const actions = new ActionsService({ db: deps.db, redactor: secrets.redactor });
  const actionRunner = new ActionRunner(
    { db: deps.db, github, secrets, auth, entities: scaffolderEntities, publicUrl: identity.publicUrl },
    { pollBaseMs: sc.github?.runPollIntervalMs ?? 2000, ...deps.actions },
  );
  // Action runs share the scaffolder's graphile-worker runner (one queue per process).
  taskQueue?.addTask(INVOKE_JOB, async (payload) => {
    const runId = (payload as { runId?: unknown }).runId;
    if (typeof runId === 'string') await actionRunner.invoke(runId);
  }, () => actionRunner.sweep());
  taskQueue?.addTask(TRACK_JOB, async (payload) => {
    const runId = (payload as { runId?: unknown }).runId;
    if (typeof runId === 'string') await actionRunner.track(runId);
  });
  const locations = new LocationsService(
    deps.db,
    () => new GitHubCatalogReader(github),
    { orphanDeleteLimit: deps.locations?.orphanDeleteLimit ?? 0, refreshIntervalMs: deps.locations?.refreshIntervalMs ?? 30 * 60_000 },
    github,
  );
  // Locations are read again on a schedule, in the same durable queue (the sweep queues it when due).
  taskQueue?.addTask(REFRESH_JOB, async () => {
    await locations.refreshAll();
  }, () => locations.scheduleDueRefresh());
  // Old audit entries are deleted the same way, when a retention period is set.
  const auditRetention = new AuditRetention(deps.db, deps.audit ?? { retentionDays: null });
  taskQueue?.addTask(AUDIT_PRUNE_JOB, async () => {
    const deleted = await auditRetention.prune();
    if (deleted > 0) app.log.info({ deleted, retentionDays: deps.audit?.retentionDays }, 'deleted audit entries older than the retention period');
  }, () => auditRetention.scheduleDuePrune());
  app.addHook('onClose', async () => {
    await taskQueue?.stop();
    await eventHub.close();
  });
  app.decorate('services', { auth, secrets, scaffolder, github, taskQueue, actions, actionRunner });

  await app.register(cookie, { secret: createHmac('sha256', identity.secretKey).update('portolan:cookies:v1').digest('hex') });
  // helmet's headers are fixed (no per-request CSP nonces), so they are computed once and every
  // request only copies them into the reply's headers; running helmet's middleware chain per
  // request rebuilt the CSP string each time. Not res.setHeader on the raw response, as helmet
  // does: Node then keeps a [name, value] array per header, and after a bulk import (long-lived
  // requests) V8 allocated those straight into the old generation on every later request, which
  // made every young GC slower and filled the heap. A hijacked reply (the task event stream) copies
  // them from reply.getHeaders().
  const securityHeaders = Object.fromEntries(fixedHeadersOf(helmet({
    // The SPA is self-hosted: scripts, styles and fonts from our origin only. Inline styles are
    // allowed because the component library sets style attributes at run time.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  })).map(([name, value]) => [name.toLowerCase(), value]));
  // API responses are JSON, never rendered as a page: the headers that only govern documents
  // (most of the CSP, opener and agent-cluster isolation, DNS prefetch, legacy XSS and download
  // switches) do nothing there. They get the set OWASP's REST guidance names instead, a third of
  // the bytes on the catalog's most frequent responses. Anything else (the SPA, /docs) gets all.
  const apiSecurityHeaders = {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': securityHeaders['strict-transport-security']!,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  };
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(req.url.startsWith('/v1/') ? apiSecurityHeaders : securityHeaders);
    done();
  });
  await app.register(rateLimit, { global: false });
  await app.register(accessPlugin, { auth });

  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('preHandler', (req, reply, done) => {
    const p = req.principal;
    req.actor = p ? { id: p.actorId, requestId: req.id, principal: p } : { id: 'anonymous', requestId: req.id };
    done();
  });

  const publicUrl = identity.publicUrl;
  await app.register(authRoutes, { auth, db: deps.db, oidc: identity.oidc ? new OidcClient(identity.oidc) : null, secureCookies: identity.secureCookies ?? 'auto' });
  await app.register(identityRoutes, { users: new UsersService(deps.db), auth, permissions: new PermissionsService(deps.db), publicUrl });
  await app.register(auditRoutes, { db: deps.db, retentionDays: deps.audit?.retentionDays ?? null });
  await app.register(secretsRoutes, { service: secrets });
  await app.register(catalogFilesRoutes, { importer: new CatalogImportService(deps.db), exporter: new CatalogExportService(deps.db) });
  await app.register(locationsRoutes, { service: locations });

  app.get('/healthz', {
    schema: { tags: ['system'], summary: 'Liveness and database reachability', response: { 200: z.object({ ok: z.literal(true) }) } },
  }, async () => {
    await deps.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
    return { ok: true as const };
  });

  await app.register(blueprintsRoutes, { service: new BlueprintsService(deps.db) });
  await app.register(entitiesRoutes, { service: new EntitiesService(deps.db), onRunEntity: (runId, bp, id, actor) => actions.noteEntityWrite(runId, bp, id, actor) });
  await app.register(actionsRoutes, { service: actions });
  await app.register(githubWebhookRoutes, { runner: actionRunner, secrets });
  await app.register(withAccess({ kind: 'signedIn' }, searchRoutes), { service: new SearchService(deps.db, deps.search) });
  await app.register(scaffolderRoutes, { service: scaffolder, hub: eventHub, db: deps.db });
  await app.register((await import('./plugins/spa.ts')).spaPlugin);

  return app;
}

/**
 * The headers a connect-style middleware sets when it answers synchronously and the same for every
 * request (helmet as configured above), captured once by running it against a recording response.
 */
function fixedHeadersOf(middleware: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void): [string, string][] {
  const headers: [string, string][] = [];
  let finished = false;
  const recorder = {
    setHeader: (name: string, value: unknown) => void headers.push([name, String(value)]),
    // helmet only removes X-Powered-By, which Fastify never sets.
    removeHeader: () => {},
  };
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (err) => {
    if (err) throw err as Error;
    finished = true;
  });
  if (!finished) throw new Error('security headers middleware did not answer synchronously');
  return headers;
}

/**
 * Every route of a read-only module (search, facets, graph) gets one access rule, unless a route
 * sets its own, and is marked read-only (its POSTs need no CSRF token).
 */
function withAccess<O>(access: Access, plugin: (app: FastifyInstance, opts: O) => Promise<void>) {
  return async (scope: FastifyInstance, opts: O) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), access: route.config?.access ?? access, readOnly: true };
    });
    await plugin(scope, opts);
  };
}
