import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import { getTeamsQueryOptions } from './get-teams.ts';

export const deleteTeam = (team: string) => api<{ ok: true }>(`/v1/teams/${seg(team)}`, { method: 'DELETE' });

export const useDeleteTeam = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deleteTeam, onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: getTeamsQueryOptions().queryKey }), qc.invalidateQueries({ queryKey: ['users'] })]) });
};
