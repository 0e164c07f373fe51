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

// Loosely typed on purpose: tests reshape it into valid and invalid definitions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const service = (extra: Record<string, unknown> = {}): any => ({
  identifier: 'Service',
  title: 'Service',
  icon: 'Microservice',
  schema: {
    properties: {
      tier: { type: 'string', enum: ['gold', 'silver'], enumColors: { gold: 'gold', silver: 'silver' } },
      port: { type: 'number', minimum: 1, maximum: 65535 },
      docs: { type: 'string', format: 'url' },
    },
    required: [],
  },
  relations: { system: { title: 'System', target: 'System', required: false, many: false } },
  ...extra,
});

describe('GET /v1/blueprints', () => {
  it('lists the five example blueprints with Port-shaped fields', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/blueprints' });
    expect(res.statusCode).toBe(200);
    const ids = res.json().blueprints.map((b: { identifier: string }) => b.identifier);
    expect(ids).toEqual(['API', 'Component', 'Domain', 'Resource', 'System']);
    const component = res.json().blueprints.find((b: { identifier: string }) => b.identifier === 'Component');
    expect(component.relations.system).toEqual({ title: 'System', target: 'System', required: false, many: false });
    expect(component.mirrorProperties.domain.path).toBe('system.domain.$title');
    expect(component.createdBy).toBe('portolan:system');
    expect(Date.parse(component.updatedAt)).not.toBeNaN();
  });

  it('answers 404 with the error shape for an unknown blueprint', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/blueprints/Nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ ok: false, error: 'not_found', message: 'Blueprint "Nope" not found' });
  });
});

describe('POST /v1/blueprints', () => {
  it('creates a blueprint, records it in the audit log, and refuses a duplicate with 409', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/blueprints', payload: service() });
    expect(res.statusCode).toBe(201);
    expect(res.json().blueprint).toMatchObject({ identifier: 'Service', createdBy: t.adminActor });
    const audit = await t.db.selectFrom('audit_log').selectAll().where('resource_type', '=', 'blueprint').where('resource_id', '=', 'Service').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'create', actor: t.adminActor });
    expect(audit[0]!.request_id).toBe(res.headers['x-request-id']);

    const again = await t.app.inject({ method: 'POST', url: '/v1/blueprints', payload: service() });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('already exists');
    await t.app.inject({ method: 'DELETE', url: '/v1/blueprints/Service' });
  });

  it('lists every problem of an invalid definition in one 400 and stores nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/blueprints',
      payload: {
        identifier: 'Broken',
        title: 'Broken',
        schema: {
          properties: {
            size: { type: 'number', format: 'email' },
            kind: { type: 'strng' },
            name: { type: 'string', pattern: '([' },
            color: { type: 'string', enum: ['a', 'b'], enumColors: { c: 'blue' } },
          },
          required: ['missing'],
        },
        relations: {
          cluster: { target: 'Cluster', required: false, many: false },
          services: { target: 'Component', required: true, many: true },
        },
        mirrorProperties: { owner: { path: 'cluster.$title' } },
      },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'schema.properties.size.format',
        'schema.properties.kind.type',
        'schema.properties.name.pattern',
        'schema.properties.color.enumColors.c',
        'schema.required.0',
        'relations.cluster.target',
        'relations.services',
        'mirrorProperties.owner.path',
      ]),
    );
    await unchanged();
  });

  it.each([
    ['a wrong type for title', { ...service(), title: 42 }, 'body.title'],
    ['a missing schema', { identifier: 'X', title: 'X' }, 'body.schema'],
    ['a bad identifier', { ...service(), identifier: 'has space' }, 'body.identifier'],
    ['an identifier of ..', { ...service(), identifier: '..' }, 'body.identifier'],
    ['a relation without target', { ...service(), relations: { system: { many: false } } }, 'body.relations.system.target'],
  ])('refuses %s with 400 naming the field', async (_name, payload, path) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/blueprints', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_request');
    expect(res.json().details.map((d: { path: string }) => d.path)).toContain(path);
    await unchanged();
  });

  it('answers 400 for malformed JSON and 415 for a non-JSON body, writing nothing', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/v1/blueprints', headers: { 'content-type': 'application/json' }, payload: '{"identifier": ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ ok: false, error: 'invalid_request', message: 'Request body is not valid JSON' });
    const text = await t.app.inject({ method: 'POST', url: '/v1/blueprints', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    expect(text.json().error).toBe('unsupported_media_type');
    await unchanged();
  });
});

