import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest } from '../../src/db/migrator.ts';
import { migrations } from '../../../../migrations/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test-support/test-database.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

const tables = async () =>
  (await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%' order by 1`.execute(t.db)).rows.map((r) => r.tablename);

describe('migrations', () => {
  it('are timestamp-named', () => {
    for (const name of Object.keys(migrations)) expect(name).toMatch(/^\d{14}_[a-z0-9_]+$/);
    expect(Object.keys(migrations)).toEqual([...Object.keys(migrations)].sort());
  });

  it('every migration goes down and up again', async () => {
    const full = await tables();
    expect(full).toEqual(expect.arrayContaining(['audit_log', 'blueprints', 'entities', 'entity_relations', 'settings']));
    for (let i = 0; i < Object.keys(migrations).length; i++) await migrateDown(t.db);
    expect(await tables()).toEqual([]);
    await migrateToLatest(t.db);
    expect(await tables()).toEqual(full);
  });
});
