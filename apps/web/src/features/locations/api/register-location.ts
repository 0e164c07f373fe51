import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Location, LocationRefresh } from '@portolan/contract';
import { api } from '../../../lib/api-client.ts';
import { getLocationsQueryOptions } from './get-locations.ts';

export const registerLocation = async (url: string) => api<{ ok: true; location: Location; refresh: LocationRefresh }>('/v1/locations', { method: 'POST', body: { url } });

export const useRegisterLocation = () => {
  const qc = useQueryClient();
  // A refresh writes entities: every catalog view may have changed.
  return useMutation({ mutationFn: registerLocation, onSuccess: () => { void qc.invalidateQueries(); } });
};

export { getLocationsQueryOptions };
