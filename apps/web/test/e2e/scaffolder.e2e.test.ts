import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubStandin } from '@portolan/github-standin';
import { startTestGitHub } from '../../../../test-support/github.ts';
import { REPO_ROOT } from '../../../server/src/config.ts';
import { loadTemplatesOnce } from '../../../server/src/seed/load-templates.ts';
import { screenshot } from './browser.ts';
import { startPortal, type Portal } from './portal.ts';

// The scaffolder in the browser: gallery, wizard with pickers and per-page validation, dry-run
// preview, a task run by the job queue against the GitHub stand-in, its live log over SSE, and the
// "Open in catalog" link to the registered Component.

let portal: Portal;
let gh: GitHubStandin;

beforeAll(async () => {
  const github = await startTestGitHub();
  gh = github.gh;
  gh.state.addOrg('acme');
  portal = await startPortal({ scaffolder: { github: github.config, queue: { heartbeatMs: 200, pollIntervalMs: 500 } } });
  await loadTemplatesOnce(portal.db, portal.app.services.scaffolder, path.join(REPO_ROOT, 'catalog-examples', 'templates'));
  await portal.app.services.taskQueue!.start();
  const team = await portal.app.inject({ method: 'POST', url: '/v1/teams', payload: { identifier: 'cart-team', title: 'Cart team' } });
  expect(team.statusCode, team.body).toBe(201);
});
afterAll(async () => {
  await portal?.stop();
  await gh?.close();
});

