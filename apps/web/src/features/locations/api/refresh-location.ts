import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Location, LocationRefresh } from '@portolan/contract';
import { api, seg } from '../../../lib/api-client.ts';

export const refreshLocation = async (id: string) => api<{ ok: true; location: Location; refresh: LocationRefresh }>(`/v1/locations/${seg(id)}/refresh`, { method: 'POST' });

export const useRefreshLocation = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: refreshLocation, onSuccess: () => { void qc.invalidateQueries(); } });
};
