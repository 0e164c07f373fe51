import path from 'node:path';
import { parseConfig } from '../config.ts';
import { createDatabase } from '../db/database.ts';
import { startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { migrateDown, migrateToLatest } from '../db/migrator.ts';

// npm run migrate -- up|down   (uses DATABASE_URL, or the embedded PostgreSQL's data folder)

const direction = process.argv[2] ?? 'up';
if (direction !== 'up' && direction !== 'down') {
  console.error('usage: npm run migrate -- up|down');
  process.exit(2);
}
const config = parseConfig(process.env);
const embedded = config.DATABASE_URL
  ? null
  : await startEmbeddedPostgres({ dataDir: path.resolve(config.PORTOLAN_DATA_DIR, 'postgres'), port: config.PORTOLAN_EMBEDDED_PG_PORT, persistent: true });
const { db } = createDatabase({ connectionString: config.DATABASE_URL ?? embedded!.connectionString });
try {
  const done = direction === 'up' ? await migrateToLatest(db) : await migrateDown(db);
  console.log(done.length > 0 ? done.join('\n') : 'nothing to do');
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await db.destroy();
  await embedded?.stop();
}
