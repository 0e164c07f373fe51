import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { ApiClient } from '../../../lib/contract-types.ts';

export const getApiClients = async (signal?: AbortSignal) => (await api<{ ok: true; clients: ApiClient[] }>('/v1/api-clients', { signal })).clients;
export const getApiClientsQueryOptions = () => queryOptions({ queryKey: ['api-clients'], queryFn: ({ signal }) => getApiClients(signal) });
export const useApiClients = () => useQuery(getApiClientsQueryOptions());
