import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { ApprovalBody, RunResponse } from '../types.ts';

/** Approve or decline a run waiting for approval (with a reason). */
export const decideRun = async ({ id, body }: { id: string; body: ApprovalBody }) =>
  (await api<RunResponse>(`/v1/actions/runs/${seg(id)}/approval`, { method: 'PATCH', body })).run;

export const useDecideRun = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: decideRun,
    onSuccess: (run) => {
      qc.setQueryData(['actions', 'runs', 'detail', run.id], run);
      return qc.invalidateQueries({ queryKey: ['actions', 'runs'] });
    },
  });
};
