import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLocalPort, startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';

// The embedded PostgreSQL of `npm start`, the tests and the benchmarks: a port already taken
// must give an error that says so, and port 0 must find a free one.

let dir: string;
let taken: Server;
let takenPort: number;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'portolan-embedded-test-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as its own user and must reach the folder
  takenPort = await freeLocalPort();
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(takenPort, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => taken?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('startEmbeddedPostgres', () => {
  it('names the cause when PostgreSQL cannot start on the port it was given', async () => {
    const start = startEmbeddedPostgres({ dataDir: path.join(dir, 'taken'), port: takenPort, persistent: false });
    await expect(start).rejects.toThrow(/PostgreSQL stopped before it was ready \(port \d+[^]*Address already in use/);
  });

  it('with port 0, starts on a free port and answers there', async () => {
    const handle = await startEmbeddedPostgres({ dataDir: path.join(dir, 'free'), port: 0, persistent: false });
    try {
      const client = new pg.Client({ connectionString: handle.connectionString });
      await client.connect();
      expect((await client.query<{ one: number }>('select 1 as one')).rows[0]!.one).toBe(1);
      await client.end();
      expect(Number(new URL(handle.connectionString).port)).not.toBe(takenPort);
    } finally {
      await handle.stop();
    }
  });
});
