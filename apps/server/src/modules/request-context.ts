import type { Principal } from './identity/principal.ts';

/**
 * Who is acting and under which request id. `principal` is absent for the system itself (example
 * loading, background jobs), which is allowed everything; services check it for every write.
 */
export interface Actor {
  id: string;
  requestId: string | null;
  principal?: Principal;
}

export const SYSTEM_ACTOR_ID = 'portolan:system';
