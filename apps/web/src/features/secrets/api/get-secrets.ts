import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { SecretMeta } from '../../../lib/contract-types.ts';

/** Names and descriptions only: no API ever returns a secret's value. */
export const getSecrets = async (signal?: AbortSignal) => (await api<{ ok: true; secrets: SecretMeta[] }>('/v1/secrets', { signal })).secrets;
export const getSecretsQueryOptions = () => queryOptions({ queryKey: ['secrets'], queryFn: ({ signal }) => getSecrets(signal) });
export const useSecrets = () => useQuery(getSecretsQueryOptions());
