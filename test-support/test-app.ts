import type { FastifyInstance } from 'fastify';
import { buildApp } from '../apps/server/src/app.ts';
import { applyBlueprints, applyEntities, readExamples } from '../apps/server/src/seed/load-examples.ts';
import { REPO_ROOT } from '../apps/server/src/config.ts';
import { SYSTEM_ACTOR_ID } from '../apps/server/src/modules/request-context.ts';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export interface TestApp extends TestDatabase {
  app: FastifyInstance;
  close(): Promise<void>;
}

/** A test file's own app on its own cloned database, optionally with the example catalog loaded. */
export async function createTestApp(opts: { examples?: boolean } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  if (opts.examples) await loadExamples(database);
  const app = await buildApp({ db: database.db });
  await app.ready();
  return {
    ...database,
    app,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

export async function loadExamples(database: Pick<TestDatabase, 'db'>): Promise<void> {
  const examples = await readExamples(path.join(REPO_ROOT, 'catalog-examples'));
  const actor = { id: SYSTEM_ACTOR_ID, requestId: null };
  await applyBlueprints(database.db, examples.blueprints, actor);
  await applyEntities(database.db, examples.entities, actor);
}
