import type { Kysely } from 'kysely';
import type { BlueprintPermissions } from '@portolan/contract';
import type { Database } from '../../db/schema.ts';
import { NotFoundError } from '../../plugins/errors.ts';
import { insertAuditRecords } from '../audit/audit.repository.ts';
import type { Actor } from '../request-context.ts';
import { defaultBlueprintPermissions } from './principal.ts';

export async function loadBlueprintPermissions(db: Kysely<Database>, blueprint: string): Promise<BlueprintPermissions> {
  const row = await db.selectFrom('blueprint_permissions').select('entities').where('blueprint', '=', blueprint).executeTakeFirst();
  return row ? { entities: row.entities as BlueprintPermissions['entities'] } : defaultBlueprintPermissions();
}

/** Every blueprint's stored rules in one read; blueprints without a row get the defaults. */
export async function loadAllBlueprintPermissions(db: Kysely<Database>): Promise<(blueprint: string) => BlueprintPermissions> {
  const rows = await db.selectFrom('blueprint_permissions').select(['blueprint', 'entities']).execute();
  const stored = new Map(rows.map((r) => [r.blueprint, { entities: r.entities as BlueprintPermissions['entities'] }]));
  return (blueprint) => stored.get(blueprint) ?? defaultBlueprintPermissions();
}

export class PermissionsService {
  constructor(private readonly db: Kysely<Database>) {}

  async get(blueprint: string): Promise<BlueprintPermissions> {
    await this.assertBlueprint(blueprint);
    return loadBlueprintPermissions(this.db, blueprint);
  }

  async put(blueprint: string, permissions: BlueprintPermissions, actor: Actor): Promise<BlueprintPermissions> {
    await this.assertBlueprint(blueprint);
    return this.db.transaction().execute(async (trx) => {
      const before = await loadBlueprintPermissions(trx, blueprint);
      await trx
        .insertInto('blueprint_permissions')
        .values({ blueprint, entities: JSON.stringify(permissions.entities), updated_by: actor.id })
        .onConflict((oc) => oc.column('blueprint').doUpdateSet({ entities: JSON.stringify(permissions.entities), updated_by: actor.id, updated_at: new Date() }))
        .execute();
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'update', resourceType: 'blueprint_permissions', resourceId: blueprint, blueprint, before, after: permissions }]);
      return permissions;
    });
  }

  private async assertBlueprint(blueprint: string): Promise<void> {
    const row = await this.db.selectFrom('blueprints').select('identifier').where('identifier', '=', blueprint).executeTakeFirst();
    if (!row) throw new NotFoundError(`Blueprint "${blueprint}" not found`);
  }
}
