import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { AuditFilters, AuditListResponse } from '../../../lib/contract-types.ts';

export const getAuditLog = (filters: AuditFilters, cursor: string | undefined, limit: number, signal?: AbortSignal) =>
  api<AuditListResponse>('/v1/audit-log', { query: { ...filters, limit, cursor }, signal });

/** Newest first; the server's keyset cursor (`next`) fetches the following page. */
export const getAuditLogQueryOptions = (filters: AuditFilters, limit = 50) =>
  infiniteQueryOptions({
    queryKey: ['audit-log', filters, limit],
    queryFn: ({ pageParam, signal }) => getAuditLog(filters, pageParam, limit, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    // A log is read right after the change it should show (an entity saved, a user edited).
    staleTime: 0,
  });

export const useAuditLog = (filters: AuditFilters, limit?: number) => useInfiniteQuery(getAuditLogQueryOptions(filters, limit));
