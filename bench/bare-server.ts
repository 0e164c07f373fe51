import Fastify from 'fastify';
import pg from 'pg';
import { buildSearchText } from '../apps/server/src/modules/entities/search-text.ts';

// The bare references: the same operations as the portal's, each as one hand-written SQL
// statement behind a plain Fastify route with no validation, access control, audit or mapping
// layer. Started as a child process by catalog.bench.ts (DATABASE_URL, PORT).

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
pool.on('error', () => {});
const app = Fastify({ logger: false, bodyLimit: 50 * 1024 * 1024 });

interface Body {
  identifier: string;
  title?: string | null;
  icon?: string | null;
  team?: string[];
  properties?: Record<string, unknown>;
  relations?: Record<string, unknown>;
}

const toEntity = (r: Record<string, any>) => ({
  identifier: r.identifier,
  title: r.title,
  icon: r.icon,
  blueprint: r.blueprint,
  team: r.team,
  properties: r.mirrored ? { ...r.properties, ...r.mirrored } : r.properties,
  relations: r.relations,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
  updatedAt: r.updated_at.toISOString(),
  updatedBy: r.updated_by,
});

const rowsOf = (entities: Body[]) =>
  entities.map((e) => ({
    identifier: e.identifier,
    title: e.title ?? null,
    icon: e.icon ?? null,
    team: e.team ?? [],
    properties: e.properties ?? {},
    relations: e.relations ?? {},
    search_text: buildSearchText(e.identifier, e.title, e.properties ?? {}),
  }));

// One multi-row upsert per request; unchanged rows are skipped by the WHERE.
app.post<{ Params: { bp: string }; Body: { entities: Body[] } }>('/bulk/:bp', async (req) => {
  const rows = rowsOf(req.body.entities);
  const { rowCount } = await pool.query({
    name: 'bulk',
    text: `insert into entities (blueprint, identifier, title, icon, team, properties, relations, search_text, created_by, updated_by)
      select $1, x.identifier, x.title, x.icon, x.team, x.properties, x.relations, x.search_text, 'bare', 'bare'
      from jsonb_to_recordset($2::jsonb) as x(identifier text, title text, icon text, team text[], properties jsonb, relations jsonb, search_text text)
      on conflict (blueprint, identifier) do update set title = excluded.title, icon = excluded.icon, team = excluded.team,
        properties = excluded.properties, relations = excluded.relations, search_text = excluded.search_text,
        updated_by = excluded.updated_by, updated_at = now(), version = entities.version + 1
      where (entities.title, entities.icon, entities.team, entities.properties, entities.relations)
        is distinct from (excluded.title, excluded.icon, excluded.team, excluded.properties, excluded.relations)`,
    values: [req.params.bp, JSON.stringify(rows)],
  });
  return { ok: true, written: rowCount };
});

