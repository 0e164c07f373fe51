import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';
import { catalogFingerprint } from '../../../../test-support/db-snapshot.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ examples: true });
});
afterAll(async () => t?.close());

let before: string;
beforeEach(async () => {
  before = await catalogFingerprint(t.db);
});
const unchanged = async () => expect(await catalogFingerprint(t.db)).toBe(before);
const inject = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: method as 'GET', url, ...(payload !== undefined ? { payload: payload as object } : {}), headers });
const get = async (bp: string, id: string) => inject('GET', `/v1/blueprints/${bp}/entities/${encodeURIComponent(id)}`);

describe('create', () => {
  it('creates an entity (201), answers an ETag, and refuses the same identifier with 409', async () => {
    const body = { identifier: 'orders-db', title: 'Orders DB', team: ['cart-team'], properties: { type: 'postgres' }, relations: { system: 'Cart' } };
    const res = await inject('POST', '/v1/blueprints/Resource/entities', body);
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.json().entity).toMatchObject({ identifier: 'orders-db', blueprint: 'Resource', team: ['cart-team'], relations: { system: 'Cart' }, createdBy: t.adminActor });
    const again = await inject('POST', '/v1/blueprints/Resource/entities', body);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ ok: false, error: 'conflict', message: 'Entity "orders-db" of blueprint "Resource" already exists' });
  });

  it('answers with the same document a GET then reads, timestamps to the millisecond included', async () => {
    // The write's answer is rebuilt from what was sent plus what the database decided (id, version,
    // timestamps, sent back as epoch milliseconds); a GET reads the row. Both must agree.
    const created = await inject('POST', '/v1/blueprints/Resource/entities', { identifier: 'answer-probe', title: 'Probe', properties: { type: 'postgres' }, relations: { system: 'Cart' } });
    expect(created.statusCode).toBe(201);
    const afterCreate = await get('Resource', 'answer-probe');
    expect(created.json().entity).toEqual(afterCreate.json().entity);
    const updated = await inject('PUT', '/v1/blueprints/Resource/entities/answer-probe', { identifier: 'answer-probe', title: 'Probe 2', properties: { type: 'postgres' }, relations: { system: 'Cart' } });
    expect(updated.statusCode).toBe(200);
    const afterUpdate = await get('Resource', 'answer-probe');
    expect(updated.json().entity).toEqual(afterUpdate.json().entity);
    expect(updated.json().entity.createdAt).toBe(created.json().entity.createdAt);
    expect(updated.json().entity.updatedAt).not.toBe(created.json().entity.updatedAt);
    expect(await inject('DELETE', '/v1/blueprints/Resource/entities/answer-probe')).toMatchObject({ statusCode: 200 });
  });

  it('lists every failing field in one 400 and stores nothing', async () => {
    const res = await inject('POST', '/v1/blueprints/Component/entities', {
      identifier: 'bad-one',
      properties: { type: 'daemon', repository: 'not a url', language: 42, colour: 'red' },
      relations: { system: ['Cart', 'Products'], nope: 'x' },
    });
    expect(res.statusCode).toBe(400);
    const details = res.json().details as { path: string; message: string }[];
    expect(details.map((d) => d.path)).toEqual(expect.arrayContaining(['properties.type', 'properties.repository', 'properties.language', 'properties.colour', 'relations.system', 'relations.nope']));
    expect(details.find((d) => d.path === 'properties.type')!.message).toBe('must be one of: service, library, website');
    await unchanged();
  });

  it.each([
    ['identifier missing', { properties: {} }, 'identifier'],
    ['identifier with spaces', { identifier: 'a b' }, 'identifier'],
    ['properties not an object', { identifier: 'x', properties: [] }, 'properties'],
    ['team of numbers', { identifier: 'x', team: [1] }, 'team'],
    ['relation value of a wrong type', { identifier: 'x', relations: { system: 5 } }, 'relations.system'],
    ['blueprint in body not matching the route', { identifier: 'x', blueprint: 'API' }, 'blueprint'],
  ])('refuses %s (400 naming it)', async (_n, payload, path) => {
    const res = await inject('POST', '/v1/blueprints/Component/entities', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { path: string }) => d.path)).toContain(path);
    await unchanged();
  });

  it('answers 404 for an unknown blueprint, 400 for a body that is not an object, 413 for an oversize body', async () => {
    const unknown = await inject('POST', '/v1/blueprints/Nope/entities', { identifier: 'x' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe('Blueprint "Nope" not found');
    const arr = await inject('POST', '/v1/blueprints/Component/entities', [1, 2]);
    expect(arr.statusCode).toBe(400);
    const huge = await inject('POST', '/v1/blueprints/Component/entities', { identifier: 'big', properties: { readme: 'x'.repeat(6 * 1024 * 1024) } });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ ok: false, error: 'payload_too_large' });
    await unchanged();
  });

  it('refuses a relation to an entity that does not exist, or creates it with create_missing_related_entities', async () => {
    const body = { identifier: 'Billing', relations: { domain: 'Payments' } };
    const refused = await inject('POST', '/v1/blueprints/System/entities', body);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details).toEqual([{ path: 'relations.domain', message: 'entity "Payments" of blueprint "Domain" not found' }]);
    await unchanged();
    const ok = await inject('POST', '/v1/blueprints/System/entities?create_missing_related_entities=true', body);
    expect(ok.statusCode).toBe(201);
    expect((await get('Domain', 'Payments')).statusCode).toBe(200);
  });

  it('refuses an entity missing a required relation', async () => {
    const res = await inject('POST', '/v1/blueprints/API/entities', { identifier: 'OrphanAPI', properties: { type: 'grpc' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ path: 'relations.provider', message: 'is required (a "Component" entity)' }]);
    await unchanged();
  });

  it('validation_only validates and stores nothing', async () => {
    const good = await inject('POST', '/v1/blueprints/Component/entities?validation_only=true', { identifier: 'dry', properties: { type: 'service' } });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toEqual({ ok: true, valid: true });
    const bad = await inject('POST', '/v1/blueprints/Component/entities?validation_only=true', { identifier: 'dry', properties: { type: 'nope' } });
    expect(bad.statusCode).toBe(400);
    await unchanged();
  });
});

