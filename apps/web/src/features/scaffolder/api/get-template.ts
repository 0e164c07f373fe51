import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';
import type { TemplateResponse } from '../types.ts';

/** A template; with `files`, also its skeleton files' contents (the editor validates and previews with them). */
export const getTemplate = async (name: string, files = false, signal?: AbortSignal) =>
  (await api<TemplateResponse>(`/v1/scaffolder/templates/${seg(name)}`, { signal, query: files ? { files: 'true' } : {} })).template;

export const getTemplateQueryOptions = (name: string, files = false) =>
  queryOptions({ queryKey: ['scaffolder', 'templates', 'detail', name, { files }], queryFn: ({ signal }) => getTemplate(name, files, signal) });

export const useTemplate = (name: string, files = false) => useQuery(getTemplateQueryOptions(name, files));
