import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { GlobalSearchBody, SearchResponse } from '../../../lib/contract-types.ts';

export const searchAllEntities = (body: GlobalSearchBody, signal?: AbortSignal) =>
  api<SearchResponse>('/v1/entities/search', { method: 'POST', body, signal });

export const searchAllEntitiesQueryOptions = (body: GlobalSearchBody) =>
  queryOptions({ queryKey: ['entities', '$all', 'search', body], queryFn: ({ signal }) => searchAllEntities(body, signal) });

export const useSearchAllEntities = (body: GlobalSearchBody, enabled = true) =>
  useQuery({ ...searchAllEntitiesQueryOptions(body), enabled, placeholderData: keepPreviousData });
