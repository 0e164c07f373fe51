import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CatalogPage } from '../../src/features/catalog/pages/catalog-page.tsx';
import { componentBlueprint as bp, entity, me } from './fixtures.ts';
import { renderAt, stubFetch, type RecordedCall } from './render.tsx';

function api() {
  return stubFetch((call: RecordedCall) => {
    if (call.url === '/v1/blueprints/Component') return [200, { ok: true, blueprint: bp }];
    if (call.url.endsWith('/entities/facets')) {
      return [200, { ok: true, total: 2, facets: { type: [{ value: 'service', count: 1 }, { value: 'library', count: 1 }], $team: [{ value: 'cart-team', count: 2 }], lifecycle: [], language: [] } }];
    }
    if (call.url.endsWith('/entities/search')) {
      return [200, { ok: true, entities: [entity({ identifier: 'CartService', title: 'Cart Service', properties: { type: 'service', lifecycle: 'production' } })], next: null }];
    }
    return [404, { ok: false, error: 'not_found', message: `unexpected ${call.url}` }];
  });
}

const lastSearch = (calls: RecordedCall[]) => [...calls].reverse().find((c) => c.url.endsWith('/entities/search'))!.body as Record<string, unknown>;
const location = () => screen.getByTestId('location').textContent!;

// The simulated DOM does no layout; the virtualized table needs its scroll box to have a size.
const sizes = ['clientHeight', 'clientWidth'] as const;
const saved = sizes.map((k) => Object.getOwnPropertyDescriptor(HTMLElement.prototype, k));
beforeAll(() => {
  for (const k of sizes) Object.defineProperty(HTMLElement.prototype, k, { configurable: true, get: () => (k === 'clientHeight' ? 800 : 1200) });
});
beforeEach(() => {
  // happy-dom reports zero-sized boxes to ResizeObserver; without it the sizes above are read.
  vi.stubGlobal('ResizeObserver', class { observe() {} unobserve() {} disconnect() {} });
});
afterAll(() => {
  sizes.forEach((k, i) => saved[i] && Object.defineProperty(HTMLElement.prototype, k, saved[i]!));
});

describe('catalog table state and the URL', () => {
  it('loads the view the URL describes', async () => {
    const calls = api();
    renderAt('/catalog/Component?q=cart&sort=language&order=desc&f.type=service', [{ path: '/catalog/:blueprint', element: <CatalogPage /> }]);
    expect(await screen.findByText('Cart Service')).toBeTruthy();
    expect(lastSearch(calls)).toMatchObject({
      search: 'cart',
      sort: { property: 'language', order: 'desc' },
      query: { combinator: 'and', rules: [{ property: 'type', operator: 'in', value: ['service'] }] },
    });
    expect((screen.getByLabelText('Search this catalog') as HTMLInputElement).value).toBe('cart');
    expect(screen.getByRole('columnheader', { name: /Language/ }).getAttribute('aria-sort')).toBe('descending');
    // The facet counts follow the rows (rendered in the background once they arrive).
    expect(((await screen.findByLabelText('Type: service')) as HTMLInputElement).checked).toBe(true);
  });

  it('writes filters and sort into the URL and asks the server again', async () => {
    const calls = api();
    renderAt('/catalog/Component', [{ path: '/catalog/:blueprint', element: <CatalogPage /> }]);
    await screen.findByText('Cart Service');
    expect(lastSearch(calls).query).toBeUndefined();

    fireEvent.click(await screen.findByLabelText('Team: cart-team'));
    await waitFor(() => expect(location()).toBe('/catalog/Component?f.%24team=cart-team'));
    await waitFor(() => expect(lastSearch(calls).query).toEqual({ combinator: 'and', rules: [{ property: '$team', operator: 'containsAny', value: ['cart-team'] }] }));

    fireEvent.click(screen.getByRole('button', { name: 'Sort by Title' }));
    await waitFor(() => expect(location()).toContain('sort=%24title'));
    await waitFor(() => expect(lastSearch(calls).sort).toEqual({ property: '$title', order: 'asc' }));
  });

  it('debounces free text into the URL (replacing history, not pushing per key)', async () => {
    const calls = api();
    const { router } = renderAt('/catalog/Component', [{ path: '/catalog/:blueprint', element: <CatalogPage /> }]);
    await screen.findByText('Cart Service');
    fireEvent.change(screen.getByLabelText('Search this catalog'), { target: { value: 'pay' } });
    await waitFor(() => expect(location()).toBe('/catalog/Component?q=pay'));
    await waitFor(() => expect(lastSearch(calls).search).toBe('pay'));
    expect(router.state.historyAction).toBe('REPLACE');
  });

  it('opens an entity from its title link or anywhere on its row, inside the app', async () => {
    api();
    const routes = [
      { path: '/catalog/:blueprint', element: <CatalogPage /> },
      { path: '/catalog/:blueprint/:entity', element: <p>entity page</p> },
    ];
    const first = renderAt('/catalog/Component', routes);
    fireEvent.click(await screen.findByRole('link', { name: 'Cart Service' }));
    await waitFor(() => expect(location()).toBe('/catalog/Component/CartService'));
    expect(first.router.state.historyAction).toBe('PUSH');
    first.unmount();

    renderAt('/catalog/Component', routes);
    const row = (await screen.findByText('Cart Service')).closest('[role=row]')!;
    fireEvent.click(row.querySelectorAll('[role=cell]')[1]!);
    await waitFor(() => expect(location()).toBe('/catalog/Component/CartService'));
  });

  it('shows an empty state when nothing matches', async () => {
    stubFetch((call) => {
      if (call.url === '/v1/blueprints/Component') return [200, { ok: true, blueprint: bp }];
      if (call.url === '/v1/auth/me') return [200, me()];
      if (call.url.endsWith('/facets')) return [200, { ok: true, total: 0, facets: {} }];
      return [200, { ok: true, entities: [], next: null }];
    });
    renderAt('/catalog/Component?q=zzz', [{ path: '/catalog/:blueprint', element: <CatalogPage /> }]);
    expect(await screen.findByText('No entity matches these filters')).toBeTruthy();
  });
});
