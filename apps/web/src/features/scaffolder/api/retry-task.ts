import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { TaskResponse } from '../types.ts';

/** Continues a failed or cancelled task from the first step that did not succeed. */
export const retryTask = async (id: string) => (await api<TaskResponse>(`/v1/scaffolder/tasks/${seg(id)}/retry`, { method: 'POST' })).task;

export const useRetryTask = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: retryTask,
    onSuccess: (task) => {
      qc.setQueryData(['scaffolder', 'tasks', 'detail', task.id], task);
      return qc.invalidateQueries({ queryKey: ['scaffolder', 'tasks', 'list'] });
    },
  });
};
