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
import { combineThroughput, latency, latencyOf, send, throughput, type Throughput } from './load.ts';
import { countOf, entities, id, LANGUAGES, LOAD_ORDER, shapeFor, type CatalogShape, type Phase } from './synthetic-catalog.ts';

// npm run bench: loads a synthetic catalog (BENCH_ENTITIES, default 100,000) into real PostgreSQL
// through the portal's API and, in the same run, through bare Fastify+pg references doing the same
// operations with one hand-written statement each; prints each figure, its reference and the ratio.
// Portal, bare server and PostgreSQL run in their own processes; the load generator in this one.
// The sides of a figure are measured in turns (inTurns), so both see the same machine.
//
//   BENCH_ENTITIES=1000000   catalog size
//   BENCH_DATABASE_URL=...   use this server (two databases are created and dropped) instead of an embedded one
//   BENCH_KEEP=1             with BENCH_DATABASE_URL: keep the two databases afterwards, to look into them
//   BENCH_REUSE=1            with BENCH_DATABASE_URL: measure the databases a BENCH_KEEP run left loaded
//                            with this many entities instead of loading them again (of ingest, only unchanged):
//                            a 1M comparison of two versions of a read path in minutes, not a quarter hour
//   BENCH_SECONDS=5          measurement time per figure and side, in one-second turns (after a 1 s warm-up)
//   BENCH_STATEMENTS=1       after each ingest phase, GET and page, print where each database spent its time
//                            (pg_stat_statements, trigger statements such as foreign-key checks included)
//   BENCH_PG_DEFAULTS=1      the embedded server with PostgreSQL's default memory and WAL settings
//   BENCH_EXPLAIN_LOG=file   write the plans of statements slower than 100 ms there (auto_explain)
//   BENCH_ONLY=ingest,get    only these figures (ingest, get, page, deep, facets, graph); the
//                            catalog is always loaded first

