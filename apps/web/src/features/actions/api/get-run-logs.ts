import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import { POLL_MS } from './get-run.ts';
import type { RunLogsResponse } from '../types.ts';

export const getRunLogs = async (id: string, signal?: AbortSignal) =>
  (await api<RunLogsResponse>(`/v1/actions/runs/${seg(id)}/logs`, { query: { limit: 1000 }, signal })).logs;

export const getRunLogsQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['actions', 'runs', 'logs', id], queryFn: ({ signal }) => getRunLogs(id, signal) });

/** Polls while the run is active; the run page refetches once more when it ends. */
export const useRunLogs = (id: string, active: boolean) => useQuery({ ...getRunLogsQueryOptions(id), refetchInterval: active ? POLL_MS : false });
