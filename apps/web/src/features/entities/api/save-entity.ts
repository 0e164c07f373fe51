import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EntityInput } from '@portolan/contract';
import { apiRequest, seg } from '../../../lib/api-client.ts';
import type { EntityResponse } from '../../../lib/contract-types.ts';

export type SaveEntityArgs =
  | { mode: 'create'; blueprint: string; input: EntityInput }
  /** Replace; `etag` is the version the form was loaded from, sent as If-Match so a concurrent change answers 412. */
  | { mode: 'replace'; blueprint: string; identifier: string; input: EntityInput; etag: string | null };

export const saveEntity = async (args: SaveEntityArgs) => {
  const base = `/v1/blueprints/${seg(args.blueprint)}/entities`;
  const res =
    args.mode === 'create'
      ? await apiRequest<EntityResponse>(base, { method: 'POST', body: args.input })
      : await apiRequest<EntityResponse>(`${base}/${seg(args.identifier)}`, {
          method: 'PUT',
          body: args.input,
          headers: args.etag ? { 'if-match': args.etag } : {},
        });
  return { entity: res.data.entity, etag: res.etag };
};

export const useSaveEntity = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: saveEntity,
    onSuccess: (_data, args) => qc.invalidateQueries({ queryKey: ['entities'] }).then(() => qc.invalidateQueries({ queryKey: ['blueprints', args.blueprint, 'stats'] })),
  });
};
