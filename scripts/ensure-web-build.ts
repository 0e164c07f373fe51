import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Builds the web app when apps/web/dist is missing or older than any of its sources (the web app,
// the shared contract, the lockfile), so `npm start` always serves the SPA of this checkout.
// `--force` builds regardless. The build goes to a temporary folder that replaces dist at the end,
// so a server already serving dist never sees half a build.

const ROOT = path.resolve(import.meta.dirname, '..');
const WEB = path.join(ROOT, 'apps', 'web');
const DIST = path.join(WEB, 'dist');
const STAMP = path.join(DIST, '.build-stamp');
const SOURCES = [
  path.join(WEB, 'src'),
  path.join(WEB, 'index.html'),
  path.join(WEB, 'vite.config.ts'),
  path.join(WEB, 'package.json'),
  path.join(ROOT, 'packages', 'contract', 'src'),
  path.join(ROOT, 'package-lock.json'),
];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  return newest;
}

export function webBuildIsStale(): boolean {
  if (!existsSync(path.join(DIST, 'index.html')) || !existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return SOURCES.some((s) => newestMtime(s) > built);
}

export function buildWeb(): void {
  const tmp = path.join(WEB, `dist.tmp-${process.pid}`);
  const started = Date.now();
  const viteBin = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  // Always the production build: run from the tests, NODE_ENV=test would give React's development
  // build (jsx-dev-runtime), which then stays in dist for `npm start` and the benchmarks.
  const result = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn', '--outDir', tmp, '--emptyOutDir'], { cwd: WEB, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (result.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`web build failed (exit ${result.status})`);
  }
  writeFileSync(path.join(tmp, '.build-stamp'), new Date().toISOString());
  const old = `${DIST}.old-${process.pid}`;
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(tmp, DIST);
  rmSync(old, { recursive: true, force: true });
  console.log(`[portolan] web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export function ensureWebBuild(opts: { force?: boolean } = {}): void {
  if (opts.force || webBuildIsStale()) buildWeb();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensureWebBuild({ force: process.argv.includes('--force') });
  } catch (error) {
    console.error(`[portolan] ${(error as Error).message}`);
    process.exit(1);
  }
}
