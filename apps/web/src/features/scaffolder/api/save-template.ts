import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { PutTemplateBody, TemplateResponse } from '../types.ts';

/** Create or replace a template; files are kept when not sent. */
export const saveTemplate = async ({ name, body }: { name: string; body: PutTemplateBody }) =>
  (await api<TemplateResponse>(`/v1/scaffolder/templates/${seg(name)}`, { method: 'PUT', body })).template;

export const useSaveTemplate = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: saveTemplate,
    onSuccess: () => qc.invalidateQueries({ queryKey: ['scaffolder', 'templates'] }),
  });
};
