import type { Kysely } from 'kysely';
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

/** Audit rows are written in the same transaction as the change they describe. */
export async function insertAuditRecords(db: Kysely<Database>, records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  await db
    .insertInto('audit_log')
    .values(
      records.map((r) => ({
        actor: r.actor,
        request_id: r.requestId,
        action: r.action,
        resource_type: r.resourceType,
        resource_id: r.resourceId,
        blueprint: r.blueprint ?? null,
        before: r.before === undefined || r.before === null ? null : JSON.stringify(r.before),
        after: r.after === undefined || r.after === null ? null : JSON.stringify(r.after),
      })),
    )
    .execute();
}
