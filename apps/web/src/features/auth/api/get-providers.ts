import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export interface Providers {
  ok: true;
  password: true;
  oidc: { name: string; url: string } | null;
}

export const getProviders = (signal?: AbortSignal) => api<Providers>('/v1/auth/providers', { signal });
export const getProvidersQueryOptions = () => queryOptions({ queryKey: ['auth', 'providers'], queryFn: ({ signal }) => getProviders(signal), staleTime: Infinity });
export const useProviders = () => useQuery(getProvidersQueryOptions());
