import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface AuditRecord {
  actor: string;
  requestId: string | null;
  action: 'create' | 'update' | 'delete';
  resourceType: 'blueprint' | 'entity' | 'user' | 'team' | 'api_client' | 'secret' | 'blueprint_permissions' | 'location' | 'template' | 'scaffolder_task' | 'action' | 'action_run';
  resourceId: string;
  blueprint?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Audit rows are written in the same transaction as the change they describe. The batch travels
 * as one jsonb parameter (a bulk write audits up to 1,000 entities; binding 8 parameters per row
 * would cost more than the insert).
 */
export async function insertAuditRecords(db: Kysely<Database>, records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  const payload = JSON.stringify(
    records.map((r) => ({
      actor: r.actor,
      request_id: r.requestId,
      action: r.action,
      resource_type: r.resourceType,
      resource_id: r.resourceId,
      blueprint: r.blueprint ?? null,
      before: r.before ?? null,
      after: r.after ?? null,
    })),
  );
  await sql`insert into audit_log (actor, request_id, action, resource_type, resource_id, blueprint, before, after)
    select x.actor, x.request_id, x.action, x.resource_type, x.resource_id, x.blueprint,
      nullif(x.before, 'null'::jsonb), nullif(x.after, 'null'::jsonb)
    from jsonb_to_recordset(${payload}::jsonb)
      as x(actor text, request_id text, action text, resource_type text, resource_id text, blueprint text, before jsonb, after jsonb)`.execute(db);
}
