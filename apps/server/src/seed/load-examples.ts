import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { blueprintInputSchema, type BlueprintDefinition } from '@portolan/contract';
import type { Db } from '../db/database.ts';
import { InvalidError, NotFoundError, problemsFromZod } from '../plugins/errors.ts';
import { BlueprintsService } from '../modules/blueprints/blueprints.service.ts';
import { EntitiesService } from '../modules/entities/entities.service.ts';
import type { WriteOptions } from '../modules/entities/entity-writer.ts';
import { SYSTEM_ACTOR_ID, type Actor } from '../modules/request-context.ts';
import { resolveIds } from '../modules/entities/entities.repository.ts';
import type { ActionDefinition } from '@portolan/contract';
import { ActionsService, parseAction } from '../modules/actions/actions.service.ts';
import { Redactor } from '../modules/secrets/redactor.ts';

// Loads catalog-examples/: blueprints/*.json (one blueprint each) and entities/*.json
// ({blueprint, entities: [...]}), through the same services the API uses, so the examples obey
// every rule an API client does.

const EXAMPLES_LOADED_KEY = 'examples_loaded_at';
const ACTIONS_LOADED_KEY = 'example_actions_loaded_at';

export interface LoadSummary {
  blueprints: number;
  entities: number;
  skipped: boolean;
}

export async function readJsonFile(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidError(`${path.basename(file)} is not valid JSON: ${(error as Error).message}`);
  }
}

async function jsonFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

export function parseBlueprintFile(value: unknown, file: string): BlueprintDefinition {
  const parsed = blueprintInputSchema.safeParse(value);
  if (!parsed.success) throw new InvalidError(`${path.basename(file)}: invalid blueprint`, problemsFromZod(parsed.error.issues));
  return parsed.data;
}

/**
 * Create or replace blueprints so that relation targets exist whatever the order or cycles
 * (Component → API → Component): first every new blueprint without relations and mirrors, then
 * with relations, then with mirror properties.
 */
export async function applyBlueprints(db: Db, definitions: BlueprintDefinition[], actor: Actor): Promise<void> {
  const service = new BlueprintsService(db);
  for (const def of definitions) {
    const exists = await service.get(def.identifier).then(() => true, (e) => (e instanceof NotFoundError ? false : Promise.reject(e)));
    if (!exists) await service.create({ ...def, relations: {}, mirrorProperties: {} }, actor);
  }
  // Mirrors walk other blueprints' relations, so they go in after every relation exists.
  for (const def of definitions) await service.replace(def.identifier, { ...def, mirrorProperties: {} }, actor);
  for (const def of definitions) if (Object.keys(def.mirrorProperties).length > 0) await service.replace(def.identifier, def, actor);
}

/**
 * Upsert entity files so that relations resolve whatever the order: first every entity with only
 * its required relations, in the order required relations need; then every entity in full.
 */
export async function applyEntities(db: Db, files: { blueprint: string; entities: Record<string, unknown>[] }[], actor: Actor): Promise<number> {
  return (await writeEntityFiles(db, files, actor, { onError: 'throw' })).count;
}

export interface EntityWriteFailure {
  blueprint: string;
  identifier: string | null;
  message: string;
}

/**
 * Write entity files so that relations resolve whatever their order. Pass 1 creates the entities
 * that do not exist yet, with only their required relations, in the order required relations need,
 * so that every relation target exists for pass 2. Pass 2 writes every entity exactly as the files
 * say (replace, not merge): what a file no longer says is removed, and an unchanged entity is not
 * written at all, so applying the same files twice changes nothing. `source` tags the entities
 * with the location they come from; `onError: 'collect'` reports failed items instead of stopping.
 */
export async function writeEntityFiles(
  db: Db,
  files: { blueprint: string; entities: Record<string, unknown>[] }[],
  actor: Actor,
  opts: { onError: 'throw' | 'collect'; source?: (blueprint: string) => WriteOptions['source'] },
): Promise<{ count: number; failures: EntityWriteFailure[] }> {
  const blueprints = new Map((await new BlueprintsService(db).list()).map((b) => [b.identifier, b]));
  const service = new EntitiesService(db);
  const requiredOnly = (bp: string, e: Record<string, unknown>) => {
    const def = blueprints.get(bp);
    const rels = (e.relations ?? {}) as Record<string, unknown>;
    const kept = Object.fromEntries(Object.entries(rels).filter(([name]) => def?.relations[name]?.required));
    return { ...e, relations: kept };
  };
  const failures: EntityWriteFailure[] = [];
  const upsert = async (blueprint: string, bodies: Record<string, unknown>[]): Promise<number> => {
    let count = 0;
    for (let i = 0; i < bodies.length; i += 1000) {
      const source = opts.source?.(blueprint);
      const result = await service.bulkUpsert(blueprint, bodies.slice(i, i + 1000), { merge: false, createMissingRelated: false, ...(source ? { source } : {}) }, actor);
      if (result.errors.length > 0 && opts.onError === 'throw') {
        const details = result.errors.flatMap((e) => e.details ?? [{ path: `entities.${e.index}`, message: e.message }]);
        throw new InvalidError(`${blueprint} entities: ${result.errors.map((e) => e.message).join('; ')}`, details);
      }
      for (const e of result.errors) failures.push({ blueprint, identifier: e.identifier, message: e.message });
      count += result.entities.length;
    }
    return count;
  };
  const ordered = orderByRequiredRelations(files, blueprints);
  for (const file of ordered) {
    const existing = await resolveIds(db, file.blueprint, file.entities.map((e) => String(e.identifier)));
    await upsert(file.blueprint, file.entities.filter((e) => !existing.has(String(e.identifier))).map((e) => requiredOnly(file.blueprint, e)));
  }
  let count = 0;
  for (const file of ordered) count += await upsert(file.blueprint, file.entities);
  return { count, failures };
}

