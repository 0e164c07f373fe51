import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { actionResponseSchema } from '@portolan/contract';
import { api, seg } from '../../../lib/api-client.ts';

type ActionResponse = z.infer<typeof actionResponseSchema>;

export const getAction = async (id: string, signal?: AbortSignal) => (await api<ActionResponse>(`/v1/actions/${seg(id)}`, { signal })).action;

export const getActionQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['actions', 'detail', id], queryFn: ({ signal }) => getAction(id, signal), staleTime: 60_000, retry: false });

export const useAction = (id: string, enabled = true) => useQuery({ ...getActionQueryOptions(id), enabled: enabled && id !== '' });
