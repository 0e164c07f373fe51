import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.ts';

export const signOut = () => api<{ ok: true }>('/v1/auth/sign-out', { method: 'POST' });

export const useSignOut = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    onSettled: () => {
      setCsrfToken(null);
      qc.clear();
    },
  });
};
