import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { TaskResponse } from '../types.ts';

export const cancelTask = async (id: string) => (await api<TaskResponse>(`/v1/scaffolder/tasks/${seg(id)}/cancel`, { method: 'POST' })).task;

export const useCancelTask = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: cancelTask,
    onSuccess: (task) => {
      qc.setQueryData(['scaffolder', 'tasks', 'detail', task.id], task);
      return qc.invalidateQueries({ queryKey: ['scaffolder', 'tasks', 'list'] });
    },
  });
};
