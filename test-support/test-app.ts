import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Role } from '@portolan/contract';
import { buildApp, type IdentityDeps, type ScaffolderAppDeps, type AppDeps } from '../apps/server/src/app.ts';
import { applyActions, applyBlueprints, applyEntities, readActionExamples, readExamples } from '../apps/server/src/seed/load-examples.ts';
import { REPO_ROOT } from '../apps/server/src/config.ts';
import { SYSTEM_ACTOR_ID } from '../apps/server/src/modules/request-context.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { createDatabase } from '../apps/server/src/db/database.ts';

export interface TestApp extends TestDatabase {
  /** The app, with every inject() sent as an admin API client unless it sets its own authorization. */
  app: FastifyInstance;
  /** The same app with no credentials added: what an anonymous caller sees. */
  raw: FastifyInstance;
  /** The admin client's actor id as the audit log records it ("client:…"). */
  adminActor: string;
  /** A bearer header for a new API client with this role, teams and moderated blueprints. */
  tokenFor(role: Role, opts?: { teams?: string[]; moderatedBlueprints?: string[] }): Promise<{ authorization: string; actor: string }>;
  close(): Promise<void>;
}

/** A test file's own app on its own cloned database, optionally with the example catalog loaded. */
export interface TestAppOptions {
  examples?: boolean;
  identity?: Partial<IdentityDeps>;
  /** Scaffolder settings (GitHub config, queue timings). The job queue is built but only runs
   * when a test calls `app.services.taskQueue.start()`; close() stops it. */
  scaffolder?: Omit<ScaffolderAppDeps, 'connectionString'>;
  locations?: { orphanDeleteLimit?: number; refreshIntervalMs?: number };
  search?: AppDeps['search'];
  audit?: AppDeps['audit'];
  /** Use this database (a second app on the same database) instead of cloning a new one. */
  database?: TestDatabase;
}

export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const shared = opts.database;
  const database = shared ?? (await createTestDatabase());
  if (opts.examples && !shared) await loadExamples(database);
  // A second app on a shared database gets its own pool, closed with it.
  const ownDb = shared ? createDatabase({ connectionString: shared.url, maxConnections: 5 }).db : null;
  const app = await buildApp({
    db: ownDb ?? database.db,
    identity: { secretKey: randomBytes(32), publicUrl: 'http://127.0.0.1:7007', ...opts.identity },
    scaffolder: { ...opts.scaffolder, connectionString: database.url },
    ...(opts.locations ? { locations: opts.locations } : {}),
    ...(opts.search ? { search: opts.search } : {}),
    ...(opts.audit ? { audit: opts.audit } : {}),
  });
  await app.ready();

  const tokenFor: TestApp['tokenFor'] = async (role, o = {}) => {
    const auth = app.services.auth;
    const { client, clientSecret } = await auth.createClient({ name: `test ${role}`, role, teams: o.teams ?? [], moderatedBlueprints: o.moderatedBlueprints ?? [] }, { id: SYSTEM_ACTOR_ID, requestId: null });
    const { accessToken } = await auth.issueAccessToken(client.clientId, clientSecret);
    return { authorization: `Bearer ${accessToken}`, actor: `client:${client.clientId}` };
  };
  const admin = await tokenFor('admin');
  const withAdmin = (o: InjectOptions | string): InjectOptions => {
    const options: InjectOptions = typeof o === 'string' ? { url: o } : o;
    const headers = { ...(options.headers ?? {}) } as Record<string, string>;
    if (!('authorization' in headers)) headers.authorization = admin.authorization;
    return { ...options, headers };
  };
  const asAdmin = new Proxy(app, {
    get(target, prop) {
      if (prop === 'inject') return (o: InjectOptions | string) => target.inject(withAdmin(o));
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });

  return {
    ...database,
    app: asAdmin,
    raw: app,
    adminActor: admin.actor,
    tokenFor,
    close: async () => {
      await app.close();
      if (ownDb) await ownDb.destroy();
      else await database.drop();
    },
  };
}

export async function loadExamples(database: Pick<TestDatabase, 'db'>): Promise<void> {
  const examples = await readExamples(path.join(REPO_ROOT, 'catalog-examples'));
  const actor = { id: SYSTEM_ACTOR_ID, requestId: null };
  await applyBlueprints(database.db, examples.blueprints, actor);
  await applyEntities(database.db, examples.entities, actor);
  await applyActions(database.db, await readActionExamples(path.join(REPO_ROOT, 'catalog-examples')), actor);
}
