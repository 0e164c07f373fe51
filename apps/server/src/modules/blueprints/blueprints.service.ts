import type { Kysely } from 'kysely';
import { compileEntityValidator, diffBlueprint, validateBlueprint, type BlueprintChange } from '@portolan/catalog-model';
import { blueprintInputSchema, type Blueprint, type BlueprintDefinition } from '@portolan/contract';
import type { Database } from '../../db/schema.ts';
import { ConflictError, InvalidError, NotFoundError, problemsFromZod } from '../../plugins/errors.ts';
import { insertAuditRecords } from '../audit/audit.repository.ts';
import type { Actor } from '../request-context.ts';
import { toBlueprint, toBlueprintDefinition, toBlueprintRow } from './blueprints.mapper.ts';
import * as repo from './blueprints.repository.ts';

export class BlueprintsService {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<Blueprint[]> {
    return (await repo.findAllBlueprints(this.db)).map(toBlueprint);
  }

  async get(identifier: string): Promise<Blueprint> {
    const row = await repo.findBlueprint(this.db, identifier);
    if (!row) throw new NotFoundError(`Blueprint "${identifier}" not found`);
    return toBlueprint(row);
  }

  async stats(identifier: string): Promise<{ entityCount: number; relatedFrom: { blueprint: string; relation: string }[] }> {
    await this.get(identifier);
    const all = (await repo.findAllBlueprints(this.db)).map(toBlueprintDefinition);
    return {
      entityCount: await repo.countEntities(this.db, identifier),
      relatedFrom: relationsTargeting(all, identifier).filter((r) => r.blueprint !== identifier),
    };
  }

  async create(input: BlueprintDefinition, actor: Actor): Promise<Blueprint> {
    return this.db.transaction().execute(async (trx) => {
      const others = await loadOthers(trx, input.identifier);
      if (await repo.findBlueprint(trx, input.identifier)) {
        throw new ConflictError(`Blueprint "${input.identifier}" already exists`);
      }
      assertValid(input, others);
      const row = await repo.insertBlueprint(trx, toBlueprintRow(input, actor.id));
      const created = toBlueprint(row);
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'create', resourceType: 'blueprint', resourceId: input.identifier, after: created }]);
      return created;
    });
  }

  /** Replace a blueprint's definition (PUT), refusing changes that would break stored entities. */
  async replace(identifier: string, input: BlueprintDefinition, actor: Actor): Promise<Blueprint> {
    if (input.identifier !== identifier) {
      throw new InvalidError('Renaming a blueprint is not supported', [{ path: 'identifier', message: `must be "${identifier}" (the blueprint in the URL)` }]);
    }
    return this.db.transaction().execute(async (trx) => {
      const current = await repo.findBlueprint(trx, identifier, { forUpdate: true });
      if (!current) throw new NotFoundError(`Blueprint "${identifier}" not found`);
      const before = toBlueprintDefinition(current);
      const others = await loadOthers(trx, identifier);
      assertValid(input, others);
      assertDependentsStillValid(input, others);
      await applyDataChanges(trx, before, input, diffBlueprint(before, input));
      const row = await repo.updateBlueprint(trx, identifier, toBlueprintRow(input, actor.id));
      const updated = toBlueprint(row);
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'update', resourceType: 'blueprint', resourceId: identifier, before: toBlueprint(current), after: updated }]);
      return updated;
    });
  }

  /** PATCH: top-level fields sent replace the stored ones; the result goes through the same checks as PUT. */
  async patch(identifier: string, patch: Record<string, unknown>, actor: Actor): Promise<Blueprint> {
    const current = await this.get(identifier);
    const { createdAt: _ca, createdBy: _cb, updatedAt: _ua, updatedBy: _ub, ...definition } = current;
    const merged = blueprintInputSchema.safeParse({ ...definition, ...patch, identifier });
    if (!merged.success) throw new InvalidError('Invalid blueprint', problemsFromZod(merged.error.issues));
    return this.replace(identifier, merged.data, actor);
  }

  async delete(identifier: string, opts: { deleteEntities: boolean }, actor: Actor): Promise<{ deletedEntities: number }> {
    return this.db.transaction().execute(async (trx) => {
      const current = await repo.findBlueprint(trx, identifier, { forUpdate: true });
      if (!current) throw new NotFoundError(`Blueprint "${identifier}" not found`);
      const all = (await repo.findAllBlueprints(trx)).map(toBlueprintDefinition);
      const targeting = relationsTargeting(all, identifier).filter((r) => r.blueprint !== identifier);
      if (targeting.length > 0) {
        const names = targeting.map((r) => `${r.blueprint}.${r.relation}`);
        throw new ConflictError(
          `Blueprint "${identifier}" is the target of relations in other blueprints: ${names.join(', ')}. Remove those relations first.`,
          names,
        );
      }
      const count = await repo.countEntities(trx, identifier);
      if (count > 0 && !opts.deleteEntities) {
        throw new ConflictError(`Blueprint "${identifier}" has ${count} entities; delete them first or pass delete_entities=true`);
      }
      const deletedEntities = count > 0 ? await repo.deleteAllEntitiesOf(trx, identifier) : 0;
      await repo.deleteBlueprintRow(trx, identifier);
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'delete', resourceType: 'blueprint', resourceId: identifier, before: toBlueprint(current) }]);
      return { deletedEntities };
    });
  }
}

async function loadOthers(db: Kysely<Database>, except: string): Promise<Map<string, BlueprintDefinition>> {
  const rows = await repo.findAllBlueprints(db);
  return new Map(rows.filter((r) => r.identifier !== except).map((r) => [r.identifier, toBlueprintDefinition(r)]));
}

