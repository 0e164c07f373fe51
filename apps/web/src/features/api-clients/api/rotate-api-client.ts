import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { ApiClientCreatedResponse } from '../../../lib/contract-types.ts';
import { getApiClientsQueryOptions } from './get-api-clients.ts';

/** A new secret replaces the old one at once; the answer holds it, once. */
export const rotateApiClient = (clientId: string) => api<ApiClientCreatedResponse>(`/v1/api-clients/${seg(clientId)}/rotate`, { method: 'POST' });

export const useRotateApiClient = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: rotateApiClient, onSuccess: () => qc.invalidateQueries({ queryKey: getApiClientsQueryOptions().queryKey }) });
};
