import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { blueprintPermissionsResponseSchema } from '@portolan/contract';
import { api, seg } from '../../../lib/api-client.ts';

type BlueprintPermissionsResponse = z.infer<typeof blueprintPermissionsResponseSchema>;

export const getBlueprintPermissions = async (blueprint: string, signal?: AbortSignal) =>
  (await api<BlueprintPermissionsResponse>(`/v1/blueprints/${seg(blueprint)}/permissions`, { signal })).permissions;

export const getBlueprintPermissionsQueryOptions = (blueprint: string) =>
  queryOptions({ queryKey: ['blueprints', blueprint, 'permissions'], queryFn: ({ signal }) => getBlueprintPermissions(blueprint, signal), staleTime: 60_000 });

export const useBlueprintPermissions = (blueprint: string, enabled = true) =>
  useQuery({ ...getBlueprintPermissionsQueryOptions(blueprint), enabled: enabled && blueprint !== '' });
