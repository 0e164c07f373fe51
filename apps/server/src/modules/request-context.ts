/**
 * Who is acting and under which request id. Until sign-in exists every change is made by one fixed
 * local identity; the field is already threaded through every write so the audit log stays right.
 */
export interface Actor {
  id: string;
  requestId: string | null;
}

export const LOCAL_ACTOR_ID = 'portolan:local-admin';
export const SYSTEM_ACTOR_ID = 'portolan:system';
