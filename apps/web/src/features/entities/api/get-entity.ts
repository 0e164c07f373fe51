import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest, seg } from '../../../lib/api-client.ts';
import type { EntityResponse } from '../../../lib/contract-types.ts';

/** The entity and its ETag (the version an edit must send back in If-Match). */
export const getEntity = async (blueprint: string, identifier: string, signal?: AbortSignal) => {
  const res = await apiRequest<EntityResponse>(`/v1/blueprints/${seg(blueprint)}/entities/${seg(identifier)}`, { signal });
  return { entity: res.data.entity, etag: res.etag };
};

export const getEntityQueryOptions = (blueprint: string, identifier: string) =>
  queryOptions({ queryKey: ['entities', blueprint, 'detail', identifier], queryFn: ({ signal }) => getEntity(blueprint, identifier, signal) });

export const useEntity = (blueprint: string, identifier: string, enabled = true) =>
  useQuery({ ...getEntityQueryOptions(blueprint, identifier), enabled: enabled && identifier !== '' });
