import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { TemplateListQuery, TemplateListResponse } from '../types.ts';

export const getTemplates = async (query: TemplateListQuery, signal?: AbortSignal) =>
  (await api<TemplateListResponse>('/v1/scaffolder/templates', { signal, query: { q: query.q || undefined, tag: query.tag || undefined, type: query.type || undefined } })).templates;

export const getTemplatesQueryOptions = (query: TemplateListQuery = {}) =>
  queryOptions({ queryKey: ['scaffolder', 'templates', 'list', query], queryFn: ({ signal }) => getTemplates(query, signal) });

export const useTemplates = (query: TemplateListQuery = {}) => useQuery({ ...getTemplatesQueryOptions(query), placeholderData: keepPreviousData });