describe('scaffolder', () => {
  it('creates a Node.js service from the gallery: wizard, preview, live task, then the new Component', async () => {
    const { page, pageErrors } = await portal.signedIn();
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Create' }).click();
    await page.waitForURL('**/create');

    // Gallery: search and tag filter narrow the cards.
    const cards = page.getByTestId('template-gallery').locator('article');
    await expect.poll(() => cards.count()).toBe(3);
    await page.getByLabel('Search templates').fill('library');
    await expect.poll(() => cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-template')))).toEqual(['library']);
    await page.getByLabel('Search templates').fill('');
    await expect.poll(() => cards.count()).toBe(3);
    await page.getByRole('group', { name: 'Filter by tag' }).getByText('docs', { exact: true }).click();
    await expect.poll(() => cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-template')))).toEqual(['docs-site']);
    await page.getByRole('group', { name: 'Filter by tag' }).getByText('docs', { exact: true }).click();
    await expect.poll(() => cards.count()).toBe(3);
    await screenshot(page, 'scaffolder-gallery');

    await page.getByRole('link', { name: 'Choose Node.js service' }).click();
    await page.waitForURL('**/create/templates/nodejs-service');

    // Page 1 refuses to move on while required fields are empty or invalid.
    const about = page.getByRole('region', { name: 'About the service' });
    await about.waitFor();
    await about.getByLabel(/^Name/).fill('Not Valid');
    await page.getByRole('button', { name: 'Next' }).click();
    await about.getByText(/must match pattern/).filter({ visible: true }).waitFor();
    await about.getByText('is required', { exact: true }).filter({ visible: true }).waitFor();
    expect(await page.getByRole('region', { name: 'Repository' }).count()).toBe(0);

    await about.getByLabel(/^Name/).fill('checkout-api');
    await about.getByLabel(/^Owner team/).click();
    await page.getByRole('option', { name: 'Cart team (cart-team)' }).click();
    await about.getByLabel(/^System/).fill('Cart');
    await page.getByRole('option', { name: /^Cart$/ }).click();
    await expect.poll(() => about.getByText(/must match pattern|is required/).count()).toBe(0);
    await screenshot(page, 'scaffolder-wizard');
    await page.getByRole('button', { name: 'Next' }).click();

    const repo = page.getByRole('region', { name: 'Repository' });
    await repo.getByLabel(/^GitHub organisation or user/).fill('acme');
    await repo.getByText('Repository: https://github.com/acme/checkout-api').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();

    // Review, then the dry run's file tree and contents.
    const review = page.getByTestId('review-table');
    await review.waitFor();
    const reviewText = await review.textContent();
    expect(reviewText).toContain('checkout-api');
    expect(reviewText).toContain('cart-team');
    expect(reviewText).toContain('acme');
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByTestId('dry-run-preview');
    await preview.waitFor();
    await preview.locator('[data-file=".github/workflows/ci.yml"]').waitFor();
    await preview.locator('[data-file="Dockerfile"]').waitFor();
    const catalogInfo = await preview.getByTestId('file-content').textContent();
    expect(catalogInfo).toContain('name: checkout-api');
    expect(catalogInfo).toContain('owner: cart-team');
    expect(catalogInfo).toContain('system: Cart');
    await preview.getByText('Create the GitHub repository').scrollIntoViewIfNeeded();
    await preview.scrollIntoViewIfNeeded();
    await screenshot(page, 'scaffolder-preview');
    // A dry run creates nothing.
    expect(gh.state.repo('acme', 'checkout-api')).toBeUndefined();

    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.waitForURL(/\/create\/tasks\/[0-9a-f-]{36}$/);
    const taskId = page.url().split('/').pop()!;

    // The task page follows the run live: steps, log lines over SSE, and the final status.
    await page.getByTestId('task-status').locator('[data-status="completed"]').waitFor({ timeout: 30_000 });
    const log = page.getByTestId('task-log');
    await expect.poll(() => log.textContent()).toContain('Task completed');
    const logText = (await log.textContent()) ?? '';
    expect(logText).toContain('Create the GitHub repository (publish:github)');
    expect(logText).toContain('Register in the catalog: done');
    for (const step of ['fetch', 'publish', 'register']) {
      expect(await page.locator(`[data-step="${step}"] [data-status]`).getAttribute('data-status')).toBe('succeeded');
      expect(await page.locator(`[data-step="${step}"]`).getByTestId('step-duration').textContent()).toMatch(/\d( ms| s)$/);
    }
    expect(await page.getByRole('link', { name: 'Open repository' }).getAttribute('href')).toContain('acme/checkout-api');
    await screenshot(page, 'scaffolder-task');

    // The repository exists on the stand-in with the rendered skeleton.
    expect(gh.state.repo('acme', 'checkout-api')).toBeDefined();
    expect(Object.keys(gh.state.files('acme/checkout-api'))).toContain('catalog-info.yaml');

    // History lists it; a status filter that does not match hides it.
    await page.goto('/create/tasks');
    await page.locator(`[data-task="${taskId}"]`).waitFor();
    await screenshot(page, 'scaffolder-task-history');
    await page.goto('/create/tasks?status=failed');
    await page.getByText('No tasks with status failed yet.').waitFor();
    await page.goBack();
    await page.goBack();
    await page.waitForURL(`**/create/tasks/${taskId}`);

    await page.getByRole('link', { name: 'Open in catalog' }).click();
    await page.waitForURL('**/catalog/Component/checkout-api');
    await page.getByRole('heading', { level: 1, name: 'checkout-api' }).waitFor();
    const entity = (await portal.app.inject({ url: '/v1/blueprints/Component/entities/checkout-api' })).json().entity;
    expect(entity.team).toEqual(['cart-team']);
    expect(pageErrors).toEqual([]);
  });

  it('edits a template: server validation errors by path, then a dry-run preview of the YAML being edited', async () => {
    const { page, pageErrors } = await portal.signedIn();
    await page.goto('/create');
    await page.getByRole('link', { name: 'Edit template TypeScript library' }).click();
    await page.waitForURL('**/create/templates/library/edit');
    const yaml = page.getByTestId('template-yaml');
    const original = await yaml.inputValue();
    expect(original).toContain('kind: Template');

    await yaml.fill(original.replace('kind: Template', 'kind: Templat').replace('name: library', 'name: bad name'));
    await page.getByRole('button', { name: 'Validate' }).click();
    const problems = page.getByTestId('template-problems');
    await problems.waitFor();
    const text = (await problems.textContent()) ?? '';
    expect(text).toContain('kind');
    expect(text).toContain('metadata.name');
    // Saving is refused with the same list; nothing is stored.
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await problems.textContent()) ?? '').toContain('metadata.name');
    expect((await portal.app.inject({ url: '/v1/scaffolder/templates/library' })).json().template.version).toBe(1);

    await yaml.fill(original.replace('A TypeScript library published', 'A TypeScript library (edited) published'));
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByText('The server found no problem.').waitFor();
    await page.getByLabel('Preview parameters (JSON)').fill(JSON.stringify({ name: 'left-pad', owner: 'cart-team', repoOwner: 'acme', publish: false }));
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByTestId('dry-run-preview');
    await preview.locator('[data-file="package.json"]').click();
    await expect.poll(() => preview.getByTestId('file-content').textContent()).toContain('left-pad');
    await screenshot(page, 'scaffolder-template-editor');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/Version 2 is live/).waitFor();
    expect((await portal.app.inject({ url: '/v1/scaffolder/templates/library' })).json().template.description).toContain('(edited)');
    expect(pageErrors).toEqual([]);
  });
});
