// First, before any other module runs: V8 settings the server depends on (see the file).
import './runtime-flags.ts';
import path from 'node:path';
import { buildApp } from './app.ts';
import { ConfigError, githubConfig, parseConfig, REPO_ROOT } from './config.ts';
import { loadTemplatesOnce } from './seed/load-templates.ts';
import { createDatabase } from './db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './db/embedded-postgres.ts';
import { migrateToLatest } from './db/migrator.ts';
import { loadExamplesOnce } from './seed/load-examples.ts';
import { loadSecretKey } from './modules/secrets/secret-key.ts';
import { SYSTEM_ACTOR_ID } from './modules/request-context.ts';

// Starts the portal: config → database (embedded or DATABASE_URL) → migrations → examples → HTTP.
// Everything it starts, it stops on SIGTERM/SIGINT, in reverse order.

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }

  const log = (msg: string) => console.log(`[portolan] ${msg}`);
  let embedded: EmbeddedPostgresHandle | null = null;
  let connectionString = config.DATABASE_URL;
  if (!connectionString) {
    const dataDir = path.resolve(config.PORTOLAN_DATA_DIR, 'postgres');
    log(`starting embedded PostgreSQL (data in ${dataDir}, port ${config.PORTOLAN_EMBEDDED_PG_PORT})`);
    embedded = await startEmbeddedPostgres({ dataDir, port: config.PORTOLAN_EMBEDDED_PG_PORT, persistent: true });
    connectionString = embedded.connectionString;
  }

  const { db } = createDatabase({ connectionString, maxConnections: config.DATABASE_POOL_SIZE });
  const stopDatabase = async () => {
    await db.destroy();
    if (embedded) await embedded.stop();
  };

  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) log(`migrations: ${applied.join(', ')}`);
    if (config.PORTOLAN_LOAD_EXAMPLES) {
      const dir = config.PORTOLAN_EXAMPLES_DIR ?? path.join(REPO_ROOT, 'catalog-examples');
      const summary = await loadExamplesOnce(db, dir);
      if (!summary.skipped) log(`loaded example catalog: ${summary.blueprints} blueprints, ${summary.entities} entities`);
    }
  } catch (error) {
    const details = (error as { details?: { path: string; message: string }[] }).details ?? [];
    console.error(`[portolan] start-up failed: ${(error as Error).message}${details.map((d) => `\n  - ${d.path}: ${d.message}`).join('')}`);
    await stopDatabase();
    process.exit(1);
  }

  const secretKey = loadSecretKey({ fromEnv: config.PORTOLAN_SECRET_KEY, dataDir: config.PORTOLAN_DATA_DIR });
  const publicUrl = config.PORTOLAN_PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;
  const app = await buildApp({
    db,
    bodyLimit: config.PORTOLAN_BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    audit: { retentionDays: config.PORTOLAN_AUDIT_RETENTION_DAYS ?? null },
    locations: { orphanDeleteLimit: config.PORTOLAN_LOCATION_ORPHAN_DELETE_LIMIT, refreshIntervalMs: config.PORTOLAN_LOCATION_REFRESH_MINUTES * 60_000 },
    logger:
      config.LOG_LEVEL === 'silent'
        ? false
        : { level: config.LOG_LEVEL, redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'] },
    scaffolder: {
      connectionString,
      github: githubConfig(config),
      queue: { concurrency: config.PORTOLAN_SCAFFOLDER_CONCURRENCY },
    },
    identity: {
      secretKey,
      publicUrl,
      sessionTtlMs: config.PORTOLAN_SESSION_TTL_HOURS * 3600_000,
      secureCookies: config.PORTOLAN_SECURE_COOKIES,
      oidc: config.PORTOLAN_OIDC_ISSUER
        ? {
            issuer: config.PORTOLAN_OIDC_ISSUER,
            clientId: config.PORTOLAN_OIDC_CLIENT_ID!,
            clientSecret: config.PORTOLAN_OIDC_CLIENT_SECRET!,
            publicUrl,
            teamsClaim: config.PORTOLAN_OIDC_TEAMS_CLAIM,
            displayName: config.PORTOLAN_OIDC_NAME,
          }
        : null,
    },
  });

  // Someone must be able to administer a new portal; never with a built-in password.
  const boot = await app.services.auth.bootstrap(
    {
      adminEmail: config.PORTOLAN_ADMIN_EMAIL,
      adminPassword: config.PORTOLAN_ADMIN_PASSWORD,
      adminClientId: config.PORTOLAN_ADMIN_CLIENT_ID,
      adminClientSecret: config.PORTOLAN_ADMIN_CLIENT_SECRET,
    },
    { id: SYSTEM_ACTOR_ID, requestId: null },
  );
  if (boot.createdAdmin) log(`created the first admin: ${boot.createdAdmin}`);
  if (boot.signInToken) {
    log(`sign in once with this link (valid 24 hours), then set a password: ${new URL(`/v1/auth/sign-in-link/${boot.signInToken}`, publicUrl)}`);
  }

  if (config.PORTOLAN_LOAD_EXAMPLES) {
    const dir = path.join(config.PORTOLAN_EXAMPLES_DIR ?? path.join(REPO_ROOT, 'catalog-examples'), 'templates');
    const seeded = await loadTemplatesOnce(db, app.services.scaffolder, dir);
    if (!seeded.skipped) log(`loaded ${seeded.loaded} scaffolder templates`);
  }
  if (!app.services.github.configured) log('GitHub is not configured: templates can be dry-run, GitHub steps fail until GITHUB_TOKEN (or a GitHub App) is set');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, shutting down`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await app.close();
      await stopDatabase();
      log('stopped');
      process.exit(0);
    } catch (error) {
      console.error(`[portolan] shutdown failed: ${(error as Error).message}`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ host: config.HOST, port: config.PORT });
  // The scaffolder's job runner; app.close() (on SIGTERM/SIGINT) stops it and hands running tasks back.
  await app.services.taskQueue?.start();
  log(`listening on http://${config.HOST}:${config.PORT} (API docs at /docs)`);
}

void main();
