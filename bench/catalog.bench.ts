import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { REPO_ROOT } from '../apps/server/src/config.ts';
import { createDatabase } from '../apps/server/src/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../apps/server/src/db/embedded-postgres.ts';
import { migrateToLatest } from '../apps/server/src/db/migrator.ts';
import { SYSTEM_ACTOR_ID } from '../apps/server/src/modules/request-context.ts';
import { applyBlueprints, readExamples } from '../apps/server/src/seed/load-examples.ts';
import { latency, send, throughput } from './load.ts';
import { countOf, entities, id, LANGUAGES, LOAD_ORDER, shapeFor, type CatalogShape, type Phase } from './synthetic-catalog.ts';

// npm run bench: loads a synthetic catalog (BENCH_ENTITIES, default 100,000) into real PostgreSQL
// through the portal's API and, in the same run, through bare Fastify+pg references doing the same
// operations with one hand-written statement each; prints each figure, its reference and the ratio.
// Portal, bare server and PostgreSQL run in their own processes; the load generator in this one.
//
//   BENCH_ENTITIES=1000000   catalog size
//   BENCH_DATABASE_URL=...   use this server (two databases are created and dropped) instead of an embedded one
//   BENCH_KEEP=1             with BENCH_DATABASE_URL: keep the two databases afterwards, to look into them
//   BENCH_REUSE=1            with BENCH_DATABASE_URL: measure the databases a BENCH_KEEP run left loaded
//                            with this many entities instead of loading them again (of ingest, only unchanged):
//                            a 1M comparison of two versions of a read path in minutes, not a quarter hour
//   BENCH_SECONDS=5          measurement time per figure (after a 1 s warm-up)
//   BENCH_STATEMENTS=1       after each ingest phase and GET, print where each database spent its time
//                            (pg_stat_statements, trigger statements such as foreign-key checks included)
//   BENCH_PG_DEFAULTS=1      the embedded server with PostgreSQL's default memory and WAL settings
//   BENCH_EXPLAIN_LOG=file   write the plans of statements slower than 100 ms there (auto_explain)
//   BENCH_ONLY=ingest,get    only these figures (ingest, get, page, deep, facets, graph); the
//                            catalog is always loaded first

const N = Number(process.env.BENCH_ENTITIES ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const BATCH = 1000;
const INGEST_CONCURRENCY = 4;
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null;
const STATEMENTS = process.env.BENCH_STATEMENTS === '1';
const PG_DEFAULTS = process.env.BENCH_PG_DEFAULTS === '1';
const REUSE = process.env.BENCH_REUSE === '1';
const wanted = (figure: 'ingest' | 'get' | 'page' | 'deep' | 'facets' | 'graph') => !ONLY || ONLY.has(figure);

interface Server {
  url: string;
  token?: string;
  child: ChildProcess;
}

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

async function startServer(file: string, databaseUrl: string): Promise<Server> {
  // BENCH_NODE_OPTIONS (e.g. --cpu-prof) goes to the servers, not to the load generator.
  const extra = process.env.BENCH_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', path.join(import.meta.dirname, file)], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { ready?: boolean; url: string; token?: string };
        if (msg.ready) resolve({ url: msg.url, ...(msg.token ? { token: msg.token } : {}), child });
      } catch {
        process.stderr.write(`${line}\n`);
      }
    });
  });
}

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null) return;
  const exited = new Promise((resolve) => s.child.once('exit', resolve));
  s.child.kill('SIGTERM');
  await exited;
}

async function prepareDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const { db } = createDatabase({ connectionString: url.toString(), maxConnections: 2 });
  await migrateToLatest(db);
  const examples = await readExamples(path.join(REPO_ROOT, 'catalog-examples'));
  await applyBlueprints(db, examples.blueprints, { id: SYSTEM_ACTOR_ID, requestId: null });
  await db.destroy();
  return url.toString();
}

