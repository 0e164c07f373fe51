import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.ts';
import { getMeQueryOptions, type MeResponse } from './get-me.ts';

export const signIn = async (body: { email: string; password: string }) => {
  const me = await api<MeResponse>('/v1/auth/sign-in', { method: 'POST', body });
  setCsrfToken(me.csrfToken);
  return me;
};

export const useSignIn = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: signIn, onSuccess: (me) => qc.setQueryData(getMeQueryOptions().queryKey, me) });
};
