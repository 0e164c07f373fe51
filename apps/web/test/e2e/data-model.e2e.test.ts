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

describe('the platform team changes the data model', () => {
  it('a destructive change asks first and says how many entities it touches', async () => {
    const { page, pageErrors } = await portal.signedIn();
    await page.goto('/data-model');
    await page.getByRole('figure', { name: 'Data model diagram' }).locator('[data-node-id="Component"]').waitFor({ timeout: 30_000 });
    await screenshot(page, 'data-model');

    await page.goto('/data-model/Component');
    await page.getByRole('button', { name: 'Remove property language' }).click();
    await page.getByRole('button', { name: 'Save blueprint' }).click();
    const dialog = page.getByRole('dialog', { name: 'These changes affect existing entities' });
    await dialog.waitFor();
    await expect.poll(() => dialog.getByTestId('impact-count').textContent()).toContain('Component has 4 entities');
    expect(await dialog.textContent()).toContain('Remove property “language”');
    await screenshot(page, 'blueprint-confirm');
    await dialog.getByRole('button', { name: 'Keep editing' }).click();
    const bp = (await portal.app.inject({ url: '/v1/blueprints/Component' })).json().blueprint;
    expect(Object.keys(bp.schema.properties)).toContain('language');
    expect(pageErrors).toEqual([]);
  });

  it('adds a property to Component, then sees it in the table and the form', async () => {
    const { page, pageErrors } = await portal.signedIn();
    await page.goto('/data-model/Component');
    await page.getByRole('button', { name: 'Add property' }).click();
    await page.getByLabel('Identifier of property new property').fill('tier');
    const row = page.getByTestId('property-row-tier');
    await row.getByLabel('Title').fill('Tier');
    const values = row.getByLabel('Allowed values (enum)');
    await values.fill('gold');
    await values.press('Enter');
    await values.fill('silver');
    await values.press('Enter');
    await expect.poll(() => page.getByTestId('blueprint-json').textContent()).toContain('"tier"');
    await screenshot(page, 'blueprint-editor');
    await page.getByRole('button', { name: 'Save blueprint' }).click();
    await page.getByTestId('blueprint-saved').waitFor();

    const bp = (await portal.app.inject({ url: '/v1/blueprints/Component' })).json().blueprint;
    expect(bp.schema.properties.tier).toEqual({ type: 'string', title: 'Tier', enum: ['gold', 'silver'] });

    // The form offers it, as a select of its values.
    await page.goto('/catalog/Component/~new');
    await page.getByLabel(/^Identifier/).fill('ledger-service');
    await page.getByLabel('Tier', { exact: true }).first().click();
    await page.getByRole('option', { name: 'gold' }).click();
    await page.getByRole('button', { name: 'Create Component' }).click();
    await page.waitForURL('**/catalog/Component/ledger-service');
    expect((await portal.app.inject({ url: '/v1/blueprints/Component/entities/ledger-service' })).json().entity.properties).toMatchObject({ tier: 'gold' });

    // The table shows it as a column and as a facet.
    await page.goto('/catalog/Component');
    const table = page.getByRole('table', { name: 'Component entities' });
    await table.getByRole('columnheader', { name: /Tier/ }).waitFor();
    await table.locator('[role=row]', { hasText: 'ledger-service' }).getByText('gold').waitFor();
    await page.getByLabel('Tier: gold').click();
    await expect.poll(() => table.locator('[role=row][data-index]').count()).toBe(1);
    await screenshot(page, 'catalog-with-new-property');
    expect(pageErrors).toEqual([]);
  });
});