// The same upsert plus what the portal's writes must also do, hand-written: an audit row per
// written entity with its before and after documents (same statement), and the edge table kept
// in step (a second statement, in the same transaction: edges may point at rows the first one
// wrote). Not a target of the issue; it tells how much of the gap to /bulk is the work itself.
// /bulk-edges is the same without the audit rows: what the edge table alone costs.
// The blueprint of the lookup is hidden from the planner as in the portal (entities.repository
// blueprintKey): with the statistics of before a bulk load it otherwise scans the blueprint per row.
const relationTargets = new Map<string, Map<string, string>>();
const bulkWithEdges = (audit: boolean) => async (req: { params: { bp: string }; body: { entities: Body[] } }) => {
  const bp = req.params.bp;
  let targets = relationTargets.get(bp);
  if (!targets) {
    const { rows } = await pool.query<{ relations: Record<string, { target: string }> }>('select relations from blueprints where identifier = $1', [bp]);
    targets = new Map(Object.entries(rows[0]?.relations ?? {}).map(([name, r]) => [name, r.target]));
    relationTargets.set(bp, targets);
  }
  const rows = rowsOf(req.body.entities);
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows: written } = await client.query<{ id: string; relations: Record<string, string | string[] | null> }>({
      name: audit ? 'bulk-audited' : 'bulk-edges',
      text: `with x as (
          select * from jsonb_to_recordset($2::jsonb) as x(identifier text, title text, icon text, team text[], properties jsonb, relations jsonb, search_text text)
        ), ${audit ? `old as materialized (
          select e.* from x cross join lateral (select * from entities where blueprint = (select $1::text) and identifier = x.identifier limit 1) e
        ),` : ''} up as (
          insert into entities (blueprint, identifier, title, icon, team, properties, relations, search_text, created_by, updated_by)
          select $1, x.identifier, x.title, x.icon, x.team, x.properties, x.relations, x.search_text, 'bare', 'bare' from x
          on conflict (blueprint, identifier) do update set title = excluded.title, icon = excluded.icon, team = excluded.team,
            properties = excluded.properties, relations = excluded.relations, search_text = excluded.search_text,
            updated_by = excluded.updated_by, updated_at = now(), version = entities.version + 1
          where (entities.title, entities.icon, entities.team, entities.properties, entities.relations)
            is distinct from (excluded.title, excluded.icon, excluded.team, excluded.properties, excluded.relations)
          returning entities.*
        )${audit ? `, audited as (
          insert into audit_log (actor, action, resource_type, resource_id, blueprint, before, after)
          select 'bare', case when old.id is null then 'create' else 'update' end, 'entity', up.identifier, up.blueprint,
            to_jsonb(old) - 'search_text', to_jsonb(up) - 'search_text'
          from up left join old on old.id = up.id
        )` : ''}
        select id, relations from up`,
      values: [bp, JSON.stringify(rows)],
    });
    const edges = { source: [] as string[], relation: [] as string[], targetBp: [] as string[], target: [] as string[] };
    for (const w of written) {
      for (const [relation, value] of Object.entries(w.relations)) {
        for (const target of value === null ? [] : Array.isArray(value) ? value : [value]) {
          edges.source.push(w.id);
          edges.relation.push(relation);
          edges.targetBp.push(targets.get(relation) ?? '');
          edges.target.push(target);
        }
      }
    }
    if (written.length > 0) {
      await client.query({
        name: audit ? 'bulk-audited-edges' : 'bulk-edges-edges',
        text: `with wanted as materialized (
            select w.source_id, w.relation, t.id as target_id
            from unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) as w(source_id, relation, target_bp, target_identifier)
            cross join lateral (select id from entities where blueprint = w.target_bp and identifier = w.target_identifier limit 1) t
          ), gone as (
            delete from entity_relations r using unnest($5::bigint[]) as s(id)
            where r.source_id = s.id and not exists (select 1 from wanted w where w.source_id = r.source_id and w.relation = r.relation and w.target_id = r.target_id)
          )
          insert into entity_relations (source_id, relation, target_id) select * from wanted on conflict do nothing`,
        values: [edges.source, edges.relation, edges.targetBp, edges.target, written.map((w) => w.id)],
      });
    }
    await client.query('commit');
    return { ok: true, written: written.length };
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
};
app.post<{ Params: { bp: string }; Body: { entities: Body[] } }>('/bulk-audited/:bp', bulkWithEdges(true));
app.post<{ Params: { bp: string }; Body: { entities: Body[] } }>('/bulk-edges/:bp', bulkWithEdges(false));

// The example catalog's one mirror property, written by hand: a Component's domain title
// (system.domain.$title) as the mirrored object of Component row `row`, read through the stored
// relation identifiers.
const componentDomain = (row: string) => `jsonb_strip_nulls(jsonb_build_object('domain', (select to_jsonb(d.title) from entities s
    join entities d on d.blueprint = 'Domain' and d.identifier = s.relations ->> 'domain'
    where s.blueprint = 'System' and s.identifier = ${row}.relations ->> 'system')))`;

