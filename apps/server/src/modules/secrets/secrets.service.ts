import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { NotFoundError } from '../../plugins/errors.ts';
import { insertAuditRecords } from '../audit/audit.repository.ts';
import type { Actor } from '../request-context.ts';
import { Redactor } from './redactor.ts';
import type { SecretBox } from './secret-box.ts';

/**
 * Values that must never sit in Git (GitHub tokens, webhook signing keys). Stored sealed; the API
 * only ever returns names and metadata. Templates and actions read values by name through
 * `reveal`, and every log they write goes through `redactor`.
 */
export class SecretsService {
  readonly redactor = new Redactor();

  constructor(private readonly db: Kysely<Database>, private readonly box: SecretBox) {}

  async list() {
    const rows = await this.db.selectFrom('secrets').select(['name', 'description', 'created_at', 'created_by', 'updated_at', 'updated_by']).orderBy('name').execute();
    return rows.map(toMeta);
  }

  async put(name: string, value: string, description: string | undefined, actor: Actor) {
    const row = await this.db.transaction().execute(async (trx) => {
      const existed = await trx.selectFrom('secrets').select('name').where('name', '=', name).executeTakeFirst();
      const sealed = this.box.seal(name, value);
      const saved = await trx
        .insertInto('secrets')
        .values({ name, sealed, description: description ?? null, created_by: actor.id, updated_by: actor.id })
        .onConflict((oc) => oc.column('name').doUpdateSet({ sealed, description: description ?? null, updated_by: actor.id, updated_at: sql`now()` }))
        .returning(['name', 'description', 'created_at', 'created_by', 'updated_at', 'updated_by'])
        .executeTakeFirstOrThrow();
      // The audit log records that the value changed, never the value.
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: existed ? 'update' : 'create', resourceType: 'secret', resourceId: name, after: { name, description: description ?? null } }]);
      return saved;
    });
    await this.refreshRedactor();
    return toMeta(row);
  }

  async delete(name: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const r = await trx.deleteFrom('secrets').where('name', '=', name).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw new NotFoundError(`Secret "${name}" not found`);
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'delete', resourceType: 'secret', resourceId: name }]);
    });
    await this.refreshRedactor();
  }

  /** For templates and actions running on the server; never exposed through a route. */
  async reveal(name: string): Promise<string> {
    const row = await this.db.selectFrom('secrets').select('sealed').where('name', '=', name).executeTakeFirst();
    if (!row) throw new NotFoundError(`Secret "${name}" not found`);
    return this.box.open(name, row.sealed);
  }

  async refreshRedactor(): Promise<void> {
    const rows = await this.db.selectFrom('secrets').select(['name', 'sealed']).execute();
    this.redactor.set(rows.map((r) => ({ name: r.name, value: this.box.open(r.name, r.sealed) })));
  }
}

function toMeta(r: { name: string; description: string | null; created_at: Date; created_by: string; updated_at: Date; updated_by: string }) {
  return { name: r.name, description: r.description, createdAt: r.created_at.toISOString(), createdBy: r.created_by, updatedAt: r.updated_at.toISOString(), updatedBy: r.updated_by };
}
