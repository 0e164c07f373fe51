import type { QueryClient } from '@tanstack/react-query';
import { getMeQueryOptions } from '../auth/api/get-me.ts';
import { getBlueprintQueryOptions } from '../blueprints/api/get-blueprint.ts';
import { searchEntitiesInfiniteQueryOptions } from '../entities/api/search-entities.ts';
import { parseViewState, searchBodyNeedsBlueprint, toSearchBody } from './view-state.ts';

/** Rows per page of the catalog table. */
export const PAGE_SIZE = 200;

/**
 * Asks for the first page of rows the catalog at this URL shows without waiting for the page's code:
 * the router calls it when the app starts on a catalog URL. A view without filters or sort (the
 * usual first visit) needs no blueprint, so it is asked for at once, alongside the blueprint and the
 * session check, rather than after the blueprint's answer (which waits behind the first render).
 * Same body and query key as the catalog page builds, so the page finds the rows in the cache or in
 * flight. Small on purpose: it is part of the first bundle. Errors are left to the page.
 */
export async function prefetchFirstRows(queryClient: QueryClient, blueprintId: string, params: URLSearchParams): Promise<void> {
  try {
    const state = parseViewState(params);
    const blueprint = searchBodyNeedsBlueprint(state) ? await queryClient.ensureQueryData(getBlueprintQueryOptions(blueprintId)) : null;
    // "Mine" needs the user's teams, as on the page.
    const myTeams = state.mine ? (await queryClient.ensureQueryData(getMeQueryOptions())).user.teams : [];
    await queryClient.prefetchInfiniteQuery(searchEntitiesInfiniteQueryOptions(blueprintId, toSearchBody(blueprint, state, PAGE_SIZE, myTeams)));
  } catch {
    // The page asks again and shows what went wrong.
  }
}