describe('upsert and merge', () => {
  it('upsert=true replaces: fields not sent are cleared', async () => {
    const version = Number(JSON.parse((await get('Component', 'CoreKafkaLibrary')).headers.etag as string));
    const res = await inject('POST', '/v1/blueprints/Component/entities?upsert=true', { identifier: 'CoreKafkaLibrary', title: 'Kafka lib', properties: { type: 'library' } });
    expect(res.statusCode).toBe(200);
    const e = res.json().entity;
    expect(e.title).toBe('Kafka lib');
    expect(e.team).toEqual([]);
    expect(e.properties).toEqual({ type: 'library' });
    expect(e.relations).toEqual({});
    expect(res.headers.etag).toBe(`"${version + 1}"`);
  });

  it('upsert=true&merge=true updates only the fields sent', async () => {
    const res = await inject('POST', '/v1/blueprints/Component/entities?upsert=true&merge=true', { identifier: 'CartService', properties: { lifecycle: 'deprecated' }, relations: { resources: [] } });
    expect(res.statusCode).toBe(200);
    const e = res.json().entity;
    expect(e.title).toBe('Cart Service');
    expect(e.properties).toMatchObject({ type: 'service', lifecycle: 'deprecated', language: 'TypeScript' });
    expect(e.relations).toMatchObject({ system: 'Cart', resources: [], providesApi: 'CartAPI' });
    const edges = await t.db.selectFrom('entity_relations as r').innerJoin('entities as s', 's.id', 'r.source_id').where('s.identifier', '=', 'CartService').where('r.relation', '=', 'resources').select('r.target_id').execute();
    expect(edges).toHaveLength(0);
  });

  it('an upsert that changes nothing keeps the version and writes no audit row', async () => {
    const first = await get('Domain', 'Orders');
    const body = { identifier: 'Orders', title: 'Orders', properties: first.json().entity.properties };
    const res = await inject('POST', '/v1/blueprints/Domain/entities?upsert=true', body);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe(first.headers.etag);
    // The answer is the stored entity, read back by the write path: the same document GET answers.
    expect(res.json().entity).toEqual(first.json().entity);
    await unchanged();
  });
});

