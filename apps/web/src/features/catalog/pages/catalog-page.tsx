import { Box, Button, Grid, Group, Loader, Stack, Switch, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useQueries } from '@tanstack/react-query';
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { Blueprint } from '@portolan/contract';
import { BlueprintAvatar } from '../../../components/entity-avatar.tsx';
import { EmptyState, ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import type { FacetsResponse, FacetValue, SearchBody } from '../../../lib/contract-types.ts';
import { paths } from '../../../lib/paths.ts';
import { useMe } from '../../auth/api/get-me.ts';
import { useEntityPermissions } from '../../auth/use-permissions.ts';
import { useBlueprint } from '../../blueprints/api/get-blueprint.ts';
import { getFacetsQueryOptions } from '../../entities/api/get-facets.ts';
import { useSearchEntitiesInfinite } from '../../entities/api/search-entities.ts';
import { PAGE_SIZE } from '../prefetch.ts';
import { ColumnChooser } from '../components/column-chooser.tsx';
import { EntityTable } from '../components/entity-table.tsx';
import { FacetPanel } from '../components/facet-panel.tsx';
import { useCatalogViewState } from '../use-catalog-view-state.ts';
import { allColumns, cycleSort, defaultColumnIds, EMPTY_VIEW, facetDefs, toFacetBodies, toggleFilter, toSearchBody, visibleColumns, type ColumnDef, type SortState } from '../view-state.ts';
import { CatalogActionButtons } from '../../actions/components/action-buttons.tsx';

function CatalogView({ blueprint }: { blueprint: Blueprint }) {
  const [state, setState] = useCatalogViewState();
  const [searchText, setSearchText] = useState(state.search);
  useEffect(() => setSearchText(state.search), [state.search]);
  const commitSearch = useDebouncedCallback((text: string) => setState({ ...state, search: text }, { replace: true }), 250);

  const me = useMe();
  const permissions = useEntityPermissions(blueprint.identifier);
  const myTeams = useMemo(() => me.data?.user.teams ?? [], [me.data]);
  const body = useMemo(() => toSearchBody(blueprint, state, PAGE_SIZE, myTeams), [blueprint, state, myTeams]);
  // "Mine" needs the user's teams: without them the first rows would be everyone's.
  const searchEnabled = !state.mine || me.isSuccess;
  // Only whether the first page is in (React Query re-renders for the fields read): the rows and
  // their paging live in CatalogResults, so loading the next page while scrolling re-renders the
  // table alone, not the toolbar and the facets.
  const firstPagePending = useSearchEntitiesInfinite(blueprint.identifier, body, searchEnabled).isPending;

  const facetRequests = useMemo(() => toFacetBodies(blueprint, state, myTeams), [blueprint, state, myTeams]);
  // Counted after the first rows arrive: on a large catalog the aggregations would otherwise compete
  // with the query that puts rows on screen.
  // Combined into one value that keeps its identity until an answer changes (React Query re-runs a
  // stable `combine` only then), so the memoized facet panel can skip renders.
  const combineFacets = useCallback(
    (results: { data?: FacetsResponse; isPending: boolean }[]) => {
      const values: Record<string, FacetValue[] | undefined> = {};
      facetRequests.forEach((r, i) => {
        for (const f of r.facets) values[f] = results[i]?.data?.facets[f];
      });
      return { values, total: results[0]?.data?.total, loading: results.some((r) => r.isPending) };
    },
    [facetRequests],
  );
  const facets = useQueries({
    queries: facetRequests.map((r) => ({ ...getFacetsQueryOptions(blueprint.identifier, r.body), placeholderData: (prev: unknown) => prev as never, enabled: !firstPagePending })),
    combine: combineFacets,
  });
  const total = facets.total;
  // The counts arrive while the person may already be scrolling the table: the panel (a few dozen
  // checkboxes) is rendered in the background, in slices, instead of in one long frame.
  const shownFacets = useDeferredValue(facets);
  const facetList = useMemo(() => facetDefs(blueprint), [blueprint]);
  const onToggleFacet = useCallback((facet: string, value: string) => setState(toggleFilter(state, facet, value)), [state, setState]);

  const columns = useMemo(() => visibleColumns(blueprint, state), [blueprint, state]);
  const mineActive = state.mine && myTeams.length > 0;
  const filtered = Object.keys(state.filters).length > 0 || state.search.trim() !== '' || mineActive;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Group gap="sm">
          <BlueprintAvatar blueprint={blueprint.identifier} title={blueprint.title} size="lg" />
          <div>
            <Title order={2}>{blueprint.title}</Title>
            <Text size="sm" c="dimmed" data-testid="catalog-count">
              {total === undefined ? 'Counting…' : `${total.toLocaleString()} ${total === 1 ? 'entity' : 'entities'}${filtered ? ' match' : ''}`}
            </Text>
          </div>
        </Group>
        <Group gap="xs">
          <CatalogActionButtons blueprint={blueprint.identifier} />
          {permissions.canCreate && (
            <Button component={Link} to={paths.newEntity(blueprint.identifier)}>
              Create {blueprint.title}
            </Button>
          )}
        </Group>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <TextInput
          style={{ flex: 1 }}
          placeholder={`Search ${blueprint.title} by identifier, title or any text property`}
          aria-label="Search this catalog"
          value={searchText}
          onChange={(e) => {
            setSearchText(e.currentTarget.value);
            commitSearch(e.currentTarget.value);
          }}
          rightSection={<RefetchIndicator blueprint={blueprint.identifier} body={body} enabled={searchEnabled} />}
        />
        <Tooltip label={myTeams.length > 0 ? `Owned by ${myTeams.join(', ')}` : 'You belong to no team'} withArrow>
          <div>
            <Switch
              label="My team's entities"
              checked={mineActive}
              disabled={myTeams.length === 0}
              onChange={(e) => setState({ ...state, mine: e.currentTarget.checked })}
              style={{ whiteSpace: 'nowrap' }}
            />
          </div>
        </Tooltip>
        {filtered && (
          <Button variant="subtle" onClick={() => setState({ ...EMPTY_VIEW, columns: state.columns, sort: state.sort })}>
            Clear filters
          </Button>
        )}
        <ColumnChooser
          all={allColumns(blueprint)}
          visible={state.columns ?? defaultColumnIds(blueprint)}
          onChange={(ids) => setState({ ...state, columns: ids })}
          onReset={() => setState({ ...state, columns: null })}
        />
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 2.5 }}>
          <FacetPanel facets={facetList} values={shownFacets.values} selected={state.filters} loading={shownFacets.loading} onToggle={onToggleFacet} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9.5 }}>
          <CatalogResults
            blueprint={blueprint}
            columns={columns}
            body={body}
            enabled={searchEnabled}
            filtered={filtered}
            total={total}
            sort={state.sort}
            onSort={(column) => setState(cycleSort(state, column))}
          />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

