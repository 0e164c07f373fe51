import { queryOptions, useQuery } from '@tanstack/react-query';
import type { User } from '@portolan/contract';
import { api } from '../../../lib/api-client.ts';

export const getUsers = async (signal?: AbortSignal) => (await api<{ ok: true; users: User[] }>('/v1/users', { signal })).users;
export const getUsersQueryOptions = () => queryOptions({ queryKey: ['users'], queryFn: ({ signal }) => getUsers(signal) });
export const useUsers = (enabled = true) => useQuery({ ...getUsersQueryOptions(), enabled });
