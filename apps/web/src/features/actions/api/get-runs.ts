import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { RunListResponse } from '../types.ts';

export interface RunFilters {
  mine?: boolean;
  active?: boolean;
  action?: string;
  entity?: string;
  blueprint?: string;
}

export const getRuns = async (f: RunFilters, signal?: AbortSignal) =>
  (
    await api<RunListResponse>('/v1/actions/runs', {
      query: { mine: f.mine ? 'true' : undefined, active: f.active === undefined ? undefined : String(f.active), action: f.action, entity: f.entity, blueprint: f.blueprint, limit: 200 },
      signal,
    })
  ).runs;

export const getRunsQueryOptions = (f: RunFilters) =>
  queryOptions({ queryKey: ['actions', 'runs', 'list', f], queryFn: ({ signal }) => getRuns(f, signal), refetchInterval: 5000 });

export const useRuns = (f: RunFilters) => useQuery(getRunsQueryOptions(f));
