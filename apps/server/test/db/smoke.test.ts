import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ examples: true });
});
afterAll(async () => t?.close());

describe('example catalog over HTTP', () => {
  it('serves the example entities with mirror properties resolved', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/blueprints/Component/entities/CartService' });
    expect(res.statusCode).toBe(200);
    expect(res.json().entity.properties.domain).toBe('Orders');
  });
});
