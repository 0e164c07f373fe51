import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { meResponseSchema } from '@portolan/contract';
import { api, setCsrfToken } from '../../../lib/api-client.ts';

export type MeResponse = z.infer<typeof meResponseSchema>;

/** The signed-in user; also arms the CSRF token every write needs. */
export const getMe = async (signal?: AbortSignal) => {
  const me = await api<MeResponse>('/v1/auth/me', { signal });
  setCsrfToken(me.csrfToken);
  return me;
};

export const getMeQueryOptions = () => queryOptions({ queryKey: ['auth', 'me'], queryFn: ({ signal }) => getMe(signal), staleTime: 5 * 60_000, retry: false });

export const useMe = () => useQuery(getMeQueryOptions());
