import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { BlueprintListResponse } from '../../../lib/contract-types.ts';

export const getBlueprints = async (signal?: AbortSignal) =>
  (await api<BlueprintListResponse>('/v1/blueprints', { signal })).blueprints;

export const getBlueprintsQueryOptions = () =>
  queryOptions({ queryKey: ['blueprints'], queryFn: ({ signal }) => getBlueprints(signal), staleTime: 60_000 });

export const useBlueprints = () => useQuery(getBlueprintsQueryOptions());
