import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { GitHubStandin } from '@portolan/github-standin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGitHub } from '../../../../test-support/github.ts';
import { screenshot } from './browser.ts';
import { startPortal, type Portal } from './portal.ts';

// Catalog as code in the browser: register a Backstage file kept in (stand-in) GitHub, see its
// entities arrive with their origin, read-only, and orphaned after the file is deleted.

const corpus = path.resolve(import.meta.dirname, '../../../../catalog-examples/backstage');
let portal: Portal;
let gh: GitHubStandin;

beforeAll(async () => {
  const started = await startTestGitHub();
  gh = started.gh;
  portal = await startPortal({ scaffolder: { github: started.config } });
  gh.state.addOrg('example-org');
  gh.state.createRepo('example-org', 'catalog');
  const read = (f: string) => readFile(path.join(corpus, f), 'utf8');
  gh.state.commitFiles('example-org/catalog', {
    files: { 'all.yaml': await read('all.yaml'), 'org.yaml': await read('org.yaml'), 'payments/catalog-info.yaml': await read('payments/catalog-info.yaml'), 'payments/openapi.yaml': await read('payments/openapi.yaml') },
  });
});
afterAll(async () => {
  await portal?.stop();
  await gh?.close();
});

describe('catalog locations', () => {
  it('registers a location, shows where entities come from, keeps them read-only, and marks them orphaned when the file goes', async () => {
    const { page, pageErrors } = await portal.signedIn();
    await page.goto('/admin/locations');
    await page.getByRole('heading', { name: 'Catalog locations' }).waitFor();
    await page.getByLabel('File URL').fill('https://github.com/example-org/catalog/blob/main/all.yaml');
    await page.getByRole('button', { name: 'Register and read' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('8 entities');
    const row = page.locator('[data-location="https://github.com/example-org/catalog/blob/main/all.yaml"]');
    await expect.poll(() => row.textContent()).toContain('3 file(s)');
    await screenshot(page, 'catalog-locations');

    await page.goto('/catalog/Component/payments-service');
    await page.getByRole('heading', { level: 1, name: 'Payments Service' }).waitFor();
    const banner = page.getByText('This entity comes from');
    await banner.waitFor();
    expect(await page.getByRole('link', { name: 'example-org/catalog/blob/main/payments/catalog-info.yaml' }).getAttribute('href')).toBe(
      'https://github.com/example-org/catalog/blob/main/payments/catalog-info.yaml',
    );
    // Managed in Git: no Edit or Delete here.
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await screenshot(page, 'entity-managed-by-location');

    // The file is deleted in Git; a refresh marks its entities orphaned.
    gh.state.commitFiles('example-org/catalog', { files: { 'payments/catalog-info.yaml': null } });
    await page.goto('/admin/locations');
    await page.getByRole('button', { name: 'Refresh https://github.com/example-org/catalog/blob/main/all.yaml' }).click();
    await expect.poll(() => row.textContent()).toContain('7 orphaned');
    await page.goto('/catalog/Component/payments-service');
    await page.getByText('Orphaned: its catalog file no longer declares it').waitFor();
    await screenshot(page, 'entity-orphaned');
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
