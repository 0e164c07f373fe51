import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';

export const deleteEntity = ({ blueprint, identifier, etag }: { blueprint: string; identifier: string; etag: string | null }) =>
  api<{ ok: true; deleted: string[] }>(`/v1/blueprints/${seg(blueprint)}/entities/${seg(identifier)}`, {
    method: 'DELETE',
    headers: etag ? { 'if-match': etag } : {},
  });

export const useDeleteEntity = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteEntity,
    onSuccess: (_d, args) => {
      qc.removeQueries({ queryKey: ['entities', args.blueprint, 'detail', args.identifier] });
      return Promise.all([qc.invalidateQueries({ queryKey: ['entities'] }), qc.invalidateQueries({ queryKey: ['blueprints', args.blueprint, 'stats'] })]);
    },
  });
};
