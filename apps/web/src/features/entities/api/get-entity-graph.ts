import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { GraphQuery, GraphResponse } from '../../../lib/contract-types.ts';

export const getEntityGraph = (blueprint: string, identifier: string, query: GraphQuery, signal?: AbortSignal) =>
  api<GraphResponse>(`/v1/blueprints/${seg(blueprint)}/entities/${seg(identifier)}/graph`, {
    signal,
    query: { depth: query.depth, direction: query.direction, maxNodes: query.maxNodes },
  });

export const getEntityGraphQueryOptions = (blueprint: string, identifier: string, query: GraphQuery) =>
  queryOptions({
    queryKey: ['entities', blueprint, 'graph', identifier, query],
    queryFn: ({ signal }) => getEntityGraph(blueprint, identifier, query, signal),
  });

export const useEntityGraph = (blueprint: string, identifier: string, query: GraphQuery) =>
  useQuery({ ...getEntityGraphQueryOptions(blueprint, identifier, query), placeholderData: keepPreviousData });
