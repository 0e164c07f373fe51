import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { ActionsResponse } from '../types.ts';

/** Built-in actions, and what to configure when GitHub is not. */
export const getActions = (signal?: AbortSignal) => api<ActionsResponse>('/v1/scaffolder/actions', { signal });

export const getActionsQueryOptions = () =>
  queryOptions({ queryKey: ['scaffolder', 'actions'], queryFn: ({ signal }) => getActions(signal), staleTime: 5 * 60_000 });

export const useActions = () => useQuery(getActionsQueryOptions());