/** A database a BENCH_KEEP run left loaded (BENCH_REUSE), migrated to this version's schema. */
async function loadedDatabase(adminUrl: string, name: string): Promise<string> {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  const { rows } = await c.query<{ n: number }>('select count(*)::int as n from entities');
  await c.end();
  if (rows[0]!.n !== N) throw new Error(`${name} holds ${rows[0]!.n} entities, not BENCH_ENTITIES=${N}`);
  const { db } = createDatabase({ connectionString: url.toString(), maxConnections: 2 });
  await migrateToLatest(db);
  await db.destroy();
  return url.toString();
}

/** pg_stat_statements of one database: reset before a phase, print the heaviest after it. */
async function statementStats(url: string, action: 'reset' | 'print', label = ''): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('create extension if not exists pg_stat_statements');
    if (action === 'reset') {
      await c.query('select pg_stat_statements_reset()');
      return;
    }
    const { rows } = await c.query<{ ms: number; calls: string; query: string }>(
      `select total_exec_time::float8 as ms, calls, query from pg_stat_statements
       where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_statements%'
       order by total_exec_time desc limit 10`,
    );
    const total = rows.reduce((a, r) => a + r.ms, 0);
    log(`${label}: top statements, ${total.toFixed(0)} ms in all`);
    for (const r of rows) log(`  ${r.ms.toFixed(0).padStart(7)} ms ${String(r.calls).padStart(7)}×  ${r.query.replace(/\s+/g, ' ').slice(0, 110)}`);
  } finally {
    await c.end();
  }
}

/**
 * CPU seconds used so far by the PostgreSQL backends serving `database` and by `pids` (Linux
 * /proc; 0 elsewhere). Statement times above include waiting for the two cores; CPU does not.
 */
