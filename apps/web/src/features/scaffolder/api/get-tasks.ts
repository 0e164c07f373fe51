import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { TaskListQuery, TaskListResponse } from '../types.ts';

export const getTasks = (query: TaskListQuery & { from?: string }, signal?: AbortSignal) =>
  api<TaskListResponse>('/v1/scaffolder/tasks', { signal, query: { ...query } });

/** Keyset pages, newest first: each page's `next` is the following page's `from`. */
export const getTasksInfiniteQueryOptions = (query: TaskListQuery) =>
  infiniteQueryOptions({
    queryKey: ['scaffolder', 'tasks', 'list', query],
    queryFn: ({ signal, pageParam }) => getTasks({ ...query, ...(pageParam ? { from: pageParam } : {}) }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });

export const useTasks = (query: TaskListQuery) => useInfiniteQuery({ ...getTasksInfiniteQueryOptions(query), placeholderData: keepPreviousData });
