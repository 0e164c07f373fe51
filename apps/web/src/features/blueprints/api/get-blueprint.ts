import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { BlueprintResponse } from '../../../lib/contract-types.ts';

export const getBlueprint = async (blueprint: string, signal?: AbortSignal) =>
  (await api<BlueprintResponse>(`/v1/blueprints/${seg(blueprint)}`, { signal })).blueprint;

export const getBlueprintQueryOptions = (blueprint: string) =>
  queryOptions({ queryKey: ['blueprints', blueprint], queryFn: ({ signal }) => getBlueprint(blueprint, signal), staleTime: 60_000 });

export const useBlueprint = (blueprint: string, enabled = true) =>
  useQuery({ ...getBlueprintQueryOptions(blueprint), enabled: enabled && blueprint !== '' });
