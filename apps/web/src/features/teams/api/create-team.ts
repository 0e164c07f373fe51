import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Team } from '@portolan/contract';
import { api } from '../../../lib/api-client.ts';
import type { CreateTeamBody } from '../../../lib/contract-types.ts';
import { getTeamsQueryOptions } from './get-teams.ts';

export const createTeam = async (body: CreateTeamBody) => (await api<{ ok: true; team: Team }>('/v1/teams', { method: 'POST', body })).team;

export const useCreateTeam = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: createTeam, onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: getTeamsQueryOptions().queryKey }), qc.invalidateQueries({ queryKey: ['users'] })]) });
};