describe('PUT/PATCH /v1/blueprints/:bp and changes that would break stored data', () => {
  beforeAll(async () => {
    await t.app.inject({ method: 'POST', url: '/v1/blueprints', payload: service() });
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/blueprints/Service/entities/bulk',
      payload: { entities: [
        { identifier: 'checkout', properties: { tier: 'gold', port: 8080 }, relations: { system: 'Cart' } },
        { identifier: 'search', properties: { tier: 'silver' } },
      ] },
    });
    expect(res.statusCode).toBe(200);
  });

  it('PATCH changes only the fields sent', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/v1/blueprints/Service', payload: { title: 'Services', description: 'Deployable units' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().blueprint).toMatchObject({ title: 'Services', description: 'Deployable units' });
    expect(Object.keys(res.json().blueprint.schema.properties)).toEqual(['tier', 'port', 'docs']);
    expect(res.json().blueprint.relations.system.target).toBe('System');
  });

  it('refuses a property type change while entities have values (409 with the reason)', async () => {
    const def = service();
    (def.schema.properties as Record<string, unknown>).port = { type: 'string' };
    const res = await t.app.inject({ method: 'PUT', url: '/v1/blueprints/Service', payload: def });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('property "port" cannot change type from number to string: 1 entities have a value for it');
    await unchanged();
  });

  it('refuses a new required property without default when entities lack it, accepts it with a default and fills it', async () => {
    const def = service();
    def.schema.properties = { ...def.schema.properties, owner: { type: 'string' } } as typeof def.schema.properties;
    def.schema.required = ['owner'];
    const refused = await t.app.inject({ method: 'PUT', url: '/v1/blueprints/Service', payload: def });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('property "owner" cannot become required without a default: 2 entities have no value for it');
    await unchanged();

    (def.schema.properties as Record<string, { type: string; default?: string }>).owner = { type: 'string', default: 'platform' };
    const ok = await t.app.inject({ method: 'PUT', url: '/v1/blueprints/Service', payload: def });
    expect(ok.statusCode).toBe(200);
    const e = await t.app.inject({ method: 'GET', url: '/v1/blueprints/Service/entities/search' });
    expect(e.json().entity.properties.owner).toBe('platform');
  });

  it('refuses a relation target change while links exist, and many → single when an entity has several', async () => {
    const def = service();
    def.relations = { system: { title: 'System', target: 'Domain', required: false, many: false } };
    const res = await t.app.inject({ method: 'PUT', url: '/v1/blueprints/Service', payload: { ...def, schema: { ...def.schema, properties: { ...def.schema.properties, owner: { type: 'string', default: 'platform' } }, required: ['owner'] } } });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('relation "system" cannot change target from System to Domain: 1 links');
    await unchanged();
  });

  it('removing a property strips its values from the entities, whose version moves on', async () => {
    const etag = async (id: string) => Number(JSON.parse((await t.app.inject({ method: 'GET', url: `/v1/blueprints/Service/entities/${id}` })).headers.etag as string));
    const current = (await t.app.inject({ method: 'GET', url: '/v1/blueprints/Service' })).json().blueprint;
    const holders = (await t.app.inject({ method: 'POST', url: '/v1/blueprints/Service/entities/search', payload: {} })).json().entities as { identifier: string; properties: Record<string, unknown> }[];
    const [withPort, withoutPort] = [holders.filter((e) => 'port' in e.properties), holders.filter((e) => !('port' in e.properties))];
    expect(withPort.map((e) => e.identifier)).toContain('checkout');
    expect(withoutPort.length).toBeGreaterThan(0);
    const before = new Map(await Promise.all(holders.map(async (e) => [e.identifier, await etag(e.identifier)] as const)));
    delete current.schema.properties.port;
    const res = await t.app.inject({ method: 'PUT', url: '/v1/blueprints/Service', payload: current });
    expect(res.statusCode).toBe(200);
    const e = await t.app.inject({ method: 'GET', url: '/v1/blueprints/Service/entities/checkout' });
    expect(e.json().entity.properties).not.toHaveProperty('port');
    // A changed document, a new ETag; the entities without the property are not rewritten.
    for (const h of withPort) expect(await etag(h.identifier)).toBe(before.get(h.identifier)! + 1);
    for (const h of withoutPort) expect(await etag(h.identifier)).toBe(before.get(h.identifier));
  });

  it('refuses narrowing an enum while entities hold a removed value, naming them', async () => {
    const current = (await t.app.inject({ method: 'GET', url: '/v1/blueprints/Service' })).json().blueprint;
    current.schema.properties.tier = { type: 'string', enum: ['gold'] };
    const res = await t.app.inject({ method: 'PUT', url: '/v1/blueprints/Service', payload: current });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('property "tier" cannot take the new enum: 1 entities have values it would reject (e.g. search)');
    await unchanged();
  });

  it("refuses removing a relation another blueprint's mirror property reads through", async () => {
    const current = (await t.app.inject({ method: 'GET', url: '/v1/blueprints/System' })).json().blueprint;
    const res = await t.app.inject({ method: 'PUT', url: '/v1/blueprints/System', payload: { ...current, relations: {} } });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('This change would break other blueprints: Component.mirrorProperties.domain.path');
    await unchanged();
  });

  it('refuses renaming a blueprint through PUT', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/v1/blueprints/Service', payload: service({ identifier: 'Other' }) });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].path).toBe('identifier');
    await unchanged();
  });
});

