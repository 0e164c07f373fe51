import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';
import { catalogFingerprint } from '../../../../test-support/db-snapshot.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ examples: true });
});
afterAll(async () => t?.close());

const bulk = (bp: string, entities: unknown[], query = '') =>
  t.app.inject({ method: 'POST', url: `/v1/blueprints/${bp}/entities/bulk${query}`, payload: { entities } });

describe('POST /v1/blueprints/:bp/entities/bulk', () => {
  it('stores the good items, reports the bad ones by index with 207', async () => {
    const res = await bulk('Component', [
      { identifier: 'svc-a', properties: { type: 'service' } },
      { identifier: 'svc-b', properties: { type: 'gizmo' } },
      { identifier: 'svc-c', properties: { type: 'library' }, relations: { system: 'Nowhere' } },
      { nope: true },
      { identifier: 'svc-a', properties: {} },
    ]);
    expect(res.statusCode).toBe(207);
    const body = res.json();
    expect(body.ok).toBe(false);
    expect(body.entities).toEqual([{ identifier: 'svc-a', index: 0, created: true }]);
    expect(body.errors.map((e: { index: number; statusCode: number }) => [e.index, e.statusCode])).toEqual([[1, 400], [2, 400], [3, 400], [4, 400]]);
    expect(body.errors[0].details[0]).toEqual({ path: 'properties.type', message: 'must be one of: service, library, website' });
    expect(body.errors[1].details[0].message).toBe('entity "Nowhere" of blueprint "System" not found');
    expect(body.errors[2].details[0].path).toBe('identifier');
    expect(body.errors[3].message).toContain('appears more than once');
    const stored = await t.db.selectFrom('entities').select('identifier').where('identifier', 'in', ['svc-a', 'svc-b', 'svc-c']).execute();
    expect(stored.map((r) => r.identifier)).toEqual(['svc-a']);
  });

  it('resolves relations inside one batch whatever their order, including chains', async () => {
    const res = await bulk('Component', [
      { identifier: 'top', properties: { type: 'service' }, relations: { components: ['mid'] } },
      { identifier: 'mid', properties: { type: 'library' }, relations: { components: ['leaf'] } },
      { identifier: 'leaf', properties: { type: 'library' } },
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json().entities.every((e: { created: boolean }) => e.created)).toBe(true);
    const edges = await t.db
      .selectFrom('entity_relations as r')
      .innerJoin('entities as s', 's.id', 'r.source_id')
      .innerJoin('entities as d', 'd.id', 'r.target_id')
      .select(['s.identifier as s', 'd.identifier as d'])
      .where('s.identifier', 'in', ['top', 'mid'])
      .orderBy('s.identifier')
      .execute();
    expect(edges).toEqual([{ s: 'mid', d: 'leaf' }, { s: 'top', d: 'mid' }]);
  });

  it('fails an item whose in-batch target failed, transitively', async () => {
    const res = await bulk('Component', [
      { identifier: 'x1', properties: { type: 'service' }, relations: { components: ['x2'] } },
      { identifier: 'x2', properties: { type: 'library' }, relations: { components: ['x3'] } },
      { identifier: 'x3', properties: { type: 'bogus' } },
    ]);
    expect(res.statusCode).toBe(207);
    expect(res.json().errors.map((e: { index: number }) => e.index)).toEqual([0, 1, 2]);
  });

  it('reports unchanged items as not created and does not bump them; merge=true keeps unsent fields', async () => {
    const before = await catalogFingerprint(t.db);
    const same = await bulk('Component', [{ identifier: 'leaf', properties: { type: 'library' } }]);
    expect(same.json().entities).toEqual([{ identifier: 'leaf', index: 0, created: false }]);
    expect(await catalogFingerprint(t.db)).toBe(before);
    const merged = await bulk('Component', [{ identifier: 'top', title: 'Top service' }], '?merge=true');
    expect(merged.statusCode).toBe(200);
    const row = await t.db.selectFrom('entities').select(['title', 'relations']).where('identifier', '=', 'top').executeTakeFirstOrThrow();
    expect(row).toEqual({ title: 'Top service', relations: { components: ['mid'] } });
  });

  it('compares a re-sent batch with what is stored: only real changes are written, and unchanged items are still checked', async () => {
    const batch = [
      { identifier: 'cmp-a', title: 'A', team: ['cart-team'], properties: { type: 'service', tags: ['x', 'y'], language: 'Go' }, relations: { components: ['cmp-b'] } },
      { identifier: 'cmp-b', title: 'B', properties: { type: 'library', language: 'Rust' } },
      { identifier: 'cmp-c', title: 'C', team: ['ops'], properties: { type: 'library' }, relations: { components: [] } },
    ];
    expect((await bulk('Component', batch)).statusCode).toBe(200);
    const before = await catalogFingerprint(t.db);
    // Key order, a null property (a clear of something absent), a team given as a string and a
    // single-target array are not changes.
    const same = await bulk('Component', [
      { relations: { components: 'cmp-b' }, properties: { language: 'Go', tags: ['x', 'y'], type: 'service' }, team: 'cart-team', title: 'A', identifier: 'cmp-a' },
      { identifier: 'cmp-b', title: 'B', properties: { language: 'Rust', type: 'library', lifecycle: null } },
      batch[2],
    ]);
    expect(same.json()).toEqual({ ok: true, entities: [0, 1, 2].map((index) => ({ identifier: batch[index]!.identifier, index, created: false })), errors: [] });
    expect(await catalogFingerprint(t.db)).toBe(before);

    // One real change in each column the comparison covers, beside an unchanged item.
    const versions = async () => Object.fromEntries((await t.db.selectFrom('entities').select(['identifier', 'version']).where('identifier', 'like', 'cmp-%').execute()).map((r) => [r.identifier, r.version]));
    const v0 = await versions();
    const changes: { identifier: string; [k: string]: unknown }[] = [
      { ...batch[0]!, properties: { ...batch[0]!.properties, tags: ['y', 'x'] } },
      { ...batch[1]!, relations: { components: ['cmp-c'] } },
      { ...batch[2]!, title: null },
    ];
    for (const change of changes) {
      const res = await bulk('Component', [change, ...batch.filter((b) => b.identifier !== change.identifier)]);
      expect(res.statusCode).toBe(200);
      const v = await versions();
      for (const b of batch) expect([b.identifier, v[b.identifier]]).toEqual([b.identifier, (v0[b.identifier] ?? 0) + (b.identifier === change.identifier ? 1 : 0)]);
      const audit = await t.db.selectFrom('audit_log').select(['resource_id']).where('resource_type', '=', 'entity').where('resource_id', 'like', 'cmp-%').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(audit.resource_id).toBe(change.identifier);
      expect((await bulk('Component', batch)).statusCode).toBe(200); // back as it was
      Object.assign(v0, await versions());
    }
    const edges = await t.db.selectFrom('entity_relations as r').innerJoin('entities as s', 's.id', 'r.source_id').select('s.identifier').where('s.identifier', 'like', 'cmp-%').execute();
    expect(edges.map((e) => e.identifier)).toEqual(['cmp-a']);

    // An unchanged item still needs the right to update it: a member of another team is refused.
    const ops = await t.tokenFor('member', { teams: ['ops'] });
    const mine = batch[2]!;
    const res = await t.raw.inject({ method: 'POST', url: '/v1/blueprints/Component/entities/bulk', headers: { authorization: ops.authorization }, payload: { entities: [batch[1], mine] } });
    expect(res.statusCode).toBe(207);
    expect(res.json().entities).toEqual([{ identifier: 'cmp-c', index: 1, created: false }]);
    expect(res.json().errors).toEqual([expect.objectContaining({ index: 0, identifier: 'cmp-b', statusCode: 403 })]);
  });

  it('accepts 1,000 entities and refuses 1,001 with nothing written', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ identifier: `bulk-${i}`, properties: { type: 'library' } }));
    const ok = await bulk('Component', many);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().entities).toHaveLength(1000);
    const before = await catalogFingerprint(t.db);
    const tooMany = await bulk('Component', [...many, { identifier: 'bulk-1000' }]);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().details[0].path).toBe('body.entities');
    expect(await catalogFingerprint(t.db)).toBe(before);
  });

  it('refuses an empty or missing entities array', async () => {
    expect((await bulk('Component', [])).statusCode).toBe(400);
    const res = await t.app.inject({ method: 'POST', url: '/v1/blueprints/Component/entities/bulk', payload: { items: [] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].path).toBe('body.entities');
  });
});
