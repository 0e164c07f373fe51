import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { BlueprintStatsResponse } from '../../../lib/contract-types.ts';

export const getBlueprintStats = (blueprint: string, signal?: AbortSignal) =>
  api<BlueprintStatsResponse>(`/v1/blueprints/${seg(blueprint)}/stats`, { signal });

export const getBlueprintStatsQueryOptions = (blueprint: string) =>
  queryOptions({ queryKey: ['blueprints', blueprint, 'stats'], queryFn: ({ signal }) => getBlueprintStats(blueprint, signal) });

export const useBlueprintStats = (blueprint: string, enabled = true) =>
  useQuery({ ...getBlueprintStatsQueryOptions(blueprint), enabled });
