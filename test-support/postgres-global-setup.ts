import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDatabase } from '../apps/server/src/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../apps/server/src/db/embedded-postgres.ts';
import { migrateToLatest } from '../apps/server/src/db/migrator.ts';
import { migrateJobQueue } from '../apps/server/src/modules/scaffolder/task-queue.ts';

// Starts PostgreSQL once for the whole run (or uses TEST_DATABASE_URL), migrates a template
// database, and hands its URL to the test files, which clone it (CREATE DATABASE … TEMPLATE).

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplateDb: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: EmbeddedPostgresHandle | null = null;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'portolan-test-pg-'));
    embedded = await startEmbeddedPostgres({ dataDir, port: 0, persistent: false });
    adminUrl = embedded.connectionString;
  }
  const template = `portolan_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  await admin.end();

  const url = new URL(adminUrl);
  url.pathname = `/${template}`;
  const { db } = createDatabase({ connectionString: url.toString(), maxConnections: 2 });
  await migrateToLatest(db);
  await db.destroy();
  // The scaffolder's job queue schema (graphile-worker's own migrations), so clones start ready.
  await migrateJobQueue(url.toString());

  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplateDb', template);

  return async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`drop database if exists ${template} with (force)`).catch(() => {});
    await client.end();
    await embedded?.stop();
  };
}
