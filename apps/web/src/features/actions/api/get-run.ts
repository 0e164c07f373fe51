import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { Run, RunResponse, RunStatus } from '../types.ts';

export const POLL_MS = 2000;
export const isActive = (status: RunStatus | undefined): boolean => status === 'IN_PROGRESS' || status === 'WAITING_FOR_APPROVAL';

export const getRun = async (id: string, signal?: AbortSignal) => (await api<RunResponse>(`/v1/actions/runs/${seg(id)}`, { signal })).run;

/** Refreshes every 2 s until the run has ended. */
export const getRunQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ['actions', 'runs', 'detail', id],
    queryFn: ({ signal }) => getRun(id, signal),
    refetchInterval: (query) => (query.state.data && !isActive((query.state.data as Run).status) ? false : POLL_MS),
  });

export const useRun = (id: string) => useQuery(getRunQueryOptions(id));