describe('audit records of entity writes', () => {
  const auditOf = async (id: string) =>
    (await inject('GET', `/v1/audit-log?resourceType=entity&resourceId=${id}`)).json().entries as { action: string; actor: string; before: unknown; after: unknown }[];

  it('hold the entity as the API answered it: after a create, before and after an update and a rename', async () => {
    const created = await inject('POST', '/v1/blueprints/Domain/entities', { identifier: 'AuditProbe', title: 'Audit probe', team: ['cart-team'], properties: { description: 'first' } });
    expect(created.statusCode).toBe(201);
    const v1 = (await get('Domain', 'AuditProbe')).json().entity;
    const [create] = await auditOf('AuditProbe');
    expect(create).toMatchObject({ action: 'create', actor: t.adminActor, before: null });
    expect(create!.after).toEqual(v1);

    const updated = await inject('PATCH', '/v1/blueprints/Domain/entities/AuditProbe', { properties: { description: 'second' } });
    expect(updated.statusCode).toBe(200);
    const v2 = (await get('Domain', 'AuditProbe')).json().entity;
    const [update] = await auditOf('AuditProbe');
    expect(update).toMatchObject({ action: 'update' });
    expect(update!.before).toEqual(v1);
    expect(update!.after).toEqual(v2);

    const renamed = await inject('PUT', '/v1/blueprints/Domain/entities/AuditProbe', { identifier: 'AuditProbe2', title: 'Audit probe 2', properties: {} });
    expect(renamed.statusCode).toBe(200);
    const v3 = (await get('Domain', 'AuditProbe2')).json().entity;
    const [rename] = await auditOf('AuditProbe2');
    expect(rename).toMatchObject({ action: 'update' });
    expect(rename!.before).toEqual(v2);
    expect(rename!.after).toEqual(v3);
    expect(v3).toMatchObject({ identifier: 'AuditProbe2', title: 'Audit probe 2', team: [], properties: {}, createdAt: v1.createdAt });
  });
});

