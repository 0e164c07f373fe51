import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { PutSecretBody, SecretMeta } from '../../../lib/contract-types.ts';
import { getSecretsQueryOptions } from './get-secrets.ts';

export const putSecret = async ({ name, body }: { name: string; body: PutSecretBody }) =>
  (await api<{ ok: true; secret: SecretMeta }>(`/v1/secrets/${seg(name)}`, { method: 'PUT', body })).secret;

export const usePutSecret = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: putSecret, onSuccess: () => qc.invalidateQueries({ queryKey: getSecretsQueryOptions().queryKey }) });
};