function cpuSeconds(database: string, pids: number[]): { db: number; node: number } {
  const ticks = (pid: number) => {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      return 0;
    }
  };
  let db = 0;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${database} `)) db += ticks(Number(pid));
      } catch {
        // gone
      }
    }
  } catch {
    return { db: 0, node: 0 };
  }
  return { db, node: pids.reduce((a, p) => a + ticks(p), 0) };
}

/** Sends the whole catalog in batches of 1,000, four at a time; entities per second. */
async function ingest(target: 'portal' | 'bare' | 'audited', server: Server, shape: CatalogShape, phase: Phase): Promise<number> {
  const t0 = performance.now();
  let total = 0;
  for (const bp of LOAD_ORDER) {
    const count = countOf(bp, shape);
    let nextStart = 0;
    const worker = async () => {
      while (nextStart < count) {
        const from = nextStart;
        nextStart += BATCH;
        const body = JSON.stringify({ entities: entities(bp, from, Math.min(count, from + BATCH), shape, phase) });
        const res =
          target === 'portal'
            ? await send(`${server.url}/v1/blueprints/${bp}/entities/bulk`, 'POST', body, { authorization: `Bearer ${server.token}` })
            : await send(`${server.url}/${target === 'bare' ? 'bulk' : 'bulk-audited'}/${bp}`, 'POST', body);
        if (res.status !== 200) throw new Error(`${target} ingest ${bp} [${from}…]: ${res.status} ${res.body.slice(0, 500)}`);
      }
    };
    await Promise.all(Array.from({ length: INGEST_CONCURRENCY }, worker));
    total += count;
  }
  return total / ((performance.now() - t0) / 1000);
}

interface Row {
  metric: string;
  portal: number;
  bare: number;
  unit: string;
  /** ratio = portal / bare (higher is better) or portal-time / bare-time (lower is better). */
  ratio: number;
  target: string;
  pass: boolean;
}

function printTable(rows: Row[]): void {
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  const table = rows.map((r) => [r.metric, `${fmt(r.portal)} ${r.unit}`, `${fmt(r.bare)} ${r.unit}`, `${r.ratio.toFixed(2)}×`, r.target, r.pass ? 'pass' : 'FAIL']);
  const head = ['metric', 'portal', 'reference', 'ratio', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of table) console.log(line(r));
}

async function main(): Promise<void> {
  let embedded: EmbeddedPostgresHandle | null = null;
  let adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'portolan-bench-pg-'));
    // shared_buffers large enough for both databases: at the default (128 MB) one side's run evicts
    // the other's pages, and whichever ran last looked faster (a 2x swing on the search page).
    const explainLog = process.env.BENCH_EXPLAIN_LOG;
    const preload = [...(STATEMENTS ? ['pg_stat_statements'] : []), ...(explainLog ? ['auto_explain'] : [])];
    embedded = await startEmbeddedPostgres({
      dataDir,
      port: 56000 + Math.floor(Math.random() * 4000),
      persistent: false,
      postgresFlags: [
        ...(PG_DEFAULTS ? [] : ['-c', 'shared_buffers=2GB']),
        ...(preload.length > 0 ? ['-c', `shared_preload_libraries=${preload.join(',')}`] : []),
        ...(STATEMENTS ? ['-c', 'pg_stat_statements.track=all'] : []),
        ...(explainLog ? ['-c', `auto_explain.log_min_duration=${process.env.BENCH_EXPLAIN_MS ?? '100'}ms`, '-c', 'auto_explain.log_analyze=on'] : []),
      ],
      ...(explainLog ? { log: (line: string) => appendFileSync(explainLog, `${line}\n`) } : {}),
    });
    adminUrl = embedded.connectionString;
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    // Settings that need no restart (shared_buffers is set at start, above).
    for (const s of PG_DEFAULTS ? [] : ["max_wal_size = '4GB'", "checkpoint_timeout = '30min'", "work_mem = '64MB'", "maintenance_work_mem = '512MB'", 'random_page_cost = 1.1', "effective_cache_size = '4GB'"]) {
      await c.query(`alter system set ${s}`);
    }
    await c.query('select pg_reload_conf()');
    await c.end();
  }
  const servers: Server[] = [];
  try {
    const shape = shapeFor(N);
    log(`catalog: ${N} entities ${JSON.stringify(shape)}`);
    if (REUSE && !process.env.BENCH_DATABASE_URL) throw new Error('BENCH_REUSE needs BENCH_DATABASE_URL');
    const [portalDb, bareDb] = REUSE
      ? await Promise.all([loadedDatabase(adminUrl, 'bench_portal'), loadedDatabase(adminUrl, 'bench_bare')])
      : await Promise.all([prepareDatabase(adminUrl, 'bench_portal'), prepareDatabase(adminUrl, 'bench_bare')]);
    // The third side of the ingest figures (not a target): the bare upsert plus audit rows and
    // edges, hand-written, in its own database. Dropped once the ingest figures are taken.
    const auditedDb = wanted('ingest') && !REUSE ? await prepareDatabase(adminUrl, 'bench_audited') : null;
    const audited = auditedDb ? await startServer('bare-server.ts', auditedDb) : null;
    if (audited) servers.push(audited);
    const portal = await startServer('portal-server.ts', portalDb);
    servers.push(portal);
    const bare = await startServer('bare-server.ts', bareDb);
    servers.push(bare);
    const auth = { authorization: `Bearer ${portal.token}` };
    const extras: string[] = [];
    const rows: Row[] = [];
    const higher = (metric: string, p: number, b: number, unit: string, min: number) =>
      rows.push({ metric, portal: p, bare: b, unit, ratio: p / b, target: `≥ ${min}×`, pass: p / b >= min });
    const lower = (metric: string, p: number, b: number, unit: string, max: number, absMax?: number) =>
      rows.push({ metric, portal: p, bare: b, unit, ratio: p / b, target: absMax !== undefined ? `≤ ${absMax} ${unit}` : `≤ ${max}×`, pass: absMax !== undefined ? p <= absMax : p / b <= max });

    // 1. Bulk ingest: new rows, the same rows changed, then sent again unchanged.
    // Without the ingest figures the catalog is still loaded (new, then changed: every relation).
    // Reused databases hold the changed catalog: only sending it again unchanged can be measured.
    const phases = REUSE ? (wanted('ingest') ? ([['unchanged', 'changed']] as const) : []) : wanted('ingest') ? ([['new', 'new'], ['changed', 'changed'], ['unchanged', 'changed']] as const) : ([['new', 'new'], ['changed', 'changed']] as const);
    for (const [label, phase] of phases) {
      if (STATEMENTS) await Promise.all([statementStats(portalDb, 'reset'), statementStats(bareDb, 'reset')]);
      const cpu0 = cpuSeconds('bench_portal', [portal.child.pid!]);
      const p = await ingest('portal', portal, shape, phase);
      const cpu1 = cpuSeconds('bench_portal', [portal.child.pid!]);
      log(`ingest ${label}: portal ${p.toFixed(0)}/s; CPU s: PostgreSQL ${(cpu1.db - cpu0.db).toFixed(1)}, Node ${(cpu1.node - cpu0.node).toFixed(1)}`);
      const cpu2 = cpuSeconds('bench_bare', [bare.child.pid!]);
      const b = await ingest('bare', bare, shape, phase);
      const cpu3 = cpuSeconds('bench_bare', [bare.child.pid!]);
      log(`ingest ${label}: bare ${b.toFixed(0)}/s; CPU s: PostgreSQL ${(cpu3.db - cpu2.db).toFixed(1)}, Node ${(cpu3.node - cpu2.node).toFixed(1)}`);
      if (audited) {
        const cpu4 = cpuSeconds('bench_audited', [audited.child.pid!]);
        const a = await ingest('audited', audited, shape, phase);
        const cpu5 = cpuSeconds('bench_audited', [audited.child.pid!]);
        log(`ingest ${label}: bare with audit and edges ${a.toFixed(0)}/s; CPU s: PostgreSQL ${(cpu5.db - cpu4.db).toFixed(1)}, Node ${(cpu5.node - cpu4.node).toFixed(1)}`);
        extras.push(`ingest ${label} vs a bare endpoint that also audits and keeps edges: ${(p / a).toFixed(2)}× (${a.toFixed(0)}/s)`);
      }
      if (STATEMENTS) {
        await statementStats(portalDb, 'print', `ingest ${label}, portal`);
        await statementStats(bareDb, 'print', `ingest ${label}, bare`);
      }
      if (wanted('ingest')) higher(`bulk ingest, ${label} (entities/s)`, p, b, '/s', 0.8);
    }
    if (audited) {
      await stopServer(audited);
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query('drop database if exists bench_audited with (force)');
      await c.end();
    }
    if (!REUSE) {
      // The bare ingest stores relations only as identifiers; the graph reference needs the edge
      // table, derived here once (not timed).
      const c = new pg.Client({ connectionString: bareDb });
      await c.connect();
      await c.query(`insert into entity_relations (source_id, relation, target_id)
        select s.id, r.key, t.id
        from entities s
        cross join lateral jsonb_each(s.relations) r
        cross join lateral jsonb_array_elements_text(case jsonb_typeof(r.value) when 'array' then r.value when 'string' then jsonb_build_array(r.value) else '[]'::jsonb end) v(target)
        join blueprints b on b.identifier = s.blueprint
        join entities t on t.blueprint = (b.relations -> r.key ->> 'target') and t.identifier = v.target
        on conflict do nothing`);
      await c.end();
    }
    for (const url of REUSE ? [] : [portalDb, bareDb]) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query('vacuum analyze');
      await c.end();
    }

    const rand = (n: number) => Math.floor(Math.random() * n);
    const weighted = LOAD_ORDER.map((bp) => ({ bp, n: countOf(bp, shape) }));
    const randomEntity = () => {
      let k = rand(N);
      for (const w of weighted) {
        if (k < w.n) return { bp: w.bp, identifier: { Domain: id.domain, System: id.system, Resource: id.resource, Component: id.component, API: id.api }[w.bp](k) };
        k -= w.n;
      }
      return { bp: 'Component', identifier: id.component(0) };
    };
    const warmupSeconds = 1;

    // CPU per request of each part (the load generator's too: all share the two cores), so a gap
    // can be placed without a profiler. Includes the warm-up second.
    const measured = async (figure: string, name: 'portal' | 'bare', server: Server, run: () => Promise<Awaited<ReturnType<typeof throughput>>>) => {
      const url = name === 'portal' ? portalDb : bareDb;
      if (STATEMENTS) await statementStats(url, 'reset');
      const c0 = cpuSeconds(`bench_${name}`, [server.child.pid!]);
      const l0 = process.cpuUsage();
      const r = await run();
      const c1 = cpuSeconds(`bench_${name}`, [server.child.pid!]);
      const l1 = process.cpuUsage(l0);
      const n = r.rps * (SECONDS + warmupSeconds);
      const us = (s: number) => ((s * 1e6) / n).toFixed(0);
      log(`${figure} ${name}: CPU µs per request: PostgreSQL ${us(c1.db - c0.db)}, Node ${us(c1.node - c0.node)}, load generator ${us((l1.user + l1.system) / 1e6)}`);
      if (STATEMENTS) await statementStats(url, 'print', `${figure} ${name}`);
      return r;
    };

    // 2. GET one entity.
    if (wanted('get')) {
      const getP = await measured('GET', 'portal', portal, () => throughput({ url: portal.url, connections: 32, seconds: SECONDS, warmupSeconds, headers: auth, next: () => { const e = randomEntity(); return { method: 'GET', path: `/v1/blueprints/${e.bp}/entities/${e.identifier}` }; } }));
      const getB = await measured('GET', 'bare', bare, () => throughput({ url: bare.url, connections: 32, seconds: SECONDS, warmupSeconds, next: () => { const e = randomEntity(); return { method: 'GET', path: `/entities/${e.bp}/${e.identifier}` }; } }));
      if (getP.errors || getB.errors) log(`GET errors: portal ${getP.errors}, bare ${getB.errors}`);
      higher('GET one entity (req/s)', getP.rps, getB.rps, 'req/s', 0.85);
      lower('GET one entity p99 (ms)', getP.p99, getB.p99, 'ms', 1.3);
      extras.push(`GET p50 portal ${getP.p50} ms / bare ${getB.p50} ms`);
    }

    // 3. A filtered, sorted 50-row page.
    if (wanted('page')) {
      const languages = () => { const a = rand(LANGUAGES.length); return [LANGUAGES[a]!, LANGUAGES[(a + 1 + rand(LANGUAGES.length - 1)) % LANGUAGES.length]!]; };
      const portalPage = (langs: string[]) => JSON.stringify({
        query: { combinator: 'and', rules: [{ property: 'lifecycle', operator: '=', value: 'production' }, { property: 'language', operator: 'in', value: langs }] },
        sort: { property: '$title', order: 'asc' },
        limit: 50,
      });
      {
        // Both sides must answer the same page, or the comparison means nothing.
        const [a, b] = await Promise.all([
          send(`${portal.url}/v1/blueprints/Component/entities/search`, 'POST', portalPage(['Go', 'Rust']), auth),
          send(`${bare.url}/search-page`, 'POST', JSON.stringify({ languages: ['Go', 'Rust'], limit: 50 })),
        ]);
        // Properties compared with sorted keys: key order means nothing in JSON, and the two sides
        // merge mirror values differently (jsonb || in the portal, a spread in the bare route).
        const sorted = (o: Record<string, unknown>) => JSON.stringify(Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))));
        const ids = (s: string) => (JSON.parse(s) as { entities: { identifier: string; properties: Record<string, unknown> }[] }).entities.map((e) => `${e.identifier} ${sorted(e.properties)}`);
        if (JSON.stringify(ids(a.body)) !== JSON.stringify(ids(b.body))) throw new Error(`search pages differ:\n${ids(a.body).slice(0, 3).join('\n')}\nvs\n${ids(b.body).slice(0, 3).join('\n')}`);
      }
      const pageP = await measured('page', 'portal', portal, () => throughput({ url: portal.url, connections: 16, seconds: SECONDS, warmupSeconds, headers: auth, next: () => ({ method: 'POST', path: '/v1/blueprints/Component/entities/search', body: portalPage(languages()) }) }));
      const pageB = await measured('page', 'bare', bare, () => throughput({ url: bare.url, connections: 16, seconds: SECONDS, warmupSeconds, next: () => ({ method: 'POST', path: '/search-page', body: JSON.stringify({ languages: languages(), limit: 50 }) }) }));
      if (pageP.errors || pageB.errors) log(`search errors: portal ${pageP.errors}, bare ${pageB.errors}`);
      higher('filtered sorted 50-row page (req/s)', pageP.rps, pageB.rps, 'req/s', 0.7);
      extras.push(`page p99 portal ${pageP.p99} ms / bare ${pageB.p99} ms`);
    }

    // 4. Deep pagination: walk the cursor to 90% of the catalog, then time that page against page 1.
    if (wanted('deep')) {
      const depth = Math.floor(N * 0.9);
      let cursor: string | null = null;
      let walked = 0;
      const tWalk = performance.now();
      while (walked < depth) {
        const res = await send(`${portal.url}/v1/entities/search`, 'POST', JSON.stringify({ limit: Math.min(1000, depth - walked), ...(cursor ? { from: cursor } : {}) }), auth);
        const body = JSON.parse(res.body) as { entities: unknown[]; next: string | null };
        walked += body.entities.length;
        cursor = body.next;
        if (!cursor) throw new Error(`cursor ended at ${walked}`);
      }
      log(`walked ${walked} entities with the cursor in ${((performance.now() - tWalk) / 1000).toFixed(1)} s`);
      const first = await latency({ base: portal.url, clients: 1, seconds: SECONDS / 2, warmupSeconds, headers: auth, next: () => ({ method: 'POST', path: '/v1/entities/search', body: JSON.stringify({ limit: 50 }) }) });
      const deep = await latency({ base: portal.url, clients: 1, seconds: SECONDS / 2, warmupSeconds, headers: auth, next: () => ({ method: 'POST', path: '/v1/entities/search', body: JSON.stringify({ limit: 50, from: cursor }) }) });
      lower(`page at depth ${depth} vs page 1, p50 (ms)`, deep.p50, first.p50, 'ms', 1.2);
    }

    // 5. Facets for three properties vs the raw GROUP BY.
    if (wanted('facets')) {
      const facetsP = await latency({ base: portal.url, clients: 1, seconds: SECONDS, warmupSeconds, headers: auth, next: () => ({ method: 'POST', path: '/v1/blueprints/Component/entities/facets', body: JSON.stringify({ properties: ['lifecycle', 'language', 'type'] }) }) });
      const facetsB = await latency({ base: bare.url, clients: 1, seconds: SECONDS, warmupSeconds, next: () => ({ method: 'POST', path: '/facets', body: '{}' }) });
      lower('facets, 3 properties, p95 (ms)', facetsP.p95, facetsB.p95, 'ms', 1.3);
      extras.push(`facets p50 ${facetsP.p50.toFixed(1)} / ${facetsB.p50.toFixed(1)} ms`);
    }

    // 6. Three-hop graph around a random component.
    if (wanted('graph')) {
      const comp = () => id.component(rand(shape.components));
      const graphP = await latency({ base: portal.url, clients: 1, seconds: SECONDS, warmupSeconds, headers: auth, next: () => ({ method: 'GET', path: `/v1/blueprints/Component/entities/${comp()}/graph?depth=3` }) });
      const graphB = await latency({ base: bare.url, clients: 1, seconds: SECONDS, warmupSeconds, next: () => ({ method: 'GET', path: `/graph/Component/${comp()}?depth=3` }) });
      lower('3-hop graph p95 (ms)', graphP.p95, graphB.p95, 'ms', Infinity, 20);
      extras.push(`graph p50 ${graphP.p50.toFixed(1)} / ${graphB.p50.toFixed(1)} ms`);
    }

    console.log(`\nPortolan catalog benchmark: ${N.toLocaleString('en')} entities, ${SECONDS} s per figure, ${new Date().toISOString()}`);
    console.log('reference = bare Fastify + pg route with one hand-written statement (for the deep page: the same query at page 1)\n');
    printTable(rows);
    if (extras.length > 0) console.log(`\nextra: ${extras.join('; ')}`);
  } finally {
    await Promise.all(servers.map(stopServer));
    if (process.env.BENCH_DATABASE_URL && process.env.BENCH_KEEP !== '1') {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      for (const name of ['bench_portal', 'bench_bare', 'bench_audited']) await c.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await c.end();
    }
    await embedded?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
