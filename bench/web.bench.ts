import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { buildApp } from '../apps/server/src/app.ts';
import { REPO_ROOT } from '../apps/server/src/config.ts';
import { createDatabase } from '../apps/server/src/db/database.ts';
import { startEmbeddedPostgres } from '../apps/server/src/db/embedded-postgres.ts';
import { migrateToLatest } from '../apps/server/src/db/migrator.ts';
import { SYSTEM_ACTOR_ID } from '../apps/server/src/modules/request-context.ts';
import { applyBlueprints, applyEntities, readExamples } from '../apps/server/src/seed/load-examples.ts';
import { launchBrowser } from '../apps/web/test/e2e/browser.ts';
import { ensureWebBuild } from '../scripts/ensure-web-build.ts';

// `npm run bench:web`: what a person waits for in the web app.
//  1. initial JavaScript of the built SPA, gzipped (target ≤ 200 KB);
//  2. with 100k Components, navigation → first table rows visible in Chromium (target ≤ 1 s);
//  3. the longest frame while scrolling through 10k rows of that table (target ≤ 50 ms).
// Runs on a throw-away embedded PostgreSQL; BENCH_COMPONENTS changes the catalog size.

const COMPONENTS = Number(process.env.BENCH_COMPONENTS ?? 100_000);
const SCROLL_ROWS = Number(process.env.BENCH_SCROLL_ROWS ?? 10_000);
const DIST = path.join(REPO_ROOT, 'apps', 'web', 'dist');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function initialJavaScript(): Promise<{ files: number; raw: number; gzip: number }> {
  const html = await readFile(path.join(DIST, 'index.html'), 'utf8');
  const srcs = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)].map((m) => m[1]!);
  let raw = 0;
  let gzip = 0;
  for (const src of new Set(srcs)) {
    const buf = await readFile(path.join(DIST, src));
    raw += buf.length;
    gzip += gzipSync(buf, { level: 9 }).length;
  }
  return { files: new Set(srcs).size, raw, gzip };
}

