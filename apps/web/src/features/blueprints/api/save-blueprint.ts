import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { BlueprintInput } from '@portolan/contract';
import { api, seg } from '../../../lib/api-client.ts';
import type { BlueprintResponse } from '../../../lib/contract-types.ts';
import { getBlueprintsQueryOptions } from './get-blueprints.ts';

/** Creates (original = null) or replaces a blueprint. */
export const saveBlueprint = async ({ original, input }: { original: string | null; input: BlueprintInput }) =>
  original === null
    ? (await api<BlueprintResponse>('/v1/blueprints', { method: 'POST', body: input })).blueprint
    : (await api<BlueprintResponse>(`/v1/blueprints/${seg(original)}`, { method: 'PUT', body: input })).blueprint;

export const useSaveBlueprint = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: saveBlueprint,
    // Every blueprint-derived view (navigation, tables, forms, entity pages) reads under ['blueprints'].
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: getBlueprintsQueryOptions().queryKey }), qc.invalidateQueries({ queryKey: ['entities'] })]),
  });
};
