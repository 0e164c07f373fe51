import type { Action } from './types.ts';

interface Approver {
  role: string;
  email?: string | null;
  teams: string[];
}

/** The server's approve rule (admins always; else the action's approve rule; without one admins only). */
export function mayApprove(user: Approver | undefined, action: Action | undefined): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  const rule = action?.permissions?.approve;
  if (!rule) return false;
  return Boolean(rule.roles?.includes(user.role as never) || (user.email && rule.users?.includes(user.email)) || rule.teams?.some((t) => user.teams.includes(t)));
}
