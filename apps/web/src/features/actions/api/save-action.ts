import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { Action } from '../types.ts';

export const saveAction = async ({ id, body }: { id: string | null; body: Record<string, unknown> }) =>
  (await api<{ ok: true; action: Action }>(id ? `/v1/actions/${seg(id)}` : '/v1/actions', { method: id ? 'PUT' : 'POST', body })).action;

export const deleteAction = async (id: string) => api<{ ok: true }>(`/v1/actions/${seg(id)}`, { method: 'DELETE' });

export const useSaveAction = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: saveAction, onSuccess: () => { void qc.invalidateQueries({ queryKey: ['actions'] }); } });
};

export const useDeleteAction = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deleteAction, onSuccess: () => { void qc.invalidateQueries({ queryKey: ['actions'] }); } });
};
