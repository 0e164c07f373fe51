import type { QueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { getBlueprintQueryOptions } from '../features/blueprints/api/get-blueprint.ts';
import { getMeQueryOptions } from '../features/auth/api/get-me.ts';
import { prefetchFirstRows } from '../features/catalog/prefetch.ts';
import { createBrowserRouter, createMemoryRouter, type RouteObject } from 'react-router-dom';
import { AppLayout } from './layout.tsx';
import { PageSkeleton } from '../components/page-skeleton.tsx';
import { RouteErrorPage, NotFoundPage } from '../components/error-pages.tsx';
import { HomePage } from '../features/home/pages/home-page.tsx';
import { RequireAuth } from '../features/auth/components/require-auth.tsx';
import { SignInPage } from '../features/auth/pages/sign-in-page.tsx';

/**
 * A page whose code loads on first use and can be preloaded, without Suspense: until the code is
 * there it renders the skeleton itself and re-renders once it arrives. A suspended boundary is
 * revealed at the earliest ~300 ms after its fallback showed (React throttles reveals), which was
 * most of the time to a catalog's first rows; a plain state update has no such delay.
 */
function preloadablePage<P extends object>(load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const preload = () =>
    (pending ??= load().then(
      (c) => (loaded = c),
      (error: unknown) => {
        pending = null; // a later visit tries again
        throw error;
      },
    ));
  function Page(props: P) {
    const [Loaded, setLoaded] = useState(() => loaded);
    const [error, setError] = useState<unknown>(null);
    useEffect(() => {
      if (!Loaded) preload().then((c) => setLoaded(() => c), setError);
    }, [Loaded]);
    // A chunk that failed to load (e.g. a stale tab after a deploy) goes to the route's error page.
    if (error) throw error;
    return Loaded ? <Loaded {...props} /> : <PageSkeleton />;
  }
  return { Page, preload };
}

// Only the shell and the home page are in the first bundle; every other page loads on first use
// (the layout's Suspense shows a skeleton meanwhile), which keeps the initial JavaScript small.
const catalogPage = preloadablePage(() => import('../features/catalog/pages/catalog-page.tsx').then((m) => m.CatalogPage));
const entityPage = preloadablePage(() => import('../features/entities/pages/entity-page.tsx').then((m) => m.EntityPage));
const CatalogPage = catalogPage.Page;
const EntityPage = entityPage.Page;
const EntityFormPage = lazy(() => import('../features/entities/pages/entity-form-page.tsx'));
const DataModelPage = lazy(() => import('../features/blueprints/pages/data-model-page.tsx'));
const BlueprintEditPage = lazy(() => import('../features/blueprints/pages/blueprint-edit-page.tsx'));
const ProfilePage = lazy(() => import('../features/auth/pages/profile-page.tsx'));
// Administration: admins only, so never in anyone's first bundle.
const UsersPage = lazy(() => import('../features/admin/pages/users-page.tsx'));
const TeamsPage = lazy(() => import('../features/admin/pages/teams-page.tsx'));
const ApiClientsPage = lazy(() => import('../features/admin/pages/api-clients-page.tsx'));
const SecretsPage = lazy(() => import('../features/admin/pages/secrets-page.tsx'));
const AuditLogPage = lazy(() => import('../features/admin/pages/audit-log-page.tsx'));
const LocationsPage = lazy(() => import('../features/locations/pages/locations-page.tsx'));
const TemplatesPage = lazy(() => import('../features/scaffolder/pages/templates-page.tsx'));
const TemplateWizardPage = lazy(() => import('../features/scaffolder/pages/template-wizard-page.tsx'));
const TemplateEditorPage = lazy(() => import('../features/scaffolder/pages/template-editor-page.tsx'));
const TasksPage = lazy(() => import('../features/scaffolder/pages/tasks-page.tsx'));
const TaskPage = lazy(() => import('../features/scaffolder/pages/task-page.tsx'));

// Self-service action runs.
const RunsPage = lazy(() => import('../features/actions/pages/runs-page.tsx'));
const ActionsPage = lazy(() => import('../features/actions/pages/actions-page.tsx'));
const RunPage = lazy(() => import('../features/actions/pages/run-page.tsx'));

const suspended = (node: ReactNode) => <Suspense fallback={<PageSkeleton />}>{node}</Suspense>;

export const routes: RouteObject[] = [
  { path: 'sign-in', element: <SignInPage />, errorElement: <RouteErrorPage /> },
  {
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'catalog/:blueprint', element: <CatalogPage /> },
      { path: 'catalog/:blueprint/~new', element: suspended(<EntityFormPage mode="create" />) },
      { path: 'catalog/:blueprint/:entity', element: <EntityPage /> },
      { path: 'catalog/:blueprint/:entity/edit', element: suspended(<EntityFormPage mode="edit" />) },
      { path: 'data-model', element: suspended(<DataModelPage />) },
      { path: 'data-model/~new', element: suspended(<BlueprintEditPage mode="create" />) },
      { path: 'data-model/:blueprint', element: suspended(<BlueprintEditPage mode="edit" />) },
      { path: 'profile', element: suspended(<ProfilePage />) },
      { path: 'admin/users', element: suspended(<UsersPage />) },
      { path: 'admin/teams', element: suspended(<TeamsPage />) },
      { path: 'admin/api-clients', element: suspended(<ApiClientsPage />) },
      { path: 'admin/secrets', element: suspended(<SecretsPage />) },
      { path: 'admin/audit-log', element: suspended(<AuditLogPage />) },
      { path: 'admin/locations', element: suspended(<LocationsPage />) },
      { path: 'create', element: suspended(<TemplatesPage />) },
      { path: 'create/templates/:name', element: suspended(<TemplateWizardPage />) },
      { path: 'create/templates/:name/edit', element: suspended(<TemplateEditorPage />) },
      { path: 'create/tasks', element: suspended(<TasksPage />) },
      { path: 'create/tasks/:id', element: suspended(<TaskPage />) },
      { path: 'runs', element: suspended(<RunsPage />) },
      { path: 'actions', element: suspended(<ActionsPage />) },
      { path: 'runs/:id', element: suspended(<RunPage />) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

/**
 * Starts what the current page needs as soon as the URL is known, in parallel, instead of one after
 * the other as components render: the session check, the page's code and its blueprint, and for a
 * catalog its first page of rows (same query keys as the page, so it finds them in the cache).
 */
function preloadCurrentPage({ pathname, search }: Location, queryClient: QueryClient): void {
  void queryClient.prefetchQuery(getMeQueryOptions());
  const match = /^\/catalog\/([^/]+)(?:\/([^/]+))?\/?$/.exec(pathname);
  if (!match) return;
  const blueprint = decodeURIComponent(match[1]!);
  void queryClient.prefetchQuery(getBlueprintQueryOptions(blueprint));
  // A failed preload is left to the page, which tries again and shows the error.
  if (!match[2]) {
    catalogPage.preload().catch(() => {});
    void prefetchFirstRows(queryClient, blueprint, new URLSearchParams(search));
  } else if (match[2] !== '~new') entityPage.preload().catch(() => {});
}

export const createAppRouter = (queryClient: QueryClient) => {
  preloadCurrentPage(window.location, queryClient);
  return createBrowserRouter(routes);
};
export const createTestRouter = (initialEntries: string[]) => createMemoryRouter(routes, { initialEntries });