describe('DELETE /v1/blueprints/:bp', () => {
  it('refuses to delete a blueprint that other blueprints relate to, naming them', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/v1/blueprints/System' });
    expect(res.statusCode).toBe(409);
    expect(res.json().conflicts).toEqual(expect.arrayContaining(['Component.system', 'Resource.system']));
    await unchanged();
  });

  it('refuses to delete a blueprint with entities unless delete_entities=true', async () => {
    await t.app.inject({ method: 'POST', url: '/v1/blueprints', payload: { identifier: 'Scratch', title: 'Scratch', schema: { properties: {}, required: [] } } });
    await t.app.inject({ method: 'POST', url: '/v1/blueprints/Scratch/entities', payload: { identifier: 'one' } });
    const stats = await t.app.inject({ method: 'GET', url: '/v1/blueprints/Scratch/stats' });
    expect(stats.json()).toMatchObject({ entityCount: 1, relatedFrom: [] });
    before = await catalogFingerprint(t.db);
    const refused = await t.app.inject({ method: 'DELETE', url: '/v1/blueprints/Scratch' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('has 1 entities');
    await unchanged();
    const ok = await t.app.inject({ method: 'DELETE', url: '/v1/blueprints/Scratch?delete_entities=true' });
    expect(ok.json()).toEqual({ ok: true, deletedEntities: 1 });
    expect((await t.app.inject({ method: 'GET', url: '/v1/blueprints/Scratch' })).statusCode).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('serves a document generated from the route schemas, and a docs page', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const paths = doc.json().paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/v1/blueprints', '/v1/blueprints/{blueprint}/entities/{entity}', '/v1/blueprints/{blueprint}/entities/bulk']));
    expect(paths['/v1/blueprints'].post.requestBody).toBeDefined();
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });
});