const N = Number(process.env.BENCH_ENTITIES ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const BATCH = 1000;
/** Entities per turn of the ingest figures (see inTurns). */
const INGEST_SLICE = 10_000;
const INGEST_CONCURRENCY = 4;
/** Fewest samples per side behind a latency figure (see latencyInTurns). */
const MIN_LATENCY_SAMPLES = 60;
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

/** Node's command-line flags for the server, as in package.json's start script and the Dockerfile. */
const PORTAL_NODE_FLAGS = ['--max-semi-space-size=32'];

async function startServer(file: string, databaseUrl: string): Promise<Server> {
  // BENCH_NODE_OPTIONS (e.g. --cpu-prof) goes to the servers, not to the load generator.
  const extra = process.env.BENCH_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [];
  // The portal gets the Node flags `npm start` and the Dockerfile give the server (a unit test keeps
  // the three the same); the bare reference runs with Node's defaults.
  const portalFlags = file === 'portal-server.ts' ? PORTAL_NODE_FLAGS : [];
  const child = spawn(process.execPath, [...extra, ...portalFlags, '--import', 'tsx', path.join(import.meta.dirname, file)], {
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

/** Sends entities [from, to) of one blueprint in batches of 1,000, four at a time. */
async function ingestSlice(target: Side, server: Server, slice: IngestSlice, shape: CatalogShape, phase: Phase): Promise<void> {
  let nextStart = slice.from;
  const worker = async () => {
    while (nextStart < slice.to) {
      const from = nextStart;
      nextStart += BATCH;
      const body = JSON.stringify({ entities: entities(slice.bp, from, Math.min(slice.to, from + BATCH), shape, phase) });
      const res =
        target === 'portal'
          ? await send(`${server.url}/v1/blueprints/${slice.bp}/entities/bulk`, 'POST', body, { authorization: `Bearer ${server.token}` })
          : await send(`${server.url}/${target === 'bare' ? 'bulk' : EXTRA_INGEST_SIDES.find((x) => x.side === target)!.route}/${slice.bp}`, 'POST', body);
      if (res.status !== 200) throw new Error(`${target} ingest ${slice.bp} [${from}…]: ${res.status} ${res.body.slice(0, 500)}`);
    }
  };
  await Promise.all(Array.from({ length: INGEST_CONCURRENCY }, worker));
}

type Side = 'portal' | 'bare' | 'audited' | 'edges';
const EXTRA_INGEST_SIDES = [
  { side: 'audited', route: 'bulk-audited', database: 'bench_audited', label: 'bare with audit and edges' },
  { side: 'edges', route: 'bulk-edges', database: 'bench_edges', label: 'bare with edges, no audit' },
] as const satisfies readonly { side: Side; route: string; database: string; label: string }[];
interface IngestSlice {
  bp: string;
  from: number;
  to: number;
}

/** The catalog in load order (targets before the entities that link to them), in slices. */
function ingestSlices(shape: CatalogShape): IngestSlice[] {
  return LOAD_ORDER.flatMap((bp) => {
    const count = countOf(bp, shape);
    return Array.from({ length: Math.ceil(count / INGEST_SLICE) }, (_, i) => ({ bp, from: i * INGEST_SLICE, to: Math.min(count, (i + 1) * INGEST_SLICE) }));
  });
}

/**
 * Measures the sides of a figure in turns, slice by slice, in ABBA order (a b, b a, a b, ...).
 * On this kind of shared machine the speed of everything drifts by ±20% within a minute; a side
 * measured wholly after the other took that drift into the ratio (the same build gave a GET
 * reference of 3,191 and 5,009 req/s in consecutive runs). In turns, both sides see the same
 * machine, and each side's CPU is counted around its own slices only.
 */
async function inTurns<S extends string>(sides: { side: S; database: string; pid: number }[], slices: number, run: (side: S, slice: number) => Promise<void>): Promise<Map<S, Cpu>> {
  const cpu = new Map<S, Cpu>(sides.map((s) => [s.side, { db: 0, node: 0, loadGenerator: 0 }]));
  for (let i = 0; i < slices; i++) {
    for (const s of i % 2 === 0 ? sides : [...sides].reverse()) {
      const c0 = cpuSeconds(s.database, [s.pid]);
      const l0 = process.cpuUsage();
      await run(s.side, i);
      const l1 = process.cpuUsage(l0);
      const c1 = cpuSeconds(s.database, [s.pid]);
      const t = cpu.get(s.side)!;
      t.db += c1.db - c0.db;
      t.node += c1.node - c0.node;
      t.loadGenerator += (l1.user + l1.system) / 1e6;
    }
  }
  return cpu;
}

/** CPU seconds of one side: its PostgreSQL backends, its Node server and the load generator. */
interface Cpu {
  db: number;
  node: number;
  loadGenerator: number;
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

// Key order means nothing in JSON, and the two sides merge mirror values differently (jsonb || in
// the portal, a spread in the bare routes): documents are compared with sorted keys.
const sortedKeys = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

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
      port: 0,
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
    // Two more sides of the ingest figures (not targets), each in its own database, dropped once
    // the ingest figures are taken: the bare upsert plus audit rows and edges, hand-written; and
    // the bare upsert plus edges only, which tells what the edge table alone costs a write.
    const extraSides = wanted('ingest') && !REUSE
      ? await Promise.all(EXTRA_INGEST_SIDES.map(async (x) => ({ ...x, server: await startServer('bare-server.ts', await prepareDatabase(adminUrl, x.database)) })))
      : [];
    servers.push(...extraSides.map((x) => x.server));
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
    const slices = ingestSlices(shape);
    for (const [label, phase] of phases) {
      if (STATEMENTS) await Promise.all([statementStats(portalDb, 'reset'), statementStats(bareDb, 'reset')]);
      const sides = [
        { side: 'portal' as Side, database: 'bench_portal', pid: portal.child.pid!, server: portal },
        { side: 'bare' as Side, database: 'bench_bare', pid: bare.child.pid!, server: bare },
        ...extraSides.map((x) => ({ side: x.side, database: x.database, pid: x.server.child.pid!, server: x.server })),
      ];
      const seconds = new Map<Side, number>();
      const cpu = await inTurns(sides, slices.length, async (side, i) => {
        const t0 = performance.now();
        await ingestSlice(side, sides.find((s) => s.side === side)!.server, slices[i]!, shape, phase);
        seconds.set(side, (seconds.get(side) ?? 0) + (performance.now() - t0) / 1000);
      });
      const rate = (side: Side) => N / seconds.get(side)!;
      for (const { side } of sides) {
        const c = cpu.get(side)!;
        const name = EXTRA_INGEST_SIDES.find((x) => x.side === side)?.label ?? side;
        log(`ingest ${label}: ${name} ${rate(side).toFixed(0)}/s; CPU s: PostgreSQL ${c.db.toFixed(1)}, Node ${c.node.toFixed(1)}`);
      }
      const p = rate('portal');
      for (const x of extraSides) extras.push(`ingest ${label}: ${x.label} ${(rate(x.side) / rate('bare')).toFixed(2)}× of the bare upsert (${rate(x.side).toFixed(0)}/s), the portal ${(p / rate(x.side)).toFixed(2)}× of it`);
      if (STATEMENTS) {
        await statementStats(portalDb, 'print', `ingest ${label}, portal`);
        await statementStats(bareDb, 'print', `ingest ${label}, bare`);
      }
      if (wanted('ingest')) higher(`bulk ingest, ${label} (entities/s)`, p, rate('bare'), '/s', 0.8);
    }
    for (const x of extraSides) {
      await stopServer(x.server);
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${x.database} with (force)`);
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

    type Load = { next: () => { method: 'GET' | 'POST'; path: string; body?: string } };
    type Target = Load & { side: string; server: Server; database: string; headers?: Record<string, string> };
    const portalTarget = (side: string, load: Load): Target => ({ side, server: portal, database: 'bench_portal', headers: auth, ...load });
    const bareTarget = (side: string, load: Load): Target => ({ side, server: bare, database: 'bench_bare', ...load });
    const turnsOf = (targets: Target[]) => targets.map((t) => ({ side: t.side, database: t.database, pid: t.server.child.pid! }));

    // Throughput of each target in one-second turns (inTurns), after a warm-up second each; prints
    // the CPU per request of each part (the load generator's too: all share the two cores), so a
    // gap can be placed without a profiler.
    const throughputInTurns = async (figure: string, connections: number, targets: Target[]) => {
      for (const t of targets) await throughput({ url: t.server.url, connections, seconds: warmupSeconds, warmupSeconds: 0, headers: t.headers ?? {}, next: t.next });
      if (STATEMENTS) await Promise.all([statementStats(portalDb, 'reset'), statementStats(bareDb, 'reset')]);
      const slices = new Map<string, Throughput[]>(targets.map((t) => [t.side, []]));
      const cpu = await inTurns(turnsOf(targets), SECONDS, async (side) => {
        const t = targets.find((x) => x.side === side)!;
        slices.get(side)!.push(await throughput({ url: t.server.url, connections, seconds: 1, warmupSeconds: 0, headers: t.headers ?? {}, next: t.next }));
      });
      const out = new Map<string, Throughput>();
      for (const t of targets) {
        const r = combineThroughput(slices.get(t.side)!);
        const c = cpu.get(t.side)!;
        const us = (seconds: number) => ((seconds * 1e6) / r.requests).toFixed(0);
        log(`${figure} ${t.side}: ${r.rps.toFixed(0)} req/s; CPU µs per request: PostgreSQL ${us(c.db)}, Node ${us(c.node)}, load generator ${us(c.loadGenerator)}`);
        if (r.errors) log(`${figure} ${t.side}: ${r.errors} errors`);
        out.set(t.side, r);
      }
      if (STATEMENTS) {
        await statementStats(portalDb, 'print', `${figure}, portal`);
        await statementStats(bareDb, 'print', `${figure}, bare`);
      }
      return (side: string) => out.get(side)!;
    };

    // Latency of each target with one client at a time, in one-second turns after a warm-up each,
    // for at least `seconds` turns and until every side has MIN_LATENCY_SAMPLES: a p95 of the few
    // samples a slow request gives in a few seconds (facets take 0.7 s at 1M: 7 per side) is its
    // slowest sample, and one pause of the machine decided the figure.
    const latencyInTurns = async (seconds: number, targets: Target[]) => {
      const run = (t: Target, s: number) => latency({ base: t.server.url, clients: 1, seconds: s, warmupSeconds: 0, headers: t.headers ?? {}, next: t.next });
      for (const t of targets) await run(t, warmupSeconds);
      const samples = new Map<string, number[]>(targets.map((t) => [t.side, []]));
      const fewest = () => Math.min(...[...samples.values()].map((x) => x.length));
      for (let turns = 0; turns < Math.max(1, Math.round(seconds)) || fewest() < MIN_LATENCY_SAMPLES; turns += 2) {
        // Two turns at a time, so the ABBA order of inTurns stays balanced.
        await inTurns(turnsOf(targets), 2, async (side) => {
          samples.get(side)!.push(...(await run(targets.find((x) => x.side === side)!, 1)).samples);
        });
      }
      return (side: string) => latencyOf(samples.get(side)!);
    };

    // 2. GET one entity.
    // The reference answers the same document (a Component's mirror value included, which costs
    // it two more index lookups); the plain stored-row lookup is measured too, as an extra.
    if (wanted('get')) {
      for (let i = 0; i < 50; i++) {
        const e = i < 10 ? { bp: 'Component', identifier: id.component(rand(shape.components)) } : randomEntity();
        const [a, b] = await Promise.all([send(`${portal.url}/v1/blueprints/${e.bp}/entities/${e.identifier}`, 'GET', undefined, auth), send(`${bare.url}/entities/${e.bp}/${e.identifier}`, 'GET', undefined)]);
        const doc = (body: string) => { const x = (JSON.parse(body) as { entity: { identifier: string; title: string | null; team: string[]; properties: Record<string, unknown>; relations: unknown } }).entity; return JSON.stringify([x.identifier, x.title, x.team, sortedKeys(x.properties), x.relations]); };
        if (doc(a.body) !== doc(b.body)) throw new Error(`GET answers differ:\n${a.body}\nvs\n${b.body}`);
      }
      const getOf = (path: (bp: string, identifier: string) => string) => ({ next: () => { const e = randomEntity(); return { method: 'GET' as const, path: path(e.bp, e.identifier) }; } });
      const get = await throughputInTurns('GET', 32, [
        portalTarget('portal', getOf((bp, identifier) => `/v1/blueprints/${bp}/entities/${identifier}`)),
        bareTarget('bare', getOf((bp, identifier) => `/entities/${bp}/${identifier}`)),
        bareTarget('stored row only', getOf((bp, identifier) => `/row/${bp}/${identifier}`)),
      ]);
      const [getP, getB, getRow] = [get('portal'), get('bare'), get('stored row only')];
      higher('GET one entity (req/s)', getP.rps, getB.rps, 'req/s', 0.85);
      lower('GET one entity p99 (ms)', getP.p99, getB.p99, 'ms', 1.3);
      extras.push(`GET p50 portal ${getP.p50.toFixed(1)} ms / bare ${getB.p50.toFixed(1)} ms`);
      extras.push(`GET vs the stored row alone, without the mirror value (${getRow.rps.toFixed(0)} req/s, p99 ${getRow.p99.toFixed(1)} ms): ${(getP.rps / getRow.rps).toFixed(2)}×, p99 ${(getP.p99 / getRow.p99).toFixed(2)}×`);
      // One client at a time: no read is ever in flight when the next is asked for, so the
      // portal's GETs are not coalesced (entities.repository findEntityForRead) and go out at once.
      const alone = await latencyInTurns(SECONDS, [
        portalTarget('portal', getOf((bp, identifier) => `/v1/blueprints/${bp}/entities/${identifier}`)),
        bareTarget('bare', getOf((bp, identifier) => `/entities/${bp}/${identifier}`)),
      ]);
      extras.push(`GET with one client, p50 / p99: portal ${alone('portal').p50.toFixed(2)} / ${alone('portal').p99.toFixed(2)} ms, bare ${alone('bare').p50.toFixed(2)} / ${alone('bare').p99.toFixed(2)} ms`);
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
        const ids = (s: string) => (JSON.parse(s) as { entities: { identifier: string; properties: Record<string, unknown> }[] }).entities.map((e) => `${e.identifier} ${JSON.stringify(sortedKeys(e.properties))}`);
        if (JSON.stringify(ids(a.body)) !== JSON.stringify(ids(b.body))) throw new Error(`search pages differ:\n${ids(a.body).slice(0, 3).join('\n')}\nvs\n${ids(b.body).slice(0, 3).join('\n')}`);
      }
      const page = await throughputInTurns('page', 16, [
        portalTarget('portal', { next: () => ({ method: 'POST', path: '/v1/blueprints/Component/entities/search', body: portalPage(languages()) }) }),
        bareTarget('bare', { next: () => ({ method: 'POST', path: '/search-page', body: JSON.stringify({ languages: languages(), limit: 50 }) }) }),
      ]);
      higher('filtered sorted 50-row page (req/s)', page('portal').rps, page('bare').rps, 'req/s', 0.7);
      extras.push(`page p99 portal ${page('portal').p99.toFixed(1)} ms / bare ${page('bare').p99.toFixed(1)} ms`);
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
      const pages = await latencyInTurns(SECONDS, [
        portalTarget('first', { next: () => ({ method: 'POST', path: '/v1/entities/search', body: JSON.stringify({ limit: 50 }) }) }),
        portalTarget('deep', { next: () => ({ method: 'POST', path: '/v1/entities/search', body: JSON.stringify({ limit: 50, from: cursor }) }) }),
      ]);
      lower(`page at depth ${depth} vs page 1, p50 (ms)`, pages('deep').p50, pages('first').p50, 'ms', 1.2);
    }

    // 5. Facets for three properties vs the raw GROUP BY.
    if (wanted('facets')) {
      const facets = await latencyInTurns(SECONDS, [
        portalTarget('portal', { next: () => ({ method: 'POST', path: '/v1/blueprints/Component/entities/facets', body: JSON.stringify({ properties: ['lifecycle', 'language', 'type'] }) }) }),
        bareTarget('bare', { next: () => ({ method: 'POST', path: '/facets', body: '{}' }) }),
      ]);
      const [facetsP, facetsB] = [facets('portal'), facets('bare')];
      lower('facets, 3 properties, p95 (ms)', facetsP.p95, facetsB.p95, 'ms', 1.3);
      extras.push(`facets p50 ${facetsP.p50.toFixed(1)} / ${facetsB.p50.toFixed(1)} ms`);
    }

    // 6. Three-hop graph around a random component.
    if (wanted('graph')) {
      const comp = () => id.component(rand(shape.components));
      const graph = await latencyInTurns(SECONDS, [
        portalTarget('portal', { next: () => ({ method: 'GET', path: `/v1/blueprints/Component/entities/${comp()}/graph?depth=3` }) }),
        bareTarget('bare', { next: () => ({ method: 'GET', path: `/graph/Component/${comp()}?depth=3` }) }),
      ]);
      const [graphP, graphB] = [graph('portal'), graph('bare')];
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
      for (const name of ['bench_portal', 'bench_bare', ...EXTRA_INGEST_SIDES.map((x) => x.database)]) await c.query(`drop database if exists ${name} with (force)`).catch(() => {});
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
