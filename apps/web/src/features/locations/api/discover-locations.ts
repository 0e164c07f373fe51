import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Location } from '@portolan/contract';
import { api } from '../../../lib/api-client.ts';

export const discoverLocations = async (org: string) => (await api<{ ok: true; registered: Location[] }>('/v1/locations/discover', { method: 'POST', body: { org } })).registered;

export const useDiscoverLocations = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: discoverLocations, onSuccess: () => { void qc.invalidateQueries(); } });
};
