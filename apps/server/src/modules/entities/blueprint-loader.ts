import type { Kysely } from 'kysely';
import type { BlueprintDefinition } from '@portolan/contract';
import type { Database } from '../../db/schema.ts';
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
