import type { AuditFilters } from '../../lib/contract-types.ts';

// The audit page's filters live in the URL (shareable, back works); dates are the person's local days.

export interface AuditFilterState {
  resourceType: string;
  actor: string;
  action: string;
  /** YYYY-MM-DD, inclusive */
  from: string;
  /** YYYY-MM-DD, inclusive */
  to: string;
}

const KEYS = ['resourceType', 'actor', 'action', 'from', 'to'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function parseAuditFilters(params: URLSearchParams): AuditFilterState {
  const get = (k: string) => params.get(k)?.trim() ?? '';
  return { resourceType: get('type'), actor: get('actor'), action: get('action'), from: get('from'), to: get('to') };
}

export function serializeAuditFilters(state: AuditFilterState): URLSearchParams {
  const params = new URLSearchParams();
  for (const k of KEYS) {
    const v = state[k].trim();
    if (v) params.set(k === 'resourceType' ? 'type' : k, v);
  }
  return params;
}

/** Local midnight of a YYYY-MM-DD day, as the server's ISO instant. */
function localDayStart(day: string, plusDays = 0): string | undefined {
  if (!DAY.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d + plusDays);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The query the server takes: `to` is exclusive there, so the chosen last day is included by asking up to the next midnight. */
export function toAuditQuery(state: AuditFilterState): AuditFilters {
  const q: AuditFilters = {};
  if (state.resourceType) q.resourceType = state.resourceType;
  if (state.actor) q.actor = state.actor;
  if (state.action) q.action = state.action;
  const from = localDayStart(state.from);
  const to = localDayStart(state.to, 1);
  if (from) q.from = from;
  if (to) q.to = to;
  return q;
}
