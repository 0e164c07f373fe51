import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Location } from '@portolan/contract';
import { api } from '../../../lib/api-client.ts';

export const getLocations = async (signal?: AbortSignal) => (await api<{ ok: true; locations: Location[] }>('/v1/locations', { signal })).locations;
export const getLocationsQueryOptions = () => queryOptions({ queryKey: ['locations'], queryFn: ({ signal }) => getLocations(signal) });
export const useLocations = () => useQuery(getLocationsQueryOptions());