describe('PUT, PATCH, If-Match', () => {
  it('PATCH merges; a stale If-Match answers 412 and changes nothing', async () => {
    const current = await get('Component', 'ProductsService');
    const etag = current.headers.etag as string;
    const ok = await inject('PATCH', '/v1/blueprints/Component/entities/ProductsService', { properties: { language: 'Rust' } }, { 'if-match': etag });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().entity.properties).toMatchObject({ language: 'Rust', type: 'service' });
    before = await catalogFingerprint(t.db);
    const stale = await inject('PATCH', '/v1/blueprints/Component/entities/ProductsService', { properties: { language: 'Go' } }, { 'if-match': etag });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error).toBe('precondition_failed');
    expect(stale.json().message).toContain('was changed by someone else');
    await unchanged();
  });

  it('PUT replaces, 404s for a missing entity, and refuses a bad If-Match header', async () => {
    const put = await inject('PUT', '/v1/blueprints/Resource/entities/cart-sql-db', { title: 'Cart DB', properties: { type: 'postgres' } });
    expect(put.statusCode).toBe(200);
    expect(put.json().entity).toMatchObject({ identifier: 'cart-sql-db', title: 'Cart DB', relations: {} });
    const missing = await inject('PUT', '/v1/blueprints/Resource/entities/ghost', { properties: {} });
    expect(missing.statusCode).toBe(404);
    const badHeader = await inject('PUT', '/v1/blueprints/Resource/entities/cart-sql-db', { properties: {} }, { 'if-match': 'garbage' });
    expect(badHeader.statusCode).toBe(400);
    expect(badHeader.json().details[0].path).toBe('headers.if-match');
  });

  it('renaming through PUT keeps incoming relations pointing at it', async () => {
    await inject('POST', '/v1/blueprints/Component/entities', { identifier: 'legacy-lib', properties: { type: 'library' } });
    await inject('POST', '/v1/blueprints/Component/entities', { identifier: 'app', properties: { type: 'service' }, relations: { components: ['legacy-lib'] } });
    const appBefore = await get('Component', 'app');
    const res = await inject('PATCH', '/v1/blueprints/Component/entities/legacy-lib', { identifier: 'modern-lib' });
    expect(res.statusCode).toBe(200);
    expect((await get('Component', 'legacy-lib')).statusCode).toBe(404);
    const appAfter = await get('Component', 'app');
    expect(appAfter.json().entity.relations.components).toEqual(['modern-lib']);
    // The linking entity's document changed: a new version (its old ETag no longer matches) and an audit record.
    expect(appAfter.headers.etag).toBe(`"${Number(JSON.parse(appBefore.headers.etag as string)) + 1}"`);
    const stalePut = await inject('PUT', '/v1/blueprints/Component/entities/app', { properties: { type: 'service' } }, { 'if-match': appBefore.headers.etag as string });
    expect(stalePut.statusCode).toBe(412);
    const [record] = (await inject('GET', '/v1/audit-log?resourceType=entity&resourceId=app')).json().entries;
    expect(record).toMatchObject({ action: 'update', before: { relations: { components: ['legacy-lib'] } }, after: { relations: { components: ['modern-lib'] } } });
    expect(record.after).toEqual(appAfter.json().entity);
  });
});

describe('delete', () => {
  it('refuses to delete an entity others require, naming them; delete_dependents removes them too', async () => {
    const refused = await inject('DELETE', '/v1/blueprints/Domain/entities/Orders');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().conflicts).toEqual(expect.arrayContaining(['System/Cart', 'System/Products']));
    await unchanged();

    await inject('POST', '/v1/blueprints/Domain/entities', { identifier: 'Temp' });
    await inject('POST', '/v1/blueprints/System/entities', { identifier: 'TempSys', relations: { domain: 'Temp' } });
    await inject('POST', '/v1/blueprints/Component/entities', { identifier: 'temp-svc', properties: { type: 'service' }, relations: { system: 'TempSys' } });
    const ok = await inject('DELETE', '/v1/blueprints/Domain/entities/Temp?delete_dependents=true');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().deleted.sort()).toEqual(['Domain/Temp', 'System/TempSys']);
    // The optional link from temp-svc is cleared, not left dangling.
    const svc = await get('Component', 'temp-svc');
    expect(svc.json().entity.relations.system).toBeNull();
    expect(svc.headers.etag).toBe('"2"');
    const audit = await t.db.selectFrom('audit_log').select(['resource_id', 'action']).where('action', '=', 'delete').where('resource_id', 'in', ['Temp', 'TempSys']).execute();
    expect(audit).toHaveLength(2);
    // Clearing the link is an update of temp-svc, audited like one.
    const [record] = (await inject('GET', '/v1/audit-log?resourceType=entity&resourceId=temp-svc')).json().entries;
    expect(record).toMatchObject({ action: 'update', before: { relations: { system: 'TempSys' } }, after: { relations: { system: null } } });
    expect(record.after).toEqual(svc.json().entity);
  });

  it('honours If-Match on delete', async () => {
    await inject('POST', '/v1/blueprints/Domain/entities', { identifier: 'Shortlived' });
    const stale = await inject('DELETE', '/v1/blueprints/Domain/entities/Shortlived', undefined, { 'if-match': '"7"' });
    expect(stale.statusCode).toBe(412);
    const ok = await inject('DELETE', '/v1/blueprints/Domain/entities/Shortlived', undefined, { 'if-match': '"1"' });
    expect(ok.statusCode).toBe(200);
  });
});