function orderByRequiredRelations<T extends { blueprint: string }>(files: T[], blueprints: Map<string, BlueprintDefinition>): T[] {
  const depth = (bp: string, seen = new Set<string>()): number => {
    if (seen.has(bp)) return 0;
    seen.add(bp);
    const rels = Object.values(blueprints.get(bp)?.relations ?? {}).filter((r) => r.required && r.target !== bp);
    return rels.length === 0 ? 0 : 1 + Math.max(...rels.map((r) => depth(r.target, seen)));
  };
  return [...files].sort((a, b) => depth(a.blueprint) - depth(b.blueprint));
}

export async function readExamples(dir: string): Promise<{ blueprints: BlueprintDefinition[]; entities: { blueprint: string; entities: Record<string, unknown>[] }[] }> {
  const blueprints: BlueprintDefinition[] = [];
  for (const file of await jsonFiles(path.join(dir, 'blueprints'))) blueprints.push(parseBlueprintFile(await readJsonFile(file), file));
  const entities: { blueprint: string; entities: Record<string, unknown>[] }[] = [];
  for (const file of await jsonFiles(path.join(dir, 'entities'))) {
    const value = (await readJsonFile(file)) as { blueprint?: unknown; entities?: unknown };
    if (typeof value?.blueprint !== 'string' || !Array.isArray(value.entities)) {
      throw new InvalidError(`${path.basename(file)}: expected {"blueprint": "...", "entities": [...]}`);
    }
    entities.push({ blueprint: value.blueprint, entities: value.entities as Record<string, unknown>[] });
  }
  return { blueprints, entities };
}

/** catalog-examples/actions/*.json: one Port action each, parsed as the API parses them. */
export async function readActionExamples(dir: string): Promise<ActionDefinition[]> {
  const out: ActionDefinition[] = [];
  for (const file of await jsonFiles(path.join(dir, 'actions'))) out.push(parseAction(await readJsonFile(file), path.basename(file)));
  return out;
}

/** Create or replace actions through the service (every rule the API applies). */
export async function applyActions(db: Db, definitions: ActionDefinition[], actor: Actor, opts: { onInvalid?: (identifier: string, error: Error) => void } = {}): Promise<void> {
  const service = new ActionsService({ db, redactor: new Redactor() });
  for (const def of definitions) {
    try {
      await service.save(def, actor, { mode: 'upsert' });
    } catch (error) {
      // At start-up an example whose blueprint was deleted must not stop the server.
      if (!opts.onInvalid || !(error instanceof InvalidError)) throw error;
      opts.onInvalid(def.identifier, error);
    }
  }
}

/**
 * Load the examples once per database. The marker row makes a restart a no-op, so edits made
 * since are kept and nothing is duplicated. Two replicas starting together serialise on the lock.
 */
export async function loadExamplesOnce(db: Db, dir: string): Promise<LoadSummary> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext('portolan:load-examples'))`.execute(conn);
    try {
      const actor: Actor = { id: SYSTEM_ACTOR_ID, requestId: null };
      // Actions came later than the catalog: a database loaded before them still gets them, once.
      const loadActions = async () => {
        if (await conn.selectFrom('settings').select('key').where('key', '=', ACTIONS_LOADED_KEY).executeTakeFirst()) return;
        await applyActions(db, await readActionExamples(dir), actor, { onInvalid: () => {} });
        await conn.insertInto('settings').values({ key: ACTIONS_LOADED_KEY, value: JSON.stringify(new Date().toISOString()) }).execute();
      };
      const marker = await conn.selectFrom('settings').select('key').where('key', '=', EXAMPLES_LOADED_KEY).executeTakeFirst();
      if (marker) {
        await loadActions();
        return { blueprints: 0, entities: 0, skipped: true };
      }
      const examples = await readExamples(dir);
      await applyBlueprints(db, examples.blueprints, actor);
      const entities = await applyEntities(db, examples.entities, actor);
      await conn.insertInto('settings').values({ key: EXAMPLES_LOADED_KEY, value: JSON.stringify(new Date().toISOString()) }).execute();
      await loadActions();
      return { blueprints: examples.blueprints.length, entities, skipped: false };
    } finally {
      await sql`select pg_advisory_unlock(hashtext('portolan:load-examples'))`.execute(conn);
    }
  });
}
