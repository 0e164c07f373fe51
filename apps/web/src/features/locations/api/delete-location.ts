import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import { getLocationsQueryOptions } from './get-locations.ts';

export const deleteLocation = async (id: string) => api<{ ok: true }>(`/v1/locations/${seg(id)}`, { method: 'DELETE' });

export const useDeleteLocation = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deleteLocation, onSuccess: () => qc.invalidateQueries({ queryKey: getLocationsQueryOptions().queryKey }) });
};
