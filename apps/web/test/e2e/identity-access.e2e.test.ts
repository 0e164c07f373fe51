import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, screenshot } from './browser.ts';
import { startPortal, USER, type Portal } from './portal.ts';

const MEMBER = { email: 'mo@example.org', name: 'Mo Member', password: 'mo has a long password' };

let portal: Portal;
beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.stop();
});

async function signInWithForm(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto('/');
  await page.waitForURL('**/sign-in?next=*');
  await page.getByLabel('Email').fill(who.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Software catalog' }).waitFor();
}

/** A Mantine Select/MultiSelect: open it, pick the option. */
async function pick(page: Page, label: RegExp, option: string | RegExp): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).click();
}

describe('identity and access in the browser', () => {
  it('an admin adds a member, the member may change only their team’s entities until promoted, then signs out', async () => {
    const admin = await openSession(portal.browser, portal.baseURL);
    await signInWithForm(admin.page, USER);

    // Admin: create the member in cart-team from the Users page.
    await admin.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await admin.page.waitForURL('**/admin/users');
    await admin.page.getByRole('button', { name: 'New user' }).click();
    const form = admin.page.getByRole('form', { name: 'New user' });
    await form.getByLabel('Email').fill(MEMBER.email);
    await form.getByLabel('Name').fill(MEMBER.name);
    await form.getByRole('combobox', { name: /^Teams/ }).fill('cart-team');
    await form.getByRole('combobox', { name: /^Teams/ }).press('Enter');
    await form.getByLabel(/^Password/).fill(MEMBER.password);
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.waitFor({ state: 'detached' });
    const memberRow = admin.page.getByRole('table', { name: 'Users' }).locator(`[data-user="${MEMBER.email}"]`);
    await memberRow.waitFor();
    expect(await memberRow.textContent()).toContain('cart-team');
    expect(await memberRow.textContent()).toContain('member');
    await screenshot(admin.page, 'admin-users');

    // The member signs in in their own browser context.
    const member = await openSession(portal.browser, portal.baseURL);
    await signInWithForm(member.page, MEMBER);
    // Members see no administration.
    expect(await member.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).count()).toBe(0);

    // "My team's entities": only cart-team's Component, kept in the URL.
    await member.page.goto('/catalog/Component');
    const rows = member.page.getByRole('table', { name: 'Component entities' }).locator('[role=row][data-index]');
    await expect.poll(() => rows.count()).toBe(4);
    // click, not check(): the switch follows the URL, which the router updates a moment later.
    await member.page.getByLabel("My team's entities").click();
    await member.page.waitForURL(/mine=1/);
    await expect.poll(() => member.page.getByLabel("My team's entities").isChecked()).toBe(true);
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Cart Service');

    // Their team's entity: Edit is offered and saving works.
    await member.page.goto('/catalog/Component/CartService');
    await member.page.getByRole('heading', { level: 1, name: 'Cart Service' }).waitFor();
    await member.page.getByRole('link', { name: 'Edit' }).click();
    await member.page.getByLabel(/^Language/).fill('Kotlin');
    await member.page.getByRole('button', { name: 'Save changes' }).click();
    await member.page.waitForURL('**/catalog/Component/CartService');
    await member.page.getByRole('tab', { name: 'History' }).click();
    const latest = member.page.getByRole('list', { name: 'History' }).getByRole('listitem').first();
    await latest.waitFor();
    expect(await latest.textContent()).toContain(MEMBER.email);
    const languageChange = latest.locator('[data-field="properties.language"]');
    expect(await languageChange.textContent()).toContain('Kotlin');
    await screenshot(member.page, 'entity-history');

    // Another team's entity: no Edit or Delete, and the edit form by URL shows the server's refusal.
    await member.page.goto('/catalog/Component/ProductsService');
    await member.page.getByRole('heading', { level: 1, name: 'Products Service' }).waitFor();
    await member.page.getByRole('tab', { name: 'Overview' }).waitFor();
    expect(await member.page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    expect(await member.page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await member.page.goto('/catalog/Component/ProductsService/edit');
    await member.page.getByTestId('permission-notice').waitFor();
    await member.page.getByLabel(/^Language/).fill('Scala');
    await member.page.getByRole('button', { name: 'Save changes' }).click();
    const refused = member.page.getByRole('alert').filter({ hasText: 'Not allowed' });
    await refused.waitFor();
    expect(await refused.textContent()).toContain('You may not change "Component" entities (only entities owned by your teams: cart-team)');
    await screenshot(member.page, 'member-refused');
    const untouched = await portal.app.inject({ url: '/v1/blueprints/Component/entities/ProductsService' });
    expect(untouched.json().entity.properties.language).not.toBe('Scala');

    // Admin: make the member a moderator of Component.
    await admin.page.reload();
    await admin.page.getByRole('button', { name: `Edit ${MEMBER.email}` }).click();
    const edit = admin.page.getByRole('form', { name: `Edit ${MEMBER.email}` });
    await pick(admin.page, /^Role/, /^Moderator/);
    await pick(admin.page, /^Moderated blueprints/, 'Component');
    await admin.page.keyboard.press('Escape');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await memberRow.textContent()) ?? '').toContain('moderator');
    expect(await memberRow.textContent()).toContain('Component');

    // The member's next page load follows: they may now edit ProductsService.
    await member.page.goto('/catalog/Component/ProductsService');
    await member.page.reload();
    await member.page.getByRole('link', { name: 'Edit' }).click();
    await member.page.getByTestId('permission-notice').waitFor({ state: 'detached' });
    await member.page.getByLabel(/^Language/).fill('Scala');
    await member.page.getByRole('button', { name: 'Save changes' }).click();
    await member.page.waitForURL('**/catalog/Component/ProductsService');
    const saved = await portal.app.inject({ url: '/v1/blueprints/Component/entities/ProductsService' });
    expect(saved.json().entity.properties.language).toBe('Scala');

    // Sign out from the user menu: back at sign-in, and the app asks again.
    await member.page.getByRole('button', { name: `Account: ${MEMBER.name}` }).click();
    await member.page.getByRole('menuitem', { name: 'Sign out' }).click();
    await member.page.waitForURL('**/sign-in');
    await member.page.getByRole('heading', { name: 'Sign in to Portolan' }).waitFor();
    await member.page.goto('/catalog/Component');
    await member.page.waitForURL('**/sign-in?next=*');

    expect(member.pageErrors).toEqual([]);
    expect(admin.pageErrors).toEqual([]);
  });

  it('admin pages: teams, an API client secret shown once, secrets and the audit log', async () => {
    const { page, pageErrors } = await portal.signedIn();

    await page.goto('/admin/teams');
    await page.getByRole('button', { name: 'New team' }).click();
    const teamForm = page.getByRole('form', { name: 'New team' });
    await teamForm.getByLabel(/^Identifier/).fill('payments-team');
    await teamForm.getByLabel('Title').fill('Payments');
    await pick(page, /^Members/, /Dana Developer/);
    await page.keyboard.press('Escape');
    await teamForm.getByRole('button', { name: 'Create team' }).click();
    await teamForm.waitFor({ state: 'detached' });
    const teamRow = page.locator('[data-team="payments-team"]');
    await teamRow.waitFor();
    expect(await teamRow.textContent()).toContain('Dana Developer');
    await screenshot(page, 'admin-teams');

    await page.goto('/admin/api-clients');
    await page.getByRole('button', { name: 'New API client' }).click();
    await page.getByRole('form', { name: 'New API client' }).getByLabel(/^Name/).fill('ci-deploy-bot');
    await page.getByRole('button', { name: 'Create client' }).click();
    await page.getByRole('alert').filter({ hasText: 'you will not see it again' }).waitFor();
    const secret = (await page.getByTestId('copy-client-secret').textContent()) ?? '';
    const clientId = (await page.getByTestId('copy-client-id').textContent()) ?? '';
    await screenshot(page, 'admin-api-client-secret');
    // The secret shown is the one that works.
    const token = await portal.raw.inject({ method: 'POST', url: '/v1/auth/access_token', payload: { clientId, clientSecret: secret } });
    expect(token.statusCode, token.body).toBe(200);
    await page.getByRole('button', { name: 'I have copied the secret' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.locator('[data-client="ci-deploy-bot"]').waitFor();
    await screenshot(page, 'admin-api-clients');

    await page.goto('/admin/secrets');
    await page.getByRole('button', { name: 'New secret' }).click();
    const secretForm = page.getByRole('form', { name: 'New secret' });
    await secretForm.getByLabel(/^Name/).fill('GITHUB_TOKEN');
    await secretForm.getByLabel(/^Description/).fill('Opens pull requests for templates');
    await secretForm.getByLabel(/^Value/).fill('ghp_not-a-real-token');
    await secretForm.getByRole('button', { name: 'Save secret' }).click();
    await secretForm.waitFor({ state: 'detached' });
    const secretRow = page.locator('[data-secret="GITHUB_TOKEN"]');
    await secretRow.waitFor();
    expect(await page.content()).not.toContain('ghp_not-a-real-token');
    await screenshot(page, 'admin-secrets');

    // Audit log: filter to team changes, expand the entry, see its after document.
    await page.goto('/admin/audit-log');
    const log = page.getByRole('table', { name: 'Audit log' });
    await log.locator('[data-audit-id]').first().waitFor();
    // This server has no retention period: the page says entries are kept.
    expect(await page.getByTestId('audit-retention').textContent()).toContain('kept forever');
    await screenshot(page, 'admin-audit-log');
    await page.getByRole('combobox', { name: 'Resource type' }).fill('team');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/type=team/);
    await expect.poll(async () => (await log.locator('[data-audit-id]').allTextContents()).every((t) => t.includes('team'))).toBe(true);
    const teamEntry = log.locator('[data-audit-id]').filter({ hasText: 'payments-team' }).first();
    await teamEntry.getByRole('button', { name: 'Show changes' }).click();
    const changes = log.getByRole('table', { name: 'Changed fields' });
    await changes.locator('[data-field="title"]').waitFor();
    expect(await changes.locator('[data-field="title"]').textContent()).toContain('Payments');
    await screenshot(page, 'admin-audit-log-expanded');

    expect(pageErrors).toEqual([]);
  });

  it('a one-time sign-in link from the Users page lands on home, which asks for a password', async () => {
    const created = await portal.app.inject({ method: 'POST', url: '/v1/users', payload: { email: 'new@example.org', role: 'viewer' } });
    expect(created.statusCode, created.body).toBe(201);
    const { page, pageErrors } = await portal.signedIn();
    await page.goto('/admin/users');
    await page.getByRole('button', { name: 'Sign-in link for new@example.org' }).click();
    const link = new URL((await page.getByTestId('sign-in-link').textContent()) ?? '');
    expect(link.pathname).toMatch(/^\/v1\/auth\/sign-in-link\//);
    // The modal fades in: capture it once it is fully shown.
    await expect.poll(() => page.getByRole('dialog').evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
    await screenshot(page, 'admin-sign-in-link');

    const invited = await openSession(portal.browser, portal.baseURL);
    await invited.page.goto(link.pathname);
    await invited.page.waitForURL(portal.baseURL + '/');
    const prompt = invited.page.getByTestId('set-password-prompt');
    await prompt.getByRole('button', { name: 'Choose a password' }).click();
    await prompt.getByLabel(/^New password/).fill('a brand new password');
    await prompt.getByLabel(/^Repeat new password/).fill('a brand new password');
    await prompt.getByRole('button', { name: 'Set password' }).click();
    await prompt.waitFor({ state: 'detached' });
    // The password works.
    const signIn = await portal.raw.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email: 'new@example.org', password: 'a brand new password' } });
    expect(signIn.statusCode).toBe(200);
    // A viewer: no administration, no Create.
    expect(await invited.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).count()).toBe(0);
    await invited.page.goto('/admin/users');
    await invited.page.getByTestId('permission-notice').getByText('Admins only').waitFor();

    expect(pageErrors).toEqual([]);
    expect(invited.pageErrors).toEqual([]);
  });
});
