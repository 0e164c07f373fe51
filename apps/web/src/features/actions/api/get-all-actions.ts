import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { ActionListResponse } from '../types.ts';

export const getAllActions = async (signal?: AbortSignal) => (await api<ActionListResponse>('/v1/actions', { signal })).actions;
export const getAllActionsQueryOptions = () => queryOptions({ queryKey: ['actions', 'all'], queryFn: ({ signal }) => getAllActions(signal) });
export const useAllActions = () => useQuery(getAllActionsQueryOptions());
