import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { BlueprintPermissions, User } from '@portolan/contract';
import { defaultBlueprintPermissions } from '@portolan/contract/permissions';
import { CatalogPage } from '../../src/features/catalog/pages/catalog-page.tsx';
import { EntityPage } from '../../src/features/entities/pages/entity-page.tsx';
import { componentBlueprint as bp, entity, me } from './fixtures.ts';
import { renderAt, stubFetch } from './render.tsx';

const cart = entity({ identifier: 'CartService', title: 'Cart Service', team: ['cart-team'] });

/** The API as a person with `user` sees it; `permissions` is the Component blueprint's stored rule. */
function api(user: Partial<User>, permissions: BlueprintPermissions = defaultBlueprintPermissions()) {
  return stubFetch((call) => {
    const path = call.url.split('?')[0]!;
    if (path === '/v1/auth/me') return [200, me(user)];
    if (path === '/v1/blueprints') return [200, { ok: true, blueprints: [bp] }];
    if (path === '/v1/blueprints/Component') return [200, { ok: true, blueprint: bp }];
    if (path === '/v1/blueprints/Component/permissions') return [200, { ok: true, permissions }];
    if (path === '/v1/blueprints/Component/entities/CartService') return [200, { ok: true, entity: cart }];
    if (path.endsWith('/graph')) return [200, { ok: true, nodes: [], edges: [], truncated: false }];
    if (path.endsWith('/entities/facets')) return [200, { ok: true, total: 1, facets: {} }];
    if (path.endsWith('/entities/search')) return [200, { ok: true, entities: [cart], next: null }];
    return [404, { ok: false, error: 'not_found', message: `unexpected ${call.url}` }];
  });
}

async function entityPageAs(user: Partial<User>, permissions?: BlueprintPermissions) {
  const calls = api(user, permissions);
  renderAt('/catalog/Component/CartService', [{ path: '/catalog/:blueprint/:entity', element: <EntityPage /> }]);
  await screen.findByRole('heading', { level: 1, name: 'Cart Service' });
  return calls;
}

const editLink = () => screen.queryByRole('link', { name: 'Edit' });
const deleteButton = () => screen.queryByRole('button', { name: 'Delete' });

describe('what the entity page offers, by role (the server’s rule, shared)', () => {
  it('a viewer sees neither Edit nor Delete, and the page does not ask for the rule', async () => {
    const calls = await entityPageAs({ role: 'viewer', teams: ['cart-team'] });
    // Give the user query time to settle: the buttons must stay hidden, not merely be late.
    await waitFor(() => expect(calls.some((c) => c.url === '/v1/auth/me')).toBe(true));
    await new Promise((r) => setTimeout(r, 50));
    expect(editLink()).toBeNull();
    expect(deleteButton()).toBeNull();
    expect(calls.some((c) => c.url.endsWith('/permissions'))).toBe(false);
  });

  it('a member of the owning team may edit and delete', async () => {
    await entityPageAs({ role: 'member', teams: ['cart-team'] });
    expect(await screen.findByRole('link', { name: 'Edit' })).toBeTruthy();
    expect(deleteButton()).toBeTruthy();
  });

  it('a member of another team sees neither', async () => {
    const calls = await entityPageAs({ role: 'member', teams: ['catalog-team'] });
    await waitFor(() => expect(calls.some((c) => c.url.endsWith('/permissions'))).toBe(true));
    await new Promise((r) => setTimeout(r, 50));
    expect(editLink()).toBeNull();
    expect(deleteButton()).toBeNull();
  });

  it("follows the blueprint's stored rule: members may update any entity, but delete only their own", async () => {
    const rule = defaultBlueprintPermissions();
    rule.entities.update = { roles: ['member'], teams: [], ownedByTeam: false };
    await entityPageAs({ role: 'member', teams: ['catalog-team'] }, rule);
    expect(await screen.findByRole('link', { name: 'Edit' })).toBeTruthy();
    expect(deleteButton()).toBeNull();
  });

  it('a moderator of the blueprint may edit and delete any of its entities; of another blueprint, not', async () => {
    await entityPageAs({ role: 'moderator', moderatedBlueprints: ['Component'], teams: [] });
    expect(await screen.findByRole('link', { name: 'Edit' })).toBeTruthy();
    expect(deleteButton()).toBeTruthy();
  });

  it('a moderator of another blueprint is a member here', async () => {
    const calls = await entityPageAs({ role: 'moderator', moderatedBlueprints: ['System'], teams: ['platform-team'] });
    await waitFor(() => expect(calls.some((c) => c.url.endsWith('/permissions'))).toBe(true));
    await new Promise((r) => setTimeout(r, 50));
    expect(editLink()).toBeNull();
  });
});

describe('the catalog page', () => {
  const catalogAs = async (user: Partial<User>) => {
    const calls = api(user);
    renderAt('/catalog/Component', [{ path: '/catalog/:blueprint', element: <CatalogPage /> }]);
    await screen.findByText('Component');
    return calls;
  };

  it('offers Create to a member with a team, not to a viewer', async () => {
    await catalogAs({ role: 'member', teams: ['cart-team'] });
    expect(await screen.findByRole('link', { name: 'Create Component' })).toBeTruthy();
  });

  it('hides Create from a viewer', async () => {
    const calls = await catalogAs({ role: 'viewer', teams: ['cart-team'] });
    await waitFor(() => expect(calls.some((c) => c.url.endsWith('/entities/search'))).toBe(true));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole('link', { name: 'Create Component' })).toBeNull();
  });
});
