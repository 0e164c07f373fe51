import type { BlueprintDefinition, FieldProblem, RelationValue } from '@portolan/contract';
import { hasOwn } from './type-guards.ts';

/**
 * Shape checks of an entity's relation values against its blueprint. Whether the targets exist
 * is the server's job (it needs the database). `requireRequired` is off for merges/patches that
 * leave relations out.
 */
export const validateEntityRelations = (
  def: BlueprintDefinition,
  relations: Readonly<Record<string, RelationValue>>,
  opts: { requireRequired: boolean },
): FieldProblem[] => {
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(relations)) {
    const relation = hasOwn(def.relations, name) ? def.relations[name] : undefined;
    if (relation === undefined) {
      problems.push({
        path: `relations.${name}`,
        message: `unknown relation (blueprint "${def.identifier}" has no relation "${name}")`,
      });
    } else if (!relation.many && Array.isArray(value)) {
      problems.push({
        path: `relations.${name}`,
        message: `must be a single identifier or null, not a list (relation "${name}" is not many)`,
      });
    }
  }
  if (opts.requireRequired) {
    for (const [name, relation] of Object.entries(def.relations)) {
      if (!relation.required) continue;
      const value = hasOwn(relations, name) ? relations[name] : undefined;
      if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
        problems.push({ path: `relations.${name}`, message: 'is required' });
      }
    }
  }
  return problems;
};

/**
 * Every relation given (and known to `def`) as a list of target identifiers: single → [id],
 * null → [], a lone string for a many relation → [id]; duplicates dropped, first order kept.
 * Relations left out stay out, so a merge can tell "unchanged" from "cleared".
 */
export const normalizeRelations = (
  def: BlueprintDefinition,
  relations: Readonly<Record<string, RelationValue>>,
): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  // Called for every entity of every bulk write: no Set for the usual zero or one target.
  for (const name in relations) {
    const value = relations[name];
    if (!hasOwn(relations, name) || !hasOwn(def.relations, name) || value === undefined) continue;
    out[name] = value === null ? [] : !Array.isArray(value) ? [value] : value.length < 2 ? [...value] : [...new Set(value)];
  }
  return out;
};