async function main(): Promise<void> {
  ensureWebBuild();
  const js = await initialJavaScript();
  console.log(`initial JavaScript: ${js.files} files, ${kb(js.raw)} raw, ${kb(js.gzip)} gzipped (target ≤ 200 KB)`);

  const dataDir = await mkdtemp(path.join(tmpdir(), 'portolan-bench-web-'));
  await chmod(dataDir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir, port: 0, persistent: false });
  const { db } = createDatabase({ connectionString: pg.connectionString, maxConnections: 10 });
  const browser = await launchBrowser();
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  try {
    await migrateToLatest(db);
    const examples = await readExamples(path.join(REPO_ROOT, 'catalog-examples'));
    const actor = { id: SYSTEM_ACTOR_ID, requestId: null };
    await applyBlueprints(db, examples.blueprints, actor);
    await applyEntities(db, examples.entities, actor);
    // Bulk rows straight in SQL (the API path is measured by `npm run bench`); same columns the
    // writer fills, search_text as buildSearchText makes it.
    const started = Date.now();
    await sql`
      insert into entities (blueprint, identifier, title, team, properties, relations, search_text, created_by, updated_by)
      select 'Component', 'svc-' || lpad(i::text, 6, '0'), 'Service ' || i,
        array['team-' || (i % 40)],
        jsonb_build_object('type', case when i % 3 = 0 then 'library' else 'service' end,
                           'lifecycle', (array['experimental','production','deprecated'])[1 + i % 3],
                           'language', (array['TypeScript','Go','Java','Python','Rust'])[1 + i % 5],
                           'repository', 'https://github.com/example-org/svc-' || i),
        '{}'::jsonb,
        lower('svc-' || lpad(i::text, 6, '0') || E'\n' || 'Service ' || i),
        ${SYSTEM_ACTOR_ID}, ${SYSTEM_ACTOR_ID}
      from generate_series(1, ${COMPONENTS}) as i`.execute(db);
    await sql`analyze entities`.execute(db);
    console.log(`catalog: ${COMPONENTS.toLocaleString()} Components inserted in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    app = await buildApp({ db, identity: { secretKey: randomBytes(32), publicUrl: 'http://127.0.0.1' } });
    const secret = randomBytes(24).toString('hex');
    await app.services.auth.bootstrap({ adminEmail: 'bench@portolan.invalid', adminClientId: 'bench', adminClientSecret: secret }, actor);
    const { accessToken } = await app.services.auth.issueAccessToken('bench', secret);
    const password = randomBytes(12).toString('hex');
    const created = await app.inject({ method: 'POST', url: '/v1/users', headers: { authorization: `Bearer ${accessToken}` }, payload: { email: 'viewer@bench.invalid', password, role: 'viewer' } });
    if (created.statusCode !== 201) throw new Error(`could not create the bench user: ${created.body}`);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });

    const context = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 } });
    const signIn = await context.request.post('/v1/auth/sign-in', { data: { email: 'viewer@bench.invalid', password } });
    if (signIn.status() !== 200) throw new Error(`sign-in failed: ${signIn.status()}`);

    // Navigation → first rows: a cold load (empty cache), then warm ones (assets cached). The rows
    // are looked for on every animation frame: a locator's waitFor polls with a back-off (after
    // 0, 20, 70, 170 and 270 ms, then every 500 ms), which alone adds up to half a second to what it
    // reports. Its figure is printed too, for comparison with earlier runs.
    const firstRows: number[] = [];
    const polled: number[] = [];
    // A function, not source text: the page's CSP forbids the eval a text predicate needs (and this
    // plain arrow function gets no helpers from tsx's transform).
    const firstRow = () => {
      const r = document.querySelector('[role=row][data-index="0"]');
      return !!r && r.getBoundingClientRect().height > 0;
    };
    for (let i = 0; i < 6; i++) {
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto('/catalog/Component', { waitUntil: 'commit' });
      await Promise.all([
        page.waitForFunction(firstRow, undefined, { polling: 'raf', timeout: 30_000 }).then(() => firstRows.push(Date.now() - t0)),
        page.locator('[role=row][data-index="0"]').waitFor({ timeout: 30_000 }).then(() => polled.push(Date.now() - t0)),
      ]);
      if (i === firstRows.length - 1 && i === 5) {
        // Where the time went on the last load: the requests before the first rows.
        const timeline = (await page.evaluate(`performance.getEntriesByType('resource').map((e) => [e.name.replace(location.origin, ''), Math.round(e.startTime), Math.round(e.responseEnd)])`)) as [string, number, number][];
        console.log('  last load, request timeline (start → end ms):', timeline.map(([n, a, b]) => `${n.split('?')[0]} ${a}→${b}`).join(', '));
      }
      // Let the page finish (facet counts) before the next navigation, as one person would.
      await page.waitForLoadState('networkidle');
      await page.close();
    }
    const warm = firstRows.slice(1).sort((a, b) => a - b);
    const polledWarm = polled.slice(1).sort((a, b) => a - b);
    console.log(`navigation → first rows visible (${COMPONENTS.toLocaleString()} Components): cold ${firstRows[0]} ms, warm median ${warm[Math.floor(warm.length / 2)]} ms, worst ${Math.max(...firstRows)} ms (target ≤ 1000 ms)`);
    console.log(`  as a polling locator sees them: cold ${polled[0]} ms, warm median ${polledWarm[Math.floor(polledWarm.length / 2)]} ms, worst ${Math.max(...polled)} ms`);

    // Scrolling: a steady 600 px per frame through SCROLL_ROWS rows, pages loading as they come.
    const page = await context.newPage();
    await page.goto('/catalog/Component');
    await page.locator('[role=row][data-index="0"]').waitFor();
    // Passed as source text: tsx's transform would add helpers the page does not have.
    const result = (await page.evaluate(`new Promise((resolve) => {
      const target = ${SCROLL_ROWS};
      const box = document.querySelector('[data-testid="entity-table-scroll"]');
      const frames = [];
      let last = performance.now();
      const start = last;
      const step = (now) => {
        frames.push(now - last);
        last = now;
        box.scrollTop += 600;
        const rows = box.querySelectorAll('[role=row][data-index]');
        const maxIndex = rows.length ? Number(rows[rows.length - 1].dataset.index) : 0;
        if (maxIndex >= target - 1 || now - start > 120000) resolve({ frames, ms: now - start, reached: maxIndex + 1 });
        else requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    })`)) as { frames: number[]; ms: number; reached: number };
    const sorted = [...result.frames].sort((a, b) => a - b);
    const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
    console.log(`scrolling ${result.reached.toLocaleString()} rows: ${result.frames.length} frames in ${(result.ms / 1000).toFixed(1)} s; frame p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, p99 ${p(0.99)} ms, longest ${sorted[sorted.length - 1]!.toFixed(1)} ms (target ≤ 50 ms)`);
    await context.close();
  } finally {
    await browser.close().catch(() => {});
    await app?.close();
    await db.destroy();
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
