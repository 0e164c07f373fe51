import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser.ts';
import { startPortal, type Portal } from './portal.ts';

// Self-service actions in the browser: the entity page's Actions menu, the input form built from
// userInputs (server field errors beside the fields), and the run page following a synchronized
// webhook run (a loopback receiver that verifies Port's signature) to SUCCESS with its log.

const SIGNING = 'e2e webhook signing secret';
const received: { url: string; body: unknown; verified: boolean }[] = [];
let receiver: Server;
let portal: Portal;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const ts = String(req.headers['x-port-timestamp'] ?? '');
      const expected = `v1,${createHmac('sha256', SIGNING).update(`${ts}.${raw}`).digest('base64')}`;
      const verified = req.headers['x-port-signature'] === expected;
      received.push({ url: req.url ?? '', body: JSON.parse(raw || 'null'), verified });
      // A moment of work, so the page shows the run in progress before it ends.
      setTimeout(() => res.writeHead(verified ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: verified })), 600);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  portal = await startPortal({ scaffolder: { queue: { heartbeatMs: 200, pollIntervalMs: 200 } } });
  const secret = await portal.app.inject({ method: 'PUT', url: '/v1/secrets/WEBHOOK_SIGNING_SECRET', payload: { value: SIGNING } });
  expect(secret.statusCode, secret.body).toBeLessThan(300);
  const action = await portal.app.inject({
    method: 'POST',
    url: '/v1/actions',
    payload: {
      identifier: 'restart_component',
      title: 'Restart',
      description: 'Restarts the service in an environment (a synchronized webhook)',
      trigger: {
        type: 'self-service',
        operation: 'DAY-2',
        blueprintIdentifier: 'Component',
        userInputs: {
          properties: {
            reason: { type: 'string', title: 'Reason', description: 'Shown in the audit log' },
            environment: { type: 'string', title: 'Environment', enum: ['staging', 'production'], default: 'staging' },
            version: { type: 'string', title: 'Version', description: 'Git tag or commit', pattern: '^[\\w.-]+$' },
            system: { type: 'string', title: 'System', format: 'entity', blueprint: 'System' },
          },
          required: ['environment', 'version'],
          order: ['environment', 'version', 'system', 'reason'],
        },
      },
      invocationMethod: {
        type: 'WEBHOOK',
        url: `${receiverUrl}/restart/{{ .entity.identifier }}`,
        method: 'POST',
        synchronized: true,
        body: { service: '{{ .entity.identifier }}', environment: '{{ .inputs.environment }}', version: '{{ .inputs.version }}', system: '{{ .inputs.system }}', runId: '{{ .run.id }}' },
      },
      requiredApproval: false,
    },
  });
  expect(action.statusCode, action.body).toBe(201);
  await portal.app.services.taskQueue!.start();
});
afterAll(async () => {
  await portal?.stop();
  await new Promise((r) => receiver?.close(r));
});

describe('self-service actions', () => {
  it('runs a DAY-2 action from the entity page and follows the run to SUCCESS', async () => {
    const { page, pageErrors } = await portal.signedIn();
    await page.goto('/catalog/Component/CartService');
    await page.getByRole('heading', { level: 1, name: 'Cart Service' }).waitFor();

    // The Actions menu lists the blueprint's DAY-2 actions (and not the Resource ones).
    await page.getByRole('button', { name: 'Actions' }).click();
    const menu = page.getByRole('menu');
    await menu.getByRole('menuitem', { name: /Restart/ }).waitFor();
    expect(await menu.getByRole('menuitem').count()).toBe(2); // Restart and the example Deploy
    expect(await menu.getByRole('menuitem', { name: /Deploy/ }).count()).toBe(1);
    expect(await menu.getByRole('menuitem', { name: /Provision|Delete resource/ }).count()).toBe(0);
    // Mantine fades the dropdown in: shoot it once opaque.
    await expect.poll(() => menu.evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
    await screenshot(page, 'actions-entity-menu');
    await menu.getByRole('menuitem', { name: /Restart/ }).click();

    // The form follows userInputs: order, required marks, the enum's default, the entity picker.
    const form = page.getByRole('form', { name: 'Restart' });
    await form.waitFor();
    const labels = await form.locator('[data-input], [data-relation]').evaluateAll((els) => els.map((e) => e.getAttribute('data-input') ?? e.getAttribute('data-relation')));
    expect(labels).toEqual(['environment', 'version', 'system', 'reason']);
    expect(await form.getByRole('combobox', { name: /^Environment/ }).inputValue()).toBe('staging');

    // Submitting without the required version: marked beside the field, nothing sent.
    await form.getByRole('button', { name: 'Run Restart' }).click();
    await form.getByText('is required').waitFor();
    // A version the server refuses (pattern): its 400 shows beside the field.
    await form.getByRole('textbox', { name: /^Version/ }).fill('not valid!');
    await form.getByRole('combobox', { name: /^System/ }).click();
    await page.getByRole('option', { name: /Cart/ }).first().click();
    await form.getByRole('button', { name: 'Run Restart' }).click();
    await form.getByRole('alert').filter({ hasText: 'The server refused the inputs' }).waitFor();
    const versionError = form.getByText(/must match pattern/);
    await versionError.waitFor();
    expect(received).toHaveLength(0);
    await screenshot(page, 'actions-form');

    // Fixed: the run starts and its page follows it to the end.
    await form.getByRole('textbox', { name: /^Version/ }).fill('v1.4.2');
    await versionError.waitFor({ state: 'detached' }).catch(() => {});
    await form.getByRole('button', { name: 'Run Restart' }).click();
    await page.waitForURL(/\/runs\/r_/);
    await page.getByRole('heading', { level: 1, name: 'Restart' }).waitFor();
    const badge = page.locator('[data-status]').first();
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 20_000 }).toBe('SUCCESS');
    const log = page.getByRole('list', { name: 'Run log' });
    await expect.poll(async () => (await log.textContent()) ?? '', { timeout: 10_000 }).toContain('The webhook answered HTTP 200');
    const text = (await log.textContent()) ?? '';
    expect(text).toContain('Run created by');
    expect(text).toMatch(/Calling POST http:\/\/127\.0\.0\.1:\d+\/restart\/CartService/);
    // The inputs, titled and in the form's order.
    const details = page.getByRole('table', { name: 'Run details' });
    await expect.poll(() => details.locator('[data-input]').evaluateAll((els) => els.map((e) => e.textContent))).toEqual(['Environmentstaging', 'Versionv1.4.2', 'SystemCart']);
    await page.getByRole('link', { name: 'Component / CartService' }).waitFor();
    await screenshot(page, 'actions-run-page');

    // The receiver got one signed request with the rendered body.
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ url: '/restart/CartService', verified: true, body: { service: 'CartService', environment: 'staging', version: 'v1.4.2', system: 'Cart' } });

    // Runs: "My runs" lists it, linking back to the run page; the status filter narrows.
    const runId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
    await page.waitForURL('**/runs');
    const row = page.getByRole('table', { name: 'Runs' }).locator(`[data-run="${runId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Success');
    await page.goto('/runs?scope=all&status=FAILURE');
    await page.getByText('No failure runs.').waitFor();
    expect(await row.count()).toBe(0);
    await page.goto('/runs?scope=all&status=SUCCESS');
    await row.getByRole('link', { name: 'Restart' }).click();
    await page.waitForURL(`**/runs/${runId}`);
    expect(pageErrors).toEqual([]);
  });
});
