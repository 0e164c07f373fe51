import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { GitHubStandin } from '@portolan/github-standin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.ts';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';
import { startTestGitHub } from '../../../../test-support/github.ts';

// Catalog as code end to end: Backstage files in repositories of the stand-in GitHub server,
// registered and discovered, refreshed after a file changes and after it is deleted.

const corpus = path.join(REPO_ROOT, 'catalog-examples/backstage');
let gh: GitHubStandin;
let t: TestApp;
const ROOT = 'https://github.com/example-org/catalog/blob/main/all.yaml';

beforeAll(async () => {
  const started = await startTestGitHub();
  gh = started.gh;
  t = await createTestApp({ examples: true, scaffolder: { github: started.config } });
  gh.state.addOrg('example-org');
  gh.state.createRepo('example-org', 'catalog');
  const read = (f: string) => readFile(path.join(corpus, f), 'utf8');
  gh.state.commitFiles('example-org/catalog', {
    files: { 'all.yaml': await read('all.yaml'), 'org.yaml': await read('org.yaml'), 'payments/catalog-info.yaml': await read('payments/catalog-info.yaml'), 'payments/openapi.yaml': await read('payments/openapi.yaml') },
  });
});
afterAll(async () => {
  await t?.close();
  await gh?.close();
});

const entity = async (bp: string, id: string) => t.app.inject({ method: 'GET', url: `/v1/blueprints/${bp}/entities/${id}` });

describe('locations', () => {
  let id: string;

  it('registers a location and imports every file it leads to, with where each entity came from', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/locations', payload: { url: ROOT } });
    expect(res.statusCode).toBe(201);
    expect(res.json().refresh).toMatchObject({ status: 'ok', entities: 8, orphaned: 0 });
    expect(res.json().location).toMatchObject({ url: ROOT, status: 'ok', entityCount: 8 });
    expect(res.json().location.files).toHaveLength(3);
    id = res.json().location.id;
    const svc = (await entity('Component', 'payments-service')).json().entity;
    expect(svc.managedBy).toEqual({ location: id, url: 'https://github.com/example-org/catalog/blob/main/payments/catalog-info.yaml' });
    expect((await entity('API', 'payments-api')).json().entity.properties.definition).toContain('Payments API');
    gh.assertNoValidationErrors();
  });

  it('refuses edits in the portal to entities managed by a file, pointing to the file', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/v1/blueprints/Component/entities/payments-service', payload: { title: 'Edited here' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('payments/catalog-info.yaml');
  });

  it('picks up a changed file on refresh', async () => {
    const text = (await readFile(path.join(corpus, 'payments/catalog-info.yaml'), 'utf8')).replace('title: Payments Service', 'title: Payments Service v2');
    gh.state.commitFiles('example-org/catalog', { files: { 'payments/catalog-info.yaml': text } });
    const res = await t.app.inject({ method: 'POST', url: `/v1/locations/${id}/refresh` });
    expect(res.json().refresh.status).toBe('ok');
    expect((await entity('Component', 'payments-service')).json().entity.title).toBe('Payments Service v2');
  });

  it('keeps the entities as they were when a file breaks, and says where', async () => {
    gh.state.commitFiles('example-org/catalog', { files: { 'org.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Domain\nmetadata:\n  name: commerce\nspec: {}\n' } });
    const res = await t.app.inject({ method: 'POST', url: `/v1/locations/${id}/refresh` });
    expect(res.json().refresh.status).toBe('error');
    expect(res.json().location.lastError).toContain('nothing was changed');
    expect(res.json().refresh.problems).toContainEqual(expect.objectContaining({ file: 'https://github.com/example-org/catalog/blob/main/org.yaml', message: expect.stringContaining('spec.owner is required') }));
    expect((await entity('Domain', 'commerce')).statusCode).toBe(200);
    gh.state.commitFiles('example-org/catalog', { files: { 'org.yaml': await readFile(path.join(corpus, 'org.yaml'), 'utf8') } });
  });

  it('marks the entities of a deleted file orphaned instead of deleting them', async () => {
    gh.state.commitFiles('example-org/catalog', { files: { 'payments/catalog-info.yaml': null, 'payments/openapi.yaml': null } });
    const res = await t.app.inject({ method: 'POST', url: `/v1/locations/${id}/refresh` });
    expect(res.json().refresh).toMatchObject({ orphaned: 7, deleted: 0 });
    const svc = (await entity('Component', 'payments-service')).json().entity;
    expect(svc.orphaned).toBe(true);
    const list = await t.app.inject({ method: 'GET', url: '/v1/locations' });
    expect(list.json().locations[0]).toMatchObject({ entityCount: 1, orphanCount: 7 });

    // The files come back unchanged: their entities are no longer orphans, though nothing else differs.
    const version = Number((await entity('Component', 'payments-service')).headers.etag!.replaceAll('"', ''));
    const read = (f: string) => readFile(path.join(corpus, f), 'utf8');
    gh.state.commitFiles('example-org/catalog', { files: { 'payments/catalog-info.yaml': await read('payments/catalog-info.yaml'), 'payments/openapi.yaml': await read('payments/openapi.yaml') } });
    expect((await t.app.inject({ method: 'POST', url: `/v1/locations/${id}/refresh` })).json().refresh).toMatchObject({ orphaned: 0, deleted: 0 });
    const back = await entity('Component', 'payments-service');
    expect(back.json().entity.orphaned).toBeUndefined();
    expect(back.headers.etag).toBe(`"${version + 1}"`);
    expect((await t.app.inject({ method: 'GET', url: '/v1/locations' })).json().locations[0]).toMatchObject({ entityCount: 8, orphanCount: 0 });
  });

  it('discovers catalog-info.yaml files across an organization', async () => {
    gh.state.createRepo('example-org', 'billing');
    gh.state.commitFiles('example-org/billing', { files: { 'catalog-info.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: billing\nspec:\n  type: service\n  lifecycle: production\n  owner: payments-team\n' } });
    gh.state.createRepo('example-org', 'no-catalog');
    gh.state.commitFiles('example-org/no-catalog', { files: { 'README.md': '# nothing here' } });
    const res = await t.app.inject({ method: 'POST', url: '/v1/locations/discover', payload: { org: 'example-org' } });
    expect(res.statusCode).toBe(200);
    // Discovered URLs point at the GitHub host the portal is configured for (the stand-in here).
    expect(res.json().registered.map((l: { url: string }) => l.url)).toEqual([new URL('/example-org/billing/blob/main/catalog-info.yaml', gh.url).toString()]);
    expect((await entity('Component', 'billing')).json().entity.team).toEqual(['payments-team']);
  });

  it('validates the URL and is for admins', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/v1/locations', payload: { url: 'https://example.com/not-a-repo-file' } })).statusCode).toBe(400);
    const member = await t.tokenFor('member');
    expect((await t.raw.inject({ method: 'POST', url: '/v1/locations', headers: { authorization: member.authorization }, payload: { url: ROOT } })).statusCode).toBe(403);
  });
});