// GET one entity answers the document the portal's GET answers, mirror value included; /row is
// the indexed lookup of the stored row alone (the bench prints both ratios).
for (const [path, mirrored] of [['/entities/:bp/:id', `case when e.blueprint = 'Component' then ${componentDomain('e')} end`], ['/row/:bp/:id', 'null']] as const) {
  const name = path.startsWith('/row') ? 'get-row' : 'get';
  app.get<{ Params: { bp: string; id: string } }>(path, async (req, reply) => {
    const { rows } = await pool.query({
      name,
      text: `select blueprint, identifier, title, icon, team, properties, relations, created_at, created_by, updated_at, updated_by, ${mirrored} as mirrored
        from entities e where blueprint = $1 and identifier = $2`,
      values: [req.params.bp, req.params.id],
    });
    if (rows.length === 0) return reply.status(404).send({ ok: false });
    return { ok: true, entity: toEntity(rows[0]) };
  });
}

// The benchmark's search page, written by hand: Components in production with one of two
// languages, by title, 50 rows, with the Component's mirror property (system.domain.$title)
// read through the stored relation identifiers.
app.post<{ Body: { languages: string[]; limit: number } }>('/search-page', async (req) => {
  // Unnamed, like the portal's statements: planned with the actual values every time.
  const { rows } = await pool.query({
    text: `select p.*, ${componentDomain('p')} as mirrored
      from (select id, blueprint, identifier, title, icon, team, properties, relations, created_at, created_by, updated_at, updated_by,
          coalesce(title, '') collate "C" as sort_key
        from entities e
        where blueprint = 'Component' and properties @> '{"lifecycle":"production"}'
          and (properties @> $1::jsonb or properties @> $2::jsonb)
        order by coalesce(title, '') collate "C", id limit $3) p`,
    values: [JSON.stringify({ language: req.body.languages[0] }), JSON.stringify({ language: req.body.languages[1] }), req.body.limit + 1],
  });
  const page = rows.slice(0, req.body.limit);
  return { ok: true, entities: page.map(toEntity), next: rows.length > req.body.limit ? String(page[page.length - 1]!.id) : null };
});

// Facet counts of three Component properties and the total, one scan.
app.post('/facets', async () => {
  const { rows } = await pool.query({
    name: 'facets',
    text: `select grouping(l) as gl, grouping(g) as gg, grouping(t) as gt, l, g, t, count(*)::int as n
      from (select properties -> 'lifecycle' as l, properties -> 'language' as g, properties -> 'type' as t from entities where blueprint = 'Component') s
      group by grouping sets ((l), (g), (t), ())`,
  });
  return { ok: true, rows };
});

app.get<{ Params: { bp: string; id: string }; Querystring: { depth?: string } }>('/graph/:bp/:id', async (req) => {
  const depth = Number(req.query.depth ?? 3);
  const { rows: nodes } = await pool.query({
    name: 'graph',
    text: `with root as (select id from entities where blueprint = $1 and identifier = $2),
      n as (select id, min(d)::int as depth from (
        (with recursive w(id, d) as (select id, 0 from root union select r.target_id, w.d + 1 from w join entity_relations r on r.source_id = w.id where w.d < $3) select * from w)
        union all
        (with recursive w(id, d) as (select id, 0 from root union select r.source_id, w.d + 1 from w join entity_relations r on r.target_id = w.id where w.d < $3) select * from w)
      ) a group by id order by depth, id limit 301)
      select e.id, e.blueprint, e.identifier, e.title, e.icon, n.depth from n join entities e on e.id = n.id order by n.depth, e.id`,
    values: [req.params.bp, req.params.id, depth],
  });
  const ids = nodes.map((n) => n.id);
  const { rows: edges } = await pool.query({
    name: 'edges',
    text: 'select source_id, relation, target_id from entity_relations where source_id = any($1::bigint[]) and target_id = any($1::bigint[])',
    values: [ids],
  });
  return { ok: true, nodes, edges };
});

const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`${JSON.stringify({ ready: true, url: address })}\n`);
process.on('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
