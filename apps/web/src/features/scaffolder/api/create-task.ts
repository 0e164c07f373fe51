import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { TaskResponse } from '../types.ts';

export const createTask = async (body: { templateName: string; parameters: Record<string, unknown> }) =>
  (await api<TaskResponse>('/v1/scaffolder/tasks', { method: 'POST', body })).task;

export const useCreateTask = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createTask,
    onSuccess: (task) => {
      qc.setQueryData(['scaffolder', 'tasks', 'detail', task.id], task);
      return qc.invalidateQueries({ queryKey: ['scaffolder', 'tasks', 'list'] });
    },
  });
};
