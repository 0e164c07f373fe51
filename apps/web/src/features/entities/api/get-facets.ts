import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { FacetsBody, FacetsResponse } from '../../../lib/contract-types.ts';

export const getFacets = (blueprint: string, body: FacetsBody, signal?: AbortSignal) =>
  api<FacetsResponse>(`/v1/blueprints/${seg(blueprint)}/entities/facets`, { method: 'POST', body, signal });

export const getFacetsQueryOptions = (blueprint: string, body: FacetsBody) =>
  queryOptions({ queryKey: ['entities', blueprint, 'facets', body], queryFn: ({ signal }) => getFacets(blueprint, body, signal) });

export const useFacets = (blueprint: string, body: FacetsBody) =>
  useQuery({ ...getFacetsQueryOptions(blueprint, body), placeholderData: keepPreviousData });
