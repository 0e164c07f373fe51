import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

// bigint (int8) ids come back as strings: JavaScript numbers cannot hold every int8 value.
// timestamptz stays a Date (pg's default) and is serialised to ISO strings by the services.

export type Db = Kysely<Database>;

export interface DatabaseOptions {
  connectionString: string;
  maxConnections?: number;
}

export function createDatabase(options: DatabaseOptions): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    // Fail a request instead of hanging forever when the pool is exhausted or the server is gone.
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withPreparedStatements(pool) }) });
  return { db, pool };
}

/** Start a statement's text with this to have it prepared once per connection (see below). */
export const PREPARED = '/* prepared */ ';

/**
 * Hot, fixed-shape reads (GET one entity) run as named prepared statements: PostgreSQL parses and
 * plans them once per connection instead of on every request. Only statements that opt in with
 * the PREPARED marker are named, so the set of prepared statements per connection stays small and
 * bounded (queries whose text varies, like IN lists, are never prepared).
 */
function withPreparedStatements(pool: pg.Pool): pg.Pool {
  const name = (text: string) => `ptl_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
  const wrapped = new WeakSet<pg.PoolClient>();
  const wrap = (client: pg.PoolClient): pg.PoolClient => {
    // Pooled clients come back on every checkout: wrap each one once.
    if (wrapped.has(client)) return client;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (first: unknown, ...rest: unknown[]) =>
      typeof first === 'string' && first.startsWith(PREPARED) ? query({ name: name(first), text: first, values: rest[0] }) : query(first, ...rest);
    return client;
  };
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'connect') {
        return async () => wrap(await target.connect());
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
