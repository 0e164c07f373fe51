import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { getMeQueryOptions } from './get-me.ts';

export const changePassword = (body: { password: string }) => api<{ ok: true }>('/v1/auth/password', { method: 'POST', body });

export const useChangePassword = () => {
  const qc = useQueryClient();
  // `hasPassword` on /v1/auth/me decides whether home asks to set one.
  return useMutation({ mutationFn: changePassword, onSuccess: () => qc.invalidateQueries({ queryKey: getMeQueryOptions().queryKey }) });
};
