import { sql, type Kysely } from 'kysely';
import type { BlueprintDefinition } from '@portolan/contract';
import type { Database } from '../../db/schema.ts';
import { PREPARED } from '../../db/database.ts';
import { findAllBlueprints, findBlueprint } from '../blueprints/blueprints.repository.ts';
import { toBlueprintDefinition } from '../blueprints/blueprints.mapper.ts';
import { NotFoundError } from '../../plugins/errors.ts';

export interface LoadedBlueprint {
  definition: BlueprintDefinition;
  version: number;
  createdAt: Date;
}

/**
 * Blueprints are read from the database on every request rather than cached in memory: several
 * server replicas share one database, and a stale definition would validate against old rules.
 * The blueprints table is small; this is one indexed read.
 */
export async function loadBlueprint(db: Kysely<Database>, identifier: string, opts: { forShare?: boolean } = {}): Promise<LoadedBlueprint> {
  const row = await findBlueprint(db, identifier, opts.forShare ? { forShare: true } : {});
  if (!row) throw new NotFoundError(`Blueprint "${identifier}" not found`);
  return { definition: toBlueprintDefinition(row), version: row.version, createdAt: row.created_at };
}

export async function loadAllBlueprints(db: Kysely<Database>): Promise<Map<string, LoadedBlueprint>> {
  const rows = await findAllBlueprints(db);
  return new Map(rows.map((row) => [row.identifier, { definition: toBlueprintDefinition(row), version: row.version, createdAt: row.created_at }]));
}

const checkedCaches = new WeakMap<Kysely<Database>, { fingerprint: string; blueprints: Map<string, LoadedBlueprint> }>();

/**
 * loadAllBlueprints for hot reads (search, facets, graph), checked against the database on every
 * call but parsed only when something changed: the check reads one short text, the identifier,
 * version and creation time of every blueprint (a change bumps the version; a blueprint deleted and
 * created again has a new creation time), where reading the definitions cost about 200 µs of Node
 * per request. So a change made through any replica is seen by the next call, as with
 * loadAllBlueprints. Callers must not modify what it returns. Not for transactions (a write locks
 * and reads its blueprint itself).
 */
export async function loadAllBlueprintsChecked(db: Kysely<Database>): Promise<Map<string, LoadedBlueprint>> {
  const { rows } = await sql<{ fingerprint: string | null }>`${sql.raw(PREPARED)}select string_agg(identifier || ' ' || version || ' ' || created_at, ',' order by identifier) as fingerprint
    from blueprints`.execute(db);
  const fingerprint = rows[0]?.fingerprint ?? '';
  const cached = checkedCaches.get(db);
  if (cached?.fingerprint === fingerprint) return cached.blueprints;
  // Read after the fingerprint: never older than it, so a change in between only costs one more read.
  const blueprints = await loadAllBlueprints(db);
  checkedCaches.set(db, { fingerprint, blueprints });
  return blueprints;
}
