import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { User } from '@portolan/contract';
import { api, seg } from '../../../lib/api-client.ts';
import type { UpdateUserBody } from '../../../lib/contract-types.ts';
import { getMeQueryOptions } from '../../auth/api/get-me.ts';
import { getUsersQueryOptions } from './get-users.ts';

export const updateUser = async ({ id, body }: { id: string; body: UpdateUserBody }) =>
  (await api<{ ok: true; user: User }>(`/v1/users/${seg(id)}`, { method: 'PATCH', body })).user;

export const useUpdateUser = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateUser,
    // An admin may change themself: what the UI offers follows /v1/auth/me.
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: getUsersQueryOptions().queryKey }),
        qc.invalidateQueries({ queryKey: ['teams'] }),
        qc.invalidateQueries({ queryKey: getMeQueryOptions().queryKey }),
      ]),
  });
};
