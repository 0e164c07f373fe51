import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { SearchBody, SearchResponse } from '../../../lib/contract-types.ts';

export const searchEntities = (blueprint: string, body: SearchBody, signal?: AbortSignal) =>
  api<SearchResponse>(`/v1/blueprints/${seg(blueprint)}/entities/search`, { method: 'POST', body, signal });

/** One page: pickers, related lists. */
export const searchEntitiesQueryOptions = (blueprint: string, body: SearchBody) =>
  queryOptions({
    queryKey: ['entities', blueprint, 'search', body],
    queryFn: ({ signal }) => searchEntities(blueprint, body, signal),
  });

export const useSearchEntities = (blueprint: string, body: SearchBody, enabled = true) =>
  useQuery({ ...searchEntitiesQueryOptions(blueprint, body), enabled });

/** Cursor pages for the catalog table: each page's `next` is the following page's `from`. */
export const searchEntitiesInfiniteQueryOptions = (blueprint: string, body: Omit<SearchBody, 'from'>) =>
  infiniteQueryOptions({
    queryKey: ['entities', blueprint, 'search-pages', body],
    queryFn: ({ signal, pageParam }) => searchEntities(blueprint, { ...body, ...(pageParam ? { from: pageParam } : {}) }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });

export const useSearchEntitiesInfinite = (blueprint: string, body: Omit<SearchBody, 'from'>, enabled = true) =>
  useInfiniteQuery({ ...searchEntitiesInfiniteQueryOptions(blueprint, body), enabled });
