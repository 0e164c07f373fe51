import type { BlueprintDefinition, FieldProblem } from '@portolan/contract';
import { compileEntityValidator } from './entity-validation.ts';
import { resolveMirrorPath, resolveRelationPath } from './mirror-path-resolution.ts';
import { validatePropertyDefinition } from './property-validation.ts';
import { hasOwn } from './type-guards.ts';

export type BlueprintValidationContext = {
  /** The other blueprints; a stored copy of `def` itself, if present, is ignored in favour of `def`. */
  blueprints: ReadonlyMap<string, BlueprintDefinition>;
};

/**
 * Semantic rules of a blueprint that zod cannot express (port.md §1.2–1.4). Lists every problem,
 * with a dotted path from the blueprint root; an empty list means the blueprint may be stored.
 */
export const validateBlueprint = (def: BlueprintDefinition, ctx: BlueprintValidationContext): FieldProblem[] => {
  const problems: FieldProblem[] = [];
  const { properties, required } = def.schema;

  const clean: BlueprintDefinition['schema']['properties'] = {};
  for (const [name, prop] of Object.entries(properties)) {
    const found = validatePropertyDefinition(prop, `schema.properties.${name}`);
    if (found.length === 0) clean[name] = prop;
    problems.push(...found);
  }
  problems.push(...checkDefaults(def, clean));

  const seen = new Set<string>();
  required.forEach((name, i) => {
    if (!hasOwn(properties, name)) {
      problems.push({ path: `schema.required.${i}`, message: `"${name}" is not a property of this blueprint` });
    } else if (seen.has(name)) {
      problems.push({ path: `schema.required.${i}`, message: `duplicate entry "${name}"` });
    }
    seen.add(name);
  });

  for (const [name, relation] of Object.entries(def.relations)) {
    if (hasOwn(properties, name)) {
      problems.push({ path: `relations.${name}`, message: `identifier "${name}" is already used by a property` });
    }
    if (relation.target !== def.identifier && !ctx.blueprints.has(relation.target)) {
      problems.push({ path: `relations.${name}.target`, message: `blueprint "${relation.target}" does not exist` });
    }
    if (relation.many && relation.required) {
      problems.push({ path: `relations.${name}`, message: 'a relation cannot be both many and required' });
    }
  }

  for (const [name, mirror] of Object.entries(def.mirrorProperties)) {
    problems.push(...collisions(def, 'mirrorProperties', name));
    const resolved = resolveMirrorPath(mirror.path, def, ctx.blueprints);
    if ('error' in resolved) problems.push({ path: `mirrorProperties.${name}.path`, message: resolved.error });
  }
  for (const group of ['calculationProperties', 'aggregationProperties'] as const) {
    for (const name of Object.keys(def[group])) problems.push(...collisions(def, group, name));
  }

  if (def.ownership?.type === 'Inherited') {
    const resolved = resolveRelationPath(def.ownership.path, def, ctx.blueprints);
    if ('error' in resolved) problems.push({ path: 'ownership.path', message: resolved.error });
  }
  return problems;
};

/** Entity JSON puts every kind of field in one namespace, so identifiers must be unique across kinds. */
const FIELD_GROUPS = [
  ['property', (d: BlueprintDefinition) => d.schema.properties],
  ['relation', (d: BlueprintDefinition) => d.relations],
  ['mirror property', (d: BlueprintDefinition) => d.mirrorProperties],
  ['calculation property', (d: BlueprintDefinition) => d.calculationProperties],
] as const;

const GROUP_RANK = { mirrorProperties: 2, calculationProperties: 3, aggregationProperties: 4 } as const;

/** Reports `name` against the kinds declared before its own (properties, relations, mirrors, ...). */
const collisions = (def: BlueprintDefinition, group: keyof typeof GROUP_RANK, name: string): FieldProblem[] =>
  FIELD_GROUPS.slice(0, GROUP_RANK[group])
    .filter(([, pick]) => hasOwn(pick(def), name))
    .map(([label]) => ({ path: `${group}.${name}`, message: `identifier "${name}" is already used by a ${label}` }));

/** Defaults are judged by the very validator entities get, so the two can never disagree. */
const checkDefaults = (
  def: BlueprintDefinition,
  clean: BlueprintDefinition['schema']['properties'],
): FieldProblem[] => {
  const withDefault = Object.entries(clean).filter(([, prop]) => prop.default !== undefined && prop.default !== null);
  if (withDefault.length === 0) return [];
  let validate: ReturnType<typeof compileEntityValidator>;
  try {
    validate = compileEntityValidator({ ...def, schema: { properties: clean, required: [] } });
  } catch (error) {
    // Unreachable for properties that passed the checks above; reported rather than thrown.
    return [{ path: 'schema.properties', message: `cannot be compiled: ${error instanceof Error ? error.message : String(error)}` }];
  }
  const problems: FieldProblem[] = [];
  for (const [name, prop] of withDefault) {
    const prefix = `properties.${name}`;
    for (const problem of validate({ [name]: prop.default })) {
      if (problem.path === prefix || problem.path.startsWith(`${prefix}.`)) {
        problems.push({ path: `schema.${prefix}.default${problem.path.slice(prefix.length)}`, message: problem.message });
      }
    }
  }
  return problems;
};
