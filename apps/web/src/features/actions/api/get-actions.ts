import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { ActionListResponse } from '../types.ts';

/** The actions that run on a blueprint's entities (DAY-2, DELETE) or create them (CREATE). */
export const getActions = async (blueprint: string, signal?: AbortSignal) => (await api<ActionListResponse>('/v1/actions', { query: { blueprint }, signal })).actions;

export const getActionsQueryOptions = (blueprint: string) =>
  queryOptions({ queryKey: ['actions', 'list', blueprint], queryFn: ({ signal }) => getActions(blueprint, signal), staleTime: 60_000 });

export const useActions = (blueprint: string) => useQuery(getActionsQueryOptions(blueprint));
