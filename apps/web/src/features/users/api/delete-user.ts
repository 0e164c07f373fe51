import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import { getUsersQueryOptions } from './get-users.ts';

export const deleteUser = (id: string) => api<{ ok: true }>(`/v1/users/${seg(id)}`, { method: 'DELETE' });

export const useDeleteUser = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deleteUser, onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: getUsersQueryOptions().queryKey }), qc.invalidateQueries({ queryKey: ['teams'] })]) });
};
