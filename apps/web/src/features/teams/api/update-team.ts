import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Team } from '@portolan/contract';
import { api, seg } from '../../../lib/api-client.ts';
import type { UpdateTeamBody } from '../../../lib/contract-types.ts';
import { getMeQueryOptions } from '../../auth/api/get-me.ts';
import { getTeamsQueryOptions } from './get-teams.ts';

export const updateTeam = async ({ team, body }: { team: string; body: UpdateTeamBody }) =>
  (await api<{ ok: true; team: Team }>(`/v1/teams/${seg(team)}`, { method: 'PATCH', body })).team;

export const useUpdateTeam = () => {
  const qc = useQueryClient();
  // Members changed: users' team lists (and maybe the admin's own) too.
  return useMutation({
    mutationFn: updateTeam,
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: getTeamsQueryOptions().queryKey }),
        qc.invalidateQueries({ queryKey: ['users'] }),
        qc.invalidateQueries({ queryKey: getMeQueryOptions().queryKey }),
      ]),
  });
};
