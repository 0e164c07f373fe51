import path from 'node:path';
import { buildApp } from './app.ts';
import { ConfigError, parseConfig, REPO_ROOT } from './config.ts';
import { createDatabase } from './db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './db/embedded-postgres.ts';
import { migrateToLatest } from './db/migrator.ts';
import { loadExamplesOnce } from './seed/load-examples.ts';

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

  const app = await buildApp({
    db,
    bodyLimit: config.PORTOLAN_BODY_LIMIT,
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL, redact: ['req.headers.authorization', 'req.headers.cookie'] },
  });

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
  log(`listening on http://${config.HOST}:${config.PORT} (API docs at /docs)`);
}

void main();
