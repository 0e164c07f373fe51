import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { ApiClientCreatedResponse, CreateApiClientBody } from '../../../lib/contract-types.ts';
import { getApiClientsQueryOptions } from './get-api-clients.ts';

/** Answers the client with its secret: the only time the secret is ever shown. */
export const createApiClient = (body: CreateApiClientBody) => api<ApiClientCreatedResponse>('/v1/api-clients', { method: 'POST', body });

export const useCreateApiClient = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: createApiClient, onSuccess: () => qc.invalidateQueries({ queryKey: getApiClientsQueryOptions().queryKey }) });
};
