import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { User } from '@portolan/contract';
import { api } from '../../../lib/api-client.ts';
import type { CreateUserBody } from '../../../lib/contract-types.ts';
import { getUsersQueryOptions } from './get-users.ts';

export const createUser = async (body: CreateUserBody) => (await api<{ ok: true; user: User }>('/v1/users', { method: 'POST', body })).user;

export const useCreateUser = () => {
  const qc = useQueryClient();
  // Teams list their members: both change.
  return useMutation({ mutationFn: createUser, onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: getUsersQueryOptions().queryKey }), qc.invalidateQueries({ queryKey: ['teams'] })]) });
};
