import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import { getApiClientsQueryOptions } from './get-api-clients.ts';

export const deleteApiClient = (clientId: string) => api<{ ok: true }>(`/v1/api-clients/${seg(clientId)}`, { method: 'DELETE' });

export const useDeleteApiClient = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deleteApiClient, onSuccess: () => qc.invalidateQueries({ queryKey: getApiClientsQueryOptions().queryKey }) });
};
