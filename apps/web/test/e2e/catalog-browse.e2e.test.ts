import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, screenshot } from './browser.ts';
import { startPortal, USER, type Portal } from './portal.ts';

let portal: Portal;
beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.stop();
});

describe('a developer browses the catalog', () => {
  it('signs in, filters the Component table, opens an entity and follows a relation in the graph', async () => {
    const { page, pageErrors } = await openSession(portal.browser, portal.baseURL);

    // Any page asks to sign in first and comes back afterwards.
    await page.goto('/catalog/Component');
    await page.waitForURL('**/sign-in?next=*');
    await screenshot(page, 'sign-in');
    await page.getByLabel('Email').fill(USER.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/catalog/Component');

    const table = page.getByRole('table', { name: 'Component entities' });
    const rows = table.locator('[role=row][data-index]');
    await expect.poll(() => rows.count()).toBe(4);
    await expect.poll(() => page.getByTestId('catalog-count').textContent()).toBe('4 entities');
    await screenshot(page, 'catalog');

    // Facet filter: the table, the count and the URL follow.
    await page.getByLabel('Type: library').click();
    await page.waitForURL(/f\.type=library/);
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(() => page.getByTestId('catalog-count').textContent()).toBe('2 entities match');
    expect(await rows.allTextContents()).toEqual([expect.stringContaining('Core Kafka Library'), expect.stringContaining('Core Payment Library')]);

    // Sort by title, descending: the URL keeps it, a reload restores the same view. The second
    // click lands near the header cell's right edge, past its label: the whole cell sorts.
    await page.getByRole('button', { name: 'Sort by Title' }).click();
    await page.waitForURL(/sort=/);
    const titleHeader = page.getByRole('columnheader', { name: 'Sort by Title' });
    await expect.poll(() => titleHeader.getAttribute('aria-sort')).toBe('ascending');
    await titleHeader.click({ position: { x: (await titleHeader.evaluate((el) => el.clientWidth)) - 6, y: 20 } });
    await page.waitForURL(/order=desc/);
    await expect.poll(async () => (await rows.first().textContent()) ?? '').toContain('Core Payment Library');
    await page.reload();
    await expect.poll(async () => (await rows.first().textContent()) ?? '').toContain('Core Payment Library');
    expect(await page.getByLabel('Type: library').isChecked()).toBe(true);

    // Free text narrows further.
    await page.getByLabel('Search this catalog').fill('kafka');
    await page.waitForURL(/q=kafka/);
    await expect.poll(() => rows.count()).toBe(1);

    // Switch to services and open Cart Service.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Type: service').click();
    await expect.poll(() => rows.count()).toBe(2);
    await table.getByRole('link', { name: 'Cart Service' }).click();
    await page.waitForURL('**/catalog/Component/CartService');
    await page.getByRole('heading', { level: 1, name: 'Cart Service' }).waitFor();
    // Markdown is rendered (a heading inside the README), enums as chips, urls as links.
    await page.getByTestId('markdown').locator('h1', { hasText: 'Cart Service' }).waitFor();
    expect(await page.getByRole('link', { name: 'https://github.com/example-org/cart-service' }).getAttribute('href')).toBe('https://github.com/example-org/cart-service');
    await page.getByRole('table', { name: 'Relations' }).getByRole('link', { name: 'Cart', exact: true }).waitFor();
    await screenshot(page, 'entity');

    // The graph: Cart Service's neighbourhood; clicking the System node opens it.
    await page.getByRole('tab', { name: 'Relation graph' }).click();
    const systemNode = page.locator('[data-node-id="System/Cart"]');
    await systemNode.waitFor({ timeout: 30_000 });
    const domainNode = page.locator('[data-node-id="Domain/Orders"]');
    await domainNode.waitFor();
    await screenshot(page, 'graph');
    // Every edge has its label; a card can be dragged aside (and its edges follow it).
    expect((await page.locator('.pt-edge-label').allTextContents()).sort()).toEqual(expect.arrayContaining(['domain', 'system']));
    const before = (await domainNode.boundingBox())!;
    await page.mouse.move(before.x + before.width / 2, before.y + before.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(before.x + before.width / 2, before.y + before.height / 2 + i * 10);
    await page.mouse.up();
    await expect.poll(async () => (await domainNode.boundingBox())!.y - before.y).toBeGreaterThan(60);
    expect(page.url()).toContain('/catalog/Component/CartService');
    await systemNode.click();
    await page.waitForURL('**/catalog/System/Cart?tab=graph');
    await page.getByRole('heading', { level: 1, name: 'Cart' }).waitFor();

    // The System lists its Components: the incoming relation.
    await page.getByRole('tab', { name: 'Overview' }).click();
    const incoming = page.getByRole('table', { name: 'Related from' });
    await incoming.getByRole('link', { name: 'Cart Service' }).waitFor();
    await incoming.getByRole('link', { name: 'Core Kafka Library' }).waitFor();
    await screenshot(page, 'system');

    expect(pageErrors).toEqual([]);
  });

  it('finds entities from home and the jump palette, and reads an API spec on its tab', async () => {
    const { page, pageErrors } = await portal.signedIn();
    await page.goto('/');
    await expect.poll(() => page.getByTestId('count-Component').textContent()).toBe('4');
    await page.getByRole('table', { name: 'Recently changed entities' }).getByRole('link').first().waitFor();
    await page.getByLabel('Find an entity').fill('payment');
    await page.getByRole('region', { name: 'Search results' }).getByText('Core Payment Library').waitFor();
    await screenshot(page, 'home');

    await page.locator('body').click();
    await page.keyboard.press('Control+k');
    await page.getByLabel('Search entities').fill('kafka');
    await page.getByRole('option', { name: /Core Kafka Library/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.waitForURL('**/catalog/Component/CoreKafkaLibrary');

    await page.goto('/catalog/API/CartAPI');
    await page.getByRole('tab', { name: 'API documentation' }).click();
    const docs = page.getByTestId('api-docs');
    await docs.getByText('/carts/{id}').waitFor();
    expect(await docs.getByRole('heading', { name: 'Cart API' }).count()).toBe(1);
    await screenshot(page, 'api-docs');

    // Unknown pages and entities say so and offer a way back.
    await page.goto('/catalog/Component/NoSuchThing');
    await page.getByRole('alert').getByText(/No Component/).waitFor();
    await page.goto('/nowhere');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();

    expect(pageErrors).toEqual([]);
  });
});
