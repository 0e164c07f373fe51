import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser.ts';
import { startPortal, type Portal } from './portal.ts';

// The platform team defines a self-service action in the UI (form plus JSON); developers then
// find it on the entities it applies to.

let portal: Portal;
beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.stop();
});

describe('action editor', () => {
  it('creates a DAY-2 action for Component from the form and the JSON, and it appears on a Component page', async () => {
    const { page, pageErrors } = await portal.signedIn();
    await page.goto('/actions');
    await page.getByRole('heading', { name: 'Self-service actions' }).waitFor();
    await page.getByRole('button', { name: 'New action' }).click();
    const form = page.getByRole('form', { name: 'New action' });
    await form.getByLabel('Identifier').fill('rotate-logs');
    await form.getByLabel('Title').fill('Rotate logs');
    await form.getByLabel('Blueprint', { exact: true }).click();
    await page.getByRole('option', { name: 'Component' }).click();
    await form.getByLabel('Webhook URL').fill('https://hooks.example.com/rotate');
    // A user input, written in the JSON view.
    const json = form.getByLabel('Action JSON');
    const doc = JSON.parse(await json.inputValue());
    doc.trigger.userInputs = { properties: { days: { type: 'number', title: 'Keep days', default: 7 } }, required: ['days'] };
    await json.fill(JSON.stringify(doc, null, 2));
    await screenshot(page, 'action-editor');
    await form.getByRole('button', { name: 'Create action' }).click();
    await page.locator('[data-action="rotate-logs"]').waitFor();

    const stored = await portal.app.inject({ method: 'GET', url: '/v1/actions/rotate-logs' });
    expect(stored.json().action).toMatchObject({ title: 'Rotate logs', trigger: { operation: 'DAY-2', blueprintIdentifier: 'Component', userInputs: { required: ['days'] } }, invocationMethod: { type: 'WEBHOOK', url: 'https://hooks.example.com/rotate' } });

    await page.goto('/catalog/Component/CartService');
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menu').getByRole('menuitem', { name: /Rotate logs/ }).waitFor();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