describe('list', () => {
  it('pages with an opaque cursor, never unbounded, and rejects a forged cursor', async () => {
    const first = await inject('GET', '/v1/blueprints/Component/entities?limit=2');
    expect(first.statusCode).toBe(200);
    expect(first.json().entities).toHaveLength(2);
    const seen = first.json().entities.map((e: { identifier: string }) => e.identifier);
    let next = first.json().next;
    while (next) {
      const page = await inject('GET', `/v1/blueprints/Component/entities?limit=2&from=${encodeURIComponent(next)}`);
      seen.push(...page.json().entities.map((e: { identifier: string }) => e.identifier));
      next = page.json().next;
    }
    const all = await t.db.selectFrom('entities').select('identifier').where('blueprint', '=', 'Component').execute();
    expect(seen.sort()).toEqual(all.map((r) => r.identifier).sort());
    expect((await inject('GET', '/v1/blueprints/Component/entities?limit=5000')).statusCode).toBe(400);
    const forged = await inject('GET', '/v1/blueprints/Component/entities?from=bm9wZQ');
    expect(forged.statusCode).toBe(400);
    expect(forged.json().details[0].path).toBe('query.from');
  });
});

describe('errors never leak internals', () => {
  it('answers a database failure with a bare 500', async () => {
    const { buildApp } = await import('../../src/app.ts');
    const { createDatabase } = await import('../../src/db/database.ts');
    const { db } = createDatabase({ connectionString: 'postgres://nobody:secret-password@127.0.0.1:1/none' });
    const app = await buildApp({ db, identity: { secretKey: Buffer.alloc(32, 7), publicUrl: 'http://127.0.0.1' } });
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ ok: false, error: 'internal_error', message: 'Internal server error', requestId: expect.any(String) });
    expect(res.body).not.toMatch(/ECONNREFUSED|secret-password|at .*\.ts/);
    await app.close();
    await db.destroy();
  });
});

describe('text PostgreSQL cannot store', () => {
  it('refuses the NUL character with 400 and its path, in any body or URL, writing nothing', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/v1/blueprints/Component/entities', { identifier: 'nul-1', properties: { type: 'service', readme: 'a\u0000b' } }, 'body.properties.readme'],
      ['POST', '/v1/blueprints/Component/entities', { identifier: 'nul-2', title: 'x\u0000', properties: { type: 'service' } }, 'body.title'],
      ['POST', '/v1/blueprints/Component/entities/bulk', { entities: [{ identifier: 'nul-3', team: ['ok', 'a\u0000'] }] }, 'body.entities.0.team.1'],
      ['POST', '/v1/blueprints/Component/entities', { identifier: 'nul-4', properties: { 'k\u0000': 1 } }, 'body.properties.k\\u0000'],
      ['POST', '/v1/entities/search', { search: 'a\u0000' }, 'body.search'],
    ];
    for (const [method, url, payload, path] of cases) {
      const res = await inject(method, url, payload);
      expect([url, res.statusCode]).toEqual([url, 400]);
      expect(res.json()).toMatchObject({ ok: false, error: 'invalid_request', details: [{ path, message: 'must not contain the NUL character (U+0000)' }] });
    }
    // In a URL it reaches the database only as a parameter, and is refused there without driver text.
    const inUrl = await inject('GET', '/v1/blueprints/Component/entities/a%00b');
    expect([400, 404]).toContain(inUrl.statusCode);
    expect(inUrl.body).not.toMatch(/0x00|byte sequence/);
    await unchanged();
    // An escaped backslash before "u0000" is ordinary text.
    const literal = await inject('POST', '/v1/blueprints/Component/entities', { identifier: 'nul-5', properties: { type: 'service', readme: 'see \\u0000' } });
    expect(literal.statusCode).toBe(201);
    expect(literal.json().entity.properties.readme).toBe('see \\u0000');
    await inject('DELETE', '/v1/blueprints/Component/entities/nul-5');
  });
});
