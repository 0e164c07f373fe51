import { render } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider, useLocation } from 'react-router-dom';
import { vi } from 'vitest';
import { AppProviders } from '../../src/app/providers.tsx';

/** Shows the router's current URL, so a test can read what the page wrote into it. */
export function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

export function renderAt(path: string, routes: { path: string; element: ReactNode }[]) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter(
    routes.map((r) => ({ path: r.path, element: (<>{r.element}<LocationProbe /></>) })),
    { initialEntries: [path] },
  );
  return { client, router, ...render(<AppProviders queryClient={client}><RouterProvider router={router} /></AppProviders>) };
}

export interface RecordedCall {
  method: string;
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

/** A fetch stand-in: `handler` answers each call with [status, json]; every call is recorded. */
export function stubFetch(handler: (call: RecordedCall) => [number, unknown] | Promise<[number, unknown]>) {
  const calls: RecordedCall[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const call: RecordedCall = {
      method: init.method ?? 'GET',
      url: String(input),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      headers: (init.headers as Record<string, string>) ?? {},
    };
    calls.push(call);
    const [status, json] = await handler(call);
    return new Response(JSON.stringify(json), { status, headers: { 'content-type': 'application/json', etag: '"1"' } });
  });
  return calls;
}
