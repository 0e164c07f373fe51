import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { CreateRunBody, RunResponse } from '../types.ts';

/** POST /v1/actions/{id}/runs: the server checks the inputs (400 with every failing field) and permissions. */
export const createRun = async ({ action, body }: { action: string; body: CreateRunBody }) =>
  (await api<RunResponse>(`/v1/actions/${seg(action)}/runs`, { method: 'POST', body })).run;

export const useCreateRun = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: createRun, onSuccess: () => qc.invalidateQueries({ queryKey: ['actions', 'runs'] }) });
};
