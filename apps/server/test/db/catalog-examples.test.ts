import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.ts';
import { readJsonFile } from '../../src/seed/load-examples.ts';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';
import { catalogFingerprint } from '../../../../test-support/db-snapshot.ts';

// catalog-examples/ is executable documentation: every valid file loads, every file in invalid/
// is refused with the message expected.json gives for it.

const examples = path.join(REPO_ROOT, 'catalog-examples');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ examples: true });
});
afterAll(async () => t?.close());

describe('valid examples', () => {
  it('load every blueprint and entity file', async () => {
    for (const file of await readdir(path.join(examples, 'blueprints'))) {
      const def = JSON.parse(await readFile(path.join(examples, 'blueprints', file), 'utf8'));
      const res = await t.app.inject({ method: 'GET', url: `/v1/blueprints/${def.identifier}` });
      expect(res.statusCode, file).toBe(200);
      expect(Object.keys(res.json().blueprint.relations)).toEqual(Object.keys(def.relations));
    }
    for (const file of await readdir(path.join(examples, 'entities'))) {
      const { blueprint, entities } = JSON.parse(await readFile(path.join(examples, 'entities', file), 'utf8'));
      for (const e of entities) {
        const res = await t.app.inject({ method: 'GET', url: `/v1/blueprints/${blueprint}/entities/${e.identifier}` });
        expect(res.statusCode, `${file}: ${e.identifier}`).toBe(200);
        expect(res.json().entity.relations).toMatchObject(e.relations ?? {});
      }
    }
  });

  it('fix the seed typos (postgres, cart-sql-db)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/blueprints/Resource/entities/cart-sql-db' });
    expect(res.json().entity.properties.type).toBe('postgres');
  });
});

describe('invalid examples', async () => {
  const dir = path.join(examples, 'invalid');
  const expected = JSON.parse(await readFile(path.join(dir, 'expected.json'), 'utf8')) as Record<string, string>;
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json') && f !== 'expected.json');

  it('every invalid file has an expected message', () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(files)('%s is refused with its expected message and writes nothing', async (file) => {
    const before = await catalogFingerprint(t.db);
    let message: string;
    try {
      const doc = (await readJsonFile(path.join(dir, file))) as { kind: string; blueprint: unknown; entities?: unknown[] };
      if (doc.kind === 'blueprint') {
        const res = await t.app.inject({ method: 'POST', url: '/v1/blueprints', payload: doc.blueprint as object });
        expect(res.statusCode).toBe(400);
        message = JSON.stringify(res.json());
      } else {
        const res = await t.app.inject({ method: 'POST', url: `/v1/blueprints/${doc.blueprint}/entities/bulk`, payload: { entities: doc.entities } });
        expect(res.statusCode).toBe(207);
        expect(res.json().entities).toEqual([]);
        message = res.json().errors.map((e: { message: string }) => e.message).join('\n');
      }
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(expected[file]);
    expect(await catalogFingerprint(t.db)).toBe(before);
  });
});