interface CatalogResultsProps {
  blueprint: Blueprint;
  columns: ColumnDef[];
  body: Omit<SearchBody, 'from'>;
  enabled: boolean;
  filtered: boolean;
  total: number | undefined;
  sort: SortState | null;
  onSort: (column: string) => void;
}

/** The table of matching entities, paged from the server as it scrolls. */
function CatalogResults({ blueprint, columns, body, enabled, filtered, total, sort, onSort }: CatalogResultsProps) {
  const pages = useSearchEntitiesInfinite(blueprint.identifier, body, enabled);
  const rows = useMemo(() => pages.data?.pages.flatMap((p) => p.entities) ?? [], [pages.data]);
  if (pages.isError) return <ErrorState error={pages.error} onRetry={() => void pages.refetch()} title="Could not load entities" />;
  if (pages.isPending) return <PageSkeleton rows={10} />;
  if (rows.length === 0) {
    return (
      <Box style={{ border: '1px dashed var(--mantine-color-gray-4)', borderRadius: 8 }}>
        <EmptyState title={filtered ? 'No entity matches these filters' : `No ${blueprint.title} yet`}>
          {filtered ? 'Try other words or clear the filters.' : 'Create the first one with the button above, or push entities through the API.'}
        </EmptyState>
      </Box>
    );
  }
  return (
    <EntityTable
      blueprint={blueprint}
      columns={columns}
      rows={rows}
      total={total}
      sort={sort}
      onSort={onSort}
      hasNextPage={pages.hasNextPage}
      isFetchingNextPage={pages.isFetchingNextPage}
      fetchNextPage={() => void pages.fetchNextPage()}
    />
  );
}

/** The search box's spinner while a new search (not a next page) is in flight. */
function RefetchIndicator({ blueprint, body, enabled }: { blueprint: string; body: Omit<SearchBody, 'from'>; enabled: boolean }) {
  const pages = useSearchEntitiesInfinite(blueprint, body, enabled);
  return pages.isFetching && !pages.isFetchingNextPage ? <Loader size="xs" /> : null;
}

export function CatalogPage() {
  const { blueprint: id = '' } = useParams();
  const blueprint = useBlueprint(id);
  if (blueprint.isPending) return <PageSkeleton rows={10} />;
  if (blueprint.isError) return <ErrorState error={blueprint.error} onRetry={() => void blueprint.refetch()} />;
  return <CatalogView key={id} blueprint={blueprint.data} />;
}
