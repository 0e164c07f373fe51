import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser.ts';
import { startPortal, type Portal } from './portal.ts';

let portal: Portal;
beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.stop();
});

describe('creating and editing entities', () => {
  it('creates an entity: the server refuses a field, the error shows beside it, fixing it saves', async () => {
    const { page, pageErrors } = await portal.signedIn();
    await page.goto('/catalog/Component');
    await page.getByRole('link', { name: 'Create Component' }).click();
    await page.waitForURL('**/catalog/Component/~new');

    await page.getByLabel(/^Identifier/).fill('checkout-service');
    await page.getByLabel(/^Title/).fill('Checkout Service');
    await page.getByLabel(/^Repository/).fill('not a url');
    await page.getByRole('button', { name: 'Create Component' }).click();

    const alert = page.getByRole('alert').filter({ hasText: 'The server refused' });
    await alert.waitFor();
    const repoError = page.locator('.mantine-InputWrapper-root', { has: page.getByLabel(/^Repository/) }).getByText('must be a valid url');
    await repoError.first().waitFor();
    // The explanation is brought into view (the Save button is at the bottom of a long form).
    await expect.poll(() => alert.evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(300);
    await screenshot(page, 'create-validation-error');
    expect((await portal.app.inject({ url: '/v1/blueprints/Component/entities/checkout-service' })).statusCode).toBe(404);

    await page.getByLabel(/^Repository/).fill('https://github.com/example-org/checkout');
    await page.getByRole('button', { name: 'Create Component' }).click();
    await page.waitForURL('**/catalog/Component/checkout-service');
    await page.getByRole('heading', { level: 1, name: 'Checkout Service' }).waitFor();

    const saved = await portal.app.inject({ url: '/v1/blueprints/Component/entities/checkout-service' });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().entity).toMatchObject({ title: 'Checkout Service', properties: { repository: 'https://github.com/example-org/checkout' } });
    expect(pageErrors).toEqual([]);
  });

  it('editing after someone else changed the entity explains the conflict and reloads their version', async () => {
    const { page, pageErrors } = await portal.signedIn();
    await page.goto('/catalog/Component/CartService/edit');
    const language = page.getByLabel(/^Language/);
    await language.fill('Rust');

    // Meanwhile, a script changes the same entity.
    const concurrent = await portal.app.inject({ method: 'PATCH', url: '/v1/blueprints/Component/entities/CartService', payload: { title: 'Cart Service (renamed by CI)' } });
    expect(concurrent.statusCode).toBe(200);

    await page.getByRole('button', { name: 'Save changes' }).click();
    const conflict = page.getByTestId('conflict-alert');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Someone else changed this entity');
    await expect.poll(() => conflict.evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(300);
    await screenshot(page, 'edit-conflict');
    // Nothing of theirs was overwritten.
    expect((await portal.app.inject({ url: '/v1/blueprints/Component/entities/CartService' })).json().entity).toMatchObject({ title: 'Cart Service (renamed by CI)', properties: { language: 'TypeScript' } });

    await conflict.getByRole('button', { name: 'Reload latest version' }).click();
    await expect.poll(() => page.getByLabel(/^Title/).inputValue()).toBe('Cart Service (renamed by CI)');
    expect(await page.getByTestId('conflict-alert').count()).toBe(0);
    await page.getByLabel(/^Language/).fill('Rust');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL('**/catalog/Component/CartService');
    await page.getByRole('heading', { level: 1, name: 'Cart Service (renamed by CI)' }).waitFor();

    const after = (await portal.app.inject({ url: '/v1/blueprints/Component/entities/CartService' })).json().entity;
    expect(after).toMatchObject({ title: 'Cart Service (renamed by CI)', properties: { language: 'Rust' } });
    expect(pageErrors).toEqual([]);
  });
});
