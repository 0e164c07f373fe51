import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';

// Port's visibility rules on action inputs: `visible: {jqQuery}` over the values entered so far.
// A hidden input is not asked for: it is neither required nor kept.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ examples: true });
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/actions',
    payload: {
      identifier: 'scale',
      title: 'Scale',
      trigger: {
        type: 'self-service',
        operation: 'DAY-2',
        blueprintIdentifier: 'Component',
        userInputs: {
          properties: {
            env: { type: 'string', enum: ['dev', 'prod'] },
            approver: { type: 'string', visible: { jqQuery: '.form.env == "prod"' } },
            note: { type: 'string', visible: { jqQuery: '.entity.properties.type == "library"' } },
          },
          required: ['env', 'approver'],
        },
      },
      invocationMethod: { type: 'WEBHOOK', url: 'http://127.0.0.1:9/hook' },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
});
afterAll(async () => t?.close());

const visible = async (properties: Record<string, unknown>, entity = 'CartService') =>
  (await t.app.inject({ method: 'POST', url: '/v1/actions/scale/visible-inputs', payload: { entity, properties } })).json().visible;

describe('visibility conditions', () => {
  it('evaluates each input\'s jq rule over the form and the entity', async () => {
    expect(await visible({ env: 'dev' })).toEqual(['env']);
    expect(await visible({ env: 'prod' })).toEqual(['env', 'approver']);
    expect(await visible({ env: 'dev' }, 'CoreKafkaLibrary')).toEqual(['env', 'note']);
  });

  it('does not require a hidden input, drops its value, and requires it once shown', async () => {
    const dev = await t.app.inject({ method: 'POST', url: '/v1/actions/scale/runs', payload: { entity: 'CartService', properties: { env: 'dev', note: 'ignored' } } });
    expect(dev.statusCode, dev.body).toBe(201);
    expect(dev.json().run.properties).toEqual({ env: 'dev' });
    const prod = await t.app.inject({ method: 'POST', url: '/v1/actions/scale/runs', payload: { entity: 'CartService', properties: { env: 'prod' } } });
    expect(prod.statusCode).toBe(400);
    expect(prod.json().details).toEqual([{ path: 'properties.approver', message: 'is required' }]);
    const ok = await t.app.inject({ method: 'POST', url: '/v1/actions/scale/runs', payload: { entity: 'CartService', properties: { env: 'prod', approver: 'ops-lead' } } });
    expect(ok.statusCode).toBe(201);
  });
});
