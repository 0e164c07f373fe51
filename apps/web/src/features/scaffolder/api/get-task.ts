import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { TaskResponse } from '../types.ts';

export const getTask = async (id: string, signal?: AbortSignal) => (await api<TaskResponse>(`/v1/scaffolder/tasks/${seg(id)}`, { signal })).task;

export const getTaskQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['scaffolder', 'tasks', 'detail', id], queryFn: ({ signal }) => getTask(id, signal) });

export const useTask = (id: string) => useQuery(getTaskQueryOptions(id));
