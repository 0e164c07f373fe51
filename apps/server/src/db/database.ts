import { createHash } from 'node:crypto';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
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
  pools.set(db, pool);
  return { db, pool };
}

/** The pool behind each Kysely made by createDatabase (no plugins: kysely adds nothing to a query). */
const pools = new WeakMap<Kysely<Database>, pg.Pool>();

/**
 * Runs one read whose text starts with PREPARED (a named prepared statement, see below) straight
 * on the pool, its rows as arrays of column values in select order. For the hottest read (GET one
 * entity) kysely's connection and executor layers cost about as much as pg itself; and array rows
 * let the caller build its objects in its own code (see findEntityForRead). Inside a transaction,
 * or with a Kysely not made here, it goes through kysely (still prepared). Pass the same string
 * instance each time: its statement name is looked up by it.
 */
export async function preparedRead(db: Kysely<Database>, text: string, values: unknown[]): Promise<unknown[][]> {
  if (!text.startsWith(PREPARED)) throw new Error('preparedRead needs a statement marked PREPARED');
  const pool = pools.get(db);
  if (!pool) return (await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, values))).rows.map((r) => Object.values(r));
  return (await pool.query<unknown[]>({ name: statementName(text), text, values, rowMode: 'array' })).rows;
}

/** Whether `db` is a Kysely made by createDatabase (not a transaction), so preparedRead runs on its pool. */
export function hasOwnPool(db: Kysely<Database>): boolean {
  return pools.has(db);
}

/** Start a statement's text with this to have it prepared once per connection (see below). */
export const PREPARED = '/* prepared */ ';

/**
 * Statements prepared on one connection through Kysely, at most. A search page's text varies with
 * the query's shape (its rules and sort, not their values), and PostgreSQL keeps every prepared
 * statement until its connection closes; past this many, new texts run unprepared (as all did
 * before), so a server answering endless shapes never grows its database sessions without bound.
 */
export const MAX_PREPARED_PER_CONNECTION = 100;

/**
 * Hot reads whose plan does not depend on their values (GET one entity, the blueprint
 * fingerprint, a search page's index walk) run as named prepared statements: PostgreSQL parses and
 * plans them once per connection instead of on every request. Only statements that opt in with
 * the PREPARED marker are named (queries whose text varies with their values, like IN lists, are
 * never marked), and at most MAX_PREPARED_PER_CONNECTION per connection.
 */
function withPreparedStatements(pool: pg.Pool): pg.Pool {
  const prepared = new WeakMap<pg.PoolClient, Set<string>>();
  const wrap = (client: pg.PoolClient): pg.PoolClient => {
    // Pooled clients come back on every checkout: wrap each one once.
    if (prepared.has(client)) return client;
    const names = new Set<string>();
    prepared.set(client, names);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (first: unknown, ...rest: unknown[]) => {
      if (typeof first !== 'string' || !first.startsWith(PREPARED)) return query(first, ...rest);
      const name = statementName(first);
      if (!names.has(name)) {
        if (names.size >= MAX_PREPARED_PER_CONNECTION) return query(first, ...rest);
        names.add(name);
      }
      return query({ name, text: first, values: rest[0] });
    };
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

// The name is derived from the text; remembered so a hot statement is not hashed on every call
// (the set of prepared texts is small, see above).
const names = new Map<string, string>();
function statementName(text: string): string {
  let n = names.get(text);
  if (n === undefined) {
    n = `ptl_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    if (names.size >= 1000) names.clear(); // texts of old blueprint versions: never unbounded
    names.set(text, n);
  }
  return n;
}
