import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import { getBlueprintsQueryOptions } from './get-blueprints.ts';

export const deleteBlueprint = ({ blueprint, deleteEntities }: { blueprint: string; deleteEntities: boolean }) =>
  api<{ ok: true; deletedEntities: number }>(`/v1/blueprints/${seg(blueprint)}`, {
    method: 'DELETE',
    query: deleteEntities ? { delete_entities: 'true' } : undefined,
  });

export const useDeleteBlueprint = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteBlueprint,
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: getBlueprintsQueryOptions().queryKey }), qc.invalidateQueries({ queryKey: ['entities'] })]),
  });
};
