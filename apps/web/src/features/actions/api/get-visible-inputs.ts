import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';

// Inputs with a `visible: {jqQuery}` rule are shown or hidden by the server, which evaluates the
// rule with jq over the values entered so far (the browser cannot run jq under our CSP).
export const getVisibleInputs = async (action: string, body: { entity?: string; properties: Record<string, unknown> }, signal?: AbortSignal) =>
  (await api<{ ok: true; visible: string[] }>(`/v1/actions/${seg(action)}/visible-inputs`, { method: 'POST', body, signal })).visible;

export const useVisibleInputs = (action: string, entity: string | null, properties: Record<string, unknown>, enabled: boolean) =>
  useQuery({
    queryKey: ['actions', 'visible', action, entity, properties],
    queryFn: ({ signal }) => getVisibleInputs(action, { ...(entity ? { entity } : {}), properties }, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
