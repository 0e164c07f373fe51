import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.ts';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';
import { catalogFingerprint } from '../../../../test-support/db-snapshot.ts';

const corpus = path.join(REPO_ROOT, 'catalog-examples/backstage');
const file = async (rel: string) => ({ path: `/repo/${rel}`, content: await readFile(path.join(corpus, rel), 'utf8') });

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ examples: true });
});
afterAll(async () => t?.close());

describe('POST /v1/catalog/import', () => {
  it('dry-runs, then applies Backstage files: entities, relations, teams and users', async () => {
    const files = [await file('all.yaml'), await file('org.yaml'), await file('payments/catalog-info.yaml'), await file('payments/openapi.yaml')];
    const before = await catalogFingerprint(t.db);
    const dry = await t.app.inject({ method: 'POST', url: '/v1/catalog/import', payload: { files, dryRun: true } });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().problems).toEqual([]);
    expect(dry.json()).toMatchObject({ ok: true, applied: false, entities: 8, teams: 1, users: 1 });
    expect(await catalogFingerprint(t.db)).toBe(before);

    const res = await t.app.inject({ method: 'POST', url: '/v1/catalog/import', payload: { files } });
    expect(res.json()).toMatchObject({ ok: true, applied: true, entities: 8 });
    const svc = (await t.app.inject({ method: 'GET', url: '/v1/blueprints/Component/entities/payments-service' })).json().entity;
    expect(svc).toMatchObject({ team: ['payments-team'], relations: { system: 'payments', providesApi: 'payments-api', components: ['ledger-lib'], resources: ['payments-db'] } });
    expect(svc.properties.annotations['github.com/project-slug']).toBe('example-org/payments-service');
    const api = (await t.app.inject({ method: 'GET', url: '/v1/blueprints/API/entities/payments-api' })).json().entity;
    expect(api.properties.definition).toContain('openapi: 3.0.3');
    const team = await t.app.inject({ method: 'GET', url: '/v1/teams/payments-team' });
    expect(team.json().team.members.map((m: { email: string }) => m.email)).toEqual(['ada@example.com']);

    // Applying the same files again changes nothing.
    const again = await catalogFingerprint(t.db);
    await t.app.inject({ method: 'POST', url: '/v1/catalog/import', payload: { files } });
    expect(await catalogFingerprint(t.db)).toBe(again);
  });

  it('writes nothing when any file has an error, and names the file and line', async () => {
    const before = await catalogFingerprint(t.db);
    const bad = { path: '/repo/bad.yaml', content: 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: half\nspec:\n  type: service\n  lifecycle: retired\n  owner: x\n' };
    const good = { path: '/repo/good.yaml', content: 'apiVersion: backstage.io/v1alpha1\nkind: Domain\nmetadata:\n  name: fine\nspec:\n  owner: x\n' };
    const res = await t.app.inject({ method: 'POST', url: '/v1/catalog/import', payload: { files: [good, bad] } });
    expect(res.json().ok).toBe(false);
    expect(res.json().applied).toBe(false);
    expect(res.json().problems).toContainEqual(expect.objectContaining({ file: '/repo/bad.yaml', line: 7, severity: 'error' }));
    expect(await catalogFingerprint(t.db)).toBe(before);
  });

  it('is for admins only', async () => {
    const member = await t.tokenFor('member');
    const res = await t.raw.inject({ method: 'POST', url: '/v1/catalog/import', headers: { authorization: member.authorization }, payload: { files: [{ path: 'a.yaml', content: 'x: 1' }] } });
    expect(res.statusCode).toBe(403);
  });
});

describe('GET /v1/catalog/export', () => {
  it('exports files that rebuild the catalog in an empty portal', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/catalog/export?format=yaml' });
    expect(res.statusCode).toBe(200);
    const files = res.json().files as { path: string; content: string }[];
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['blueprints/Component.yaml', 'entities/Component.yaml']));

    const empty = await createTestApp();
    try {
      const applied = await empty.app.inject({ method: 'POST', url: '/v1/catalog/import', payload: { files } });
      expect(applied.json().problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
      for (const bp of ['Component', 'API', 'System']) {
        const a = (await t.app.inject({ method: 'POST', url: `/v1/blueprints/${bp}/entities/search`, payload: { limit: 1000 } })).json().entities;
        const b = (await empty.app.inject({ method: 'POST', url: `/v1/blueprints/${bp}/entities/search`, payload: { limit: 1000 } })).json().entities;
        const strip = (es: { identifier: string; properties: unknown; relations: unknown; team: unknown }[]) =>
          es.map((e) => ({ identifier: e.identifier, properties: e.properties, relations: e.relations, team: e.team })).sort((x, y) => x.identifier.localeCompare(y.identifier));
        expect(strip(b)).toEqual(strip(a));
      }
    } finally {
      await empty.close();
    }
  });
});