function assertValid(def: BlueprintDefinition, others: ReadonlyMap<string, BlueprintDefinition>): void {
  const problems = validateBlueprint(def, { blueprints: others });
  if (problems.length > 0) {
    throw new InvalidError(`Invalid blueprint "${def.identifier}": ${problems.length} problem${problems.length === 1 ? '' : 's'}`, problems);
  }
}

function relationsTargeting(all: BlueprintDefinition[], target: string): { blueprint: string; relation: string }[] {
  return all.flatMap((bp) =>
    Object.entries(bp.relations)
      .filter(([, rel]) => rel.target === target)
      .map(([relation]) => ({ blueprint: bp.identifier, relation })),
  );
}

/**
 * Decide, for each change the definition makes, whether stored entities allow it: refuse with 409
 * what would leave entities invalid, and migrate stored values for what is safe (removed fields are
 * stripped, relation shapes converted, defaults filled).
 */
async function applyDataChanges(trx: Kysely<Database>, before: BlueprintDefinition, after: BlueprintDefinition, changes: BlueprintChange[]): Promise<void> {
  const bp = before.identifier;
  const refusals: string[] = [];
  const removedProperties: string[] = [];
  const removedRelations: string[] = [];
  const afterDefs = after.schema.properties;

  for (const change of changes) {
    switch (change.kind) {
      case 'propertyTypeChanged': {
        const n = await repo.countEntitiesWithProperty(trx, bp, change.property);
        if (n > 0) refusals.push(`property "${change.property}" cannot change type from ${change.from} to ${change.to}: ${n} entities have a value for it`);
        break;
      }
      case 'propertyConstraintsTightened': {
        const invalid = await findValuesViolating(trx, bp, change.property, after);
        if (invalid.count > 0) {
          refusals.push(`property "${change.property}" cannot take the new ${change.keywords.join(', ')}: ${invalid.count} entities have values it would reject (e.g. ${invalid.examples.join(', ')})`);
        }
        break;
      }
      case 'propertyRemoved':
        removedProperties.push(change.property);
        break;
      case 'propertyBecameRequired':
      case 'propertyAddedRequired': {
        const missing = await repo.countEntitiesMissingProperty(trx, bp, change.property);
        if (missing === 0) break;
        const def = afterDefs[change.property];
        if (change.hasDefault && def && def.default !== undefined) {
          await repo.fillPropertyDefault(trx, bp, change.property, def.default);
        } else {
          refusals.push(`property "${change.property}" cannot become required without a default: ${missing} entities have no value for it`);
        }
        break;
      }
      case 'relationRemoved':
        removedRelations.push(change.relation);
        break;
      case 'relationTargetChanged': {
        const n = await repo.countEdges(trx, bp, change.relation);
        if (n > 0) refusals.push(`relation "${change.relation}" cannot change target from ${change.from} to ${change.to}: ${n} links to ${change.from} entities exist`);
        break;
      }
      case 'relationManyChanged': {
        if (change.to) {
          await repo.convertRelationToMany(trx, bp, change.relation);
        } else {
          const n = await repo.countEntitiesWithSeveralTargets(trx, bp, change.relation);
          if (n > 0) refusals.push(`relation "${change.relation}" cannot become single: ${n} entities link to several targets`);
          else await repo.convertRelationToSingle(trx, bp, change.relation);
        }
        break;
      }
      case 'relationAddedRequired':
      case 'relationBecameRequired': {
        const n = await repo.countEntitiesWithoutRelation(trx, bp, change.relation);
        if (n > 0) refusals.push(`relation "${change.relation}" cannot become required: ${n} entities have no value for it`);
        break;
      }
    }
  }
  if (refusals.length > 0) {
    throw new ConflictError(`Blueprint "${bp}" cannot be changed this way while entities exist: ${refusals.join('; ')}`);
  }
  await repo.stripEntityFields(trx, bp, removedProperties, removedRelations);
}

/**
 * Other blueprints' mirror properties and ownership paths walk through this one: a change that
 * removes what they read (a relation, a property) would break them silently, so it is refused.
 */
function assertDependentsStillValid(changed: BlueprintDefinition, others: ReadonlyMap<string, BlueprintDefinition>): void {
  const world = new Map(others);
  world.set(changed.identifier, changed);
  const broken: string[] = [];
  for (const [id, def] of others) {
    const ctx = new Map(world);
    ctx.delete(id);
    const problems = validateBlueprint(def, { blueprints: ctx }).filter((p) => p.path.startsWith('mirrorProperties.') || p.path.startsWith('ownership'));
    for (const p of problems) broken.push(`${id}.${p.path}: ${p.message}`);
  }
  if (broken.length > 0) {
    throw new ConflictError(`This change would break other blueprints: ${broken.join('; ')}`, broken.map((b) => b.split(':')[0]!));
  }
}

/** Stored values of `property` that the new definition would reject, counted in batches. */
async function findValuesViolating(trx: Kysely<Database>, blueprint: string, property: string, after: BlueprintDefinition): Promise<{ count: number; examples: string[] }> {
  const validate = compileEntityValidator({ ...after, schema: { properties: { [property]: after.schema.properties[property]! }, required: [] } });
  let count = 0;
  const examples: string[] = [];
  let lastId = '0';
  for (;;) {
    const rows = await repo.findPropertyValues(trx, blueprint, property, lastId, 5000);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (validate({ [property]: row.value }).length > 0) {
        count++;
        if (examples.length < 5) examples.push(row.identifier);
      }
    }
    lastId = rows[rows.length - 1]!.id;
  }
  return { count, examples };
}