describe('orphan deletion threshold', () => {
  it('deletes orphans only when a refresh orphans at most the configured number', async () => {
    const started = await startTestGitHub();
    const app = await createTestApp({ examples: true, scaffolder: { github: started.config }, locations: { orphanDeleteLimit: 1 } });
    try {
      started.gh.state.addOrg('acme');
      started.gh.state.createRepo('acme', 'svc');
      const doc = (n: string) => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${n}\nspec:\n  type: service\n  lifecycle: production\n  owner: t\n`;
      started.gh.state.commitFiles('acme/svc', { files: { 'catalog-info.yaml': [doc('a1'), doc('a2'), doc('a3')].join('---\n') } });
      const reg = await app.app.inject({ method: 'POST', url: '/v1/locations', payload: { url: 'https://github.com/acme/svc/blob/main/catalog-info.yaml' } });
      const locId = reg.json().location.id;
      started.gh.state.commitFiles('acme/svc', { files: { 'catalog-info.yaml': [doc('a1'), doc('a2')].join('---\n') } });
      const one = await app.app.inject({ method: 'POST', url: `/v1/locations/${locId}/refresh` });
      expect(one.json().refresh.problems).toEqual([]);
      expect(one.json().refresh).toMatchObject({ deleted: 1, orphaned: 0 });
      // Two vanish at once: more than the limit, so they are kept as orphans.
      started.gh.state.commitFiles('acme/svc', { files: { 'catalog-info.yaml': doc('b1') } });
      const getA1 = () => app.app.inject({ method: 'GET', url: '/v1/blueprints/Component/entities/a1' });
      const before = await getA1();
      const two = await app.app.inject({ method: 'POST', url: `/v1/locations/${locId}/refresh` });
      expect(two.json().refresh).toMatchObject({ deleted: 0, orphaned: 2 });
      // Marked orphaned: a changed document, so a new version.
      const after = await getA1();
      expect(after.json().entity.orphaned).toBe(true);
      expect(after.headers.etag).toBe(`"${Number(JSON.parse(before.headers.etag as string)) + 1}"`);
    } finally {
      await app.close();
      await started.gh.close();
    }
  });
});

describe('scheduled refresh', () => {
  it('runs in the durable job queue: a change pushed to the repository reaches the catalog without anyone asking', async () => {
    const started = await startTestGitHub();
    const app = await createTestApp({
      examples: true,
      scaffolder: { github: started.config, queue: { sweepIntervalMs: 100, pollIntervalMs: 100 } },
      locations: { refreshIntervalMs: 300 },
    });
    try {
      started.gh.state.addOrg('acme');
      started.gh.state.createRepo('acme', 'svc');
      const doc = (title: string) => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: sched\n  title: ${title}\nspec:\n  type: service\n  lifecycle: production\n  owner: t\n`;
      started.gh.state.commitFiles('acme/svc', { files: { 'catalog-info.yaml': doc('First') } });
      await app.app.inject({ method: 'POST', url: '/v1/locations', payload: { url: 'https://github.com/acme/svc/blob/main/catalog-info.yaml' } });
      started.gh.state.commitFiles('acme/svc', { files: { 'catalog-info.yaml': doc('Second') } });
      await app.raw.services.taskQueue!.start();
      let title = '';
      for (let i = 0; i < 100 && title !== 'Second'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        title = (await app.app.inject({ method: 'GET', url: '/v1/blueprints/Component/entities/sched' })).json().entity.title;
      }
      expect(title).toBe('Second');
      const loc = (await app.app.inject({ method: 'GET', url: '/v1/locations' })).json().locations[0];
      expect(loc.status).toBe('ok');
    } finally {
      await app.close();
      await started.gh.close();
    }
  }, 30_000);
});
