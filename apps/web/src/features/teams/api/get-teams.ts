import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Team } from '@portolan/contract';
import { api } from '../../../lib/api-client.ts';

export const getTeams = async (signal?: AbortSignal) => (await api<{ ok: true; teams: Team[] }>('/v1/teams', { signal })).teams;
export const getTeamsQueryOptions = () => queryOptions({ queryKey: ['teams'], queryFn: ({ signal }) => getTeams(signal) });
export const useTeams = (enabled = true) => useQuery({ ...getTeamsQueryOptions(), enabled });
