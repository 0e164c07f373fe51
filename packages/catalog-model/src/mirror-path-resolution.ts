import type { BlueprintDefinition } from '@portolan/contract';
import { META_PROPERTIES } from './property-keywords.ts';
import { hasOwn } from './type-guards.ts';

export type RelationPathResult =
  | { relations: string[]; blueprints: BlueprintDefinition[]; target: BlueprintDefinition }
  | { error: string };
export type MirrorPathResult = { relations: string[]; field: string } | { error: string };

/** `start` wins over a stored copy of itself, so a blueprint being edited resolves against its new version. */
const lookup = (
  identifier: string,
  start: BlueprintDefinition,
  blueprints: ReadonlyMap<string, BlueprintDefinition>,
): BlueprintDefinition | undefined => (identifier === start.identifier ? start : blueprints.get(identifier));

/**
 * Walks dot-separated relation identifiers from `start`. Only single (non-many) relations are
 * followed: a mirror or inherited owner needs exactly one related entity per hop.
 * `blueprints[i]` is the blueprint the i-th relation belongs to; `target` is where the walk ends.
 */
export const resolveRelationPath = (
  path: string,
  start: BlueprintDefinition,
  blueprints: ReadonlyMap<string, BlueprintDefinition>,
): RelationPathResult => walkRelations(path.split('.'), path, start, blueprints);

/** `path` is only used in messages (a mirror path reports itself whole, field included). */
const walkRelations = (
  segments: string[],
  path: string,
  start: BlueprintDefinition,
  blueprints: ReadonlyMap<string, BlueprintDefinition>,
): RelationPathResult => {
  if (segments.some((s) => s === '')) return { error: `path "${path}": has an empty segment` };
  let current = start;
  const visited: BlueprintDefinition[] = [];
  for (const segment of segments) {
    const relation = hasOwn(current.relations, segment) ? current.relations[segment] : undefined;
    if (relation === undefined) {
      return { error: `path "${path}": blueprint "${current.identifier}" has no relation "${segment}"` };
    }
    if (relation.many) {
      return {
        error: `path "${path}": relation "${segment}" of blueprint "${current.identifier}" is many; only single relations can be followed`,
      };
    }
    const next = lookup(relation.target, start, blueprints);
    if (next === undefined) {
      return {
        error: `path "${path}": blueprint "${relation.target}" (target of relation "${segment}" of "${current.identifier}") does not exist`,
      };
    }
    visited.push(current);
    current = next;
  }
  return { relations: segments, blueprints: visited, target: current };
};

/**
 * `relation(.relation)*.field`, where field is a property of the last blueprint reached or a
 * meta-property such as `$title`. The server walks `relations` to read `field`.
 */
export const resolveMirrorPath = (
  path: string,
  start: BlueprintDefinition,
  blueprints: ReadonlyMap<string, BlueprintDefinition>,
): MirrorPathResult => {
  const lastDot = path.lastIndexOf('.');
  if (lastDot === -1) {
    return { error: `path "${path}": must be relation(s) followed by a property, e.g. "relation.property"` };
  }
  const field = path.slice(lastDot + 1);
  if (field === '') return { error: `path "${path}": has an empty segment` };
  const walked = walkRelations(path.slice(0, lastDot).split('.'), path, start, blueprints);
  if ('error' in walked) return walked;
  const target = walked.target;
  if (field.startsWith('$')) {
    if (!META_PROPERTIES.includes(field)) {
      return { error: `path "${path}": "${field}" is not a meta-property (one of ${META_PROPERTIES.join(', ')})` };
    }
  } else if (!hasOwn(target.schema.properties, field)) {
    return { error: `path "${path}": blueprint "${target.identifier}" has no property "${field}"` };
  }
  return { relations: walked.relations, field };
};
