import { compileEntityValidator } from '@portolan/catalog-model';
import type { BlueprintDefinition, FieldProblem } from '@portolan/contract';

type Validator = (properties: Record<string, unknown>) => FieldProblem[];

/**
 * Compiled property validators, one per blueprint version. The key includes created_at so a
 * blueprint deleted and created again (version back to 1) never reuses a stale validator.
 */
export class EntityValidatorCache {
  private readonly cache = new Map<string, { key: string; validate: Validator }>();

  get(def: BlueprintDefinition, version: number, createdAt: Date): Validator {
    const key = `${version}:${createdAt.getTime()}`;
    const hit = this.cache.get(def.identifier);
    if (hit && hit.key === key) return hit.validate;
    const validate = compileEntityValidator(def);
    this.cache.set(def.identifier, { key, validate });
    return validate;
  }
}
