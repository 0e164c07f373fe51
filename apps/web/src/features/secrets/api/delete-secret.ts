import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import { getSecretsQueryOptions } from './get-secrets.ts';

export const deleteSecret = (name: string) => api<{ ok: true }>(`/v1/secrets/${seg(name)}`, { method: 'DELETE' });

export const useDeleteSecret = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deleteSecret, onSuccess: () => qc.invalidateQueries({ queryKey: getSecretsQueryOptions().queryKey }) });
};
