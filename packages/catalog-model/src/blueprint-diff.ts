import type { BlueprintDefinition } from '@portolan/contract';
import { hasOwn, isRecord } from './type-guards.ts';

/**
 * A change that may invalidate entities already stored under the old blueprint. The server
 * decides, per kind and entity count, whether to refuse, migrate or just warn.
 */
export type BlueprintChange =
  /** `from`/`to` are the property types; arrays read `array<itemType>` so an items change shows. */
  | { kind: 'propertyTypeChanged'; property: string; from: string; to: string }
  | { kind: 'propertyRemoved'; property: string }
  | { kind: 'propertyBecameRequired'; property: string; hasDefault: boolean }
  | { kind: 'propertyAddedRequired'; property: string; hasDefault: boolean }
  /** `keywords` names what narrowed (`enum`, `maxLength`, `items.format`, ...). */
  | { kind: 'propertyConstraintsTightened'; property: string; keywords: string[] }
  | { kind: 'relationRemoved'; relation: string }
  | { kind: 'relationTargetChanged'; relation: string; from: string; to: string }
  | { kind: 'relationManyChanged'; relation: string; from: boolean; to: boolean }
  /** An existing relation that was optional and now is required. */
  | { kind: 'relationBecameRequired'; relation: string }
  /** A new relation that is required: existing entities have no value for it. */
  | { kind: 'relationAddedRequired'; relation: string };

export type BlueprintChangeKind = BlueprintChange['kind'];

type Prop = Record<string, unknown>;

const typeLabel = (prop: Prop): string => {
  const type = String(prop.type);
  return type === 'array' && isRecord(prop.items) && typeof prop.items.type === 'string'
    ? `array<${prop.items.type}>`
    : type;
};

/** Formats that accept any string: moving to one of them never rejects stored data. */
const ANY_STRING_FORMATS: ReadonlySet<unknown> = new Set(['markdown', 'yaml', 'user', 'team']);
const LOWER_BOUNDS = ['minLength', 'minItems', 'minimum', 'exclusiveMinimum'] as const;
const UPPER_BOUNDS = ['maxLength', 'maxItems', 'maximum', 'exclusiveMaximum'] as const;
const NESTED_SCHEMA = ['properties', 'patternProperties', 'additionalProperties'] as const;

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Conservative: anything that might reject a value the old definition accepted is reported. */
const tightenedKeywords = (before: Prop, after: Prop, prefix = ''): string[] => {
  const found: string[] = [];
  if (Array.isArray(after.enum)) {
    const allowed = new Set(after.enum);
    if (!Array.isArray(before.enum) || before.enum.some((value) => !allowed.has(value))) found.push('enum');
  }
  if (after.format !== undefined && after.format !== before.format && !ANY_STRING_FORMATS.has(after.format)) {
    found.push('format');
  }
  if (after.pattern !== undefined && after.pattern !== before.pattern) found.push('pattern');
  for (const key of LOWER_BOUNDS) {
    const [b, a] = [before[key], after[key]];
    if (typeof a === 'number' && !(typeof b === 'number' && a <= b)) found.push(key);
  }
  for (const key of UPPER_BOUNDS) {
    const [b, a] = [before[key], after[key]];
    if (typeof a === 'number' && !(typeof b === 'number' && a >= b)) found.push(key);
  }
  if (after.uniqueItems === true && before.uniqueItems !== true) found.push('uniqueItems');
  for (const key of NESTED_SCHEMA) {
    if (!sameJson(before[key], after[key])) found.push(key);
  }
  if (isRecord(after.items)) {
    found.push(...tightenedKeywords(isRecord(before.items) ? before.items : {}, after.items, 'items.'));
  }
  return found.map((keyword) => `${prefix}${keyword}`);
};

export const diffBlueprint = (before: BlueprintDefinition, after: BlueprintDefinition): BlueprintChange[] => {
  const changes: BlueprintChange[] = [];
  const oldProps = before.schema.properties;
  const newProps = after.schema.properties;
  const wasRequired = new Set(before.schema.required);
  const isRequired = new Set(after.schema.required);

  for (const property of Object.keys(oldProps)) {
    if (!hasOwn(newProps, property)) changes.push({ kind: 'propertyRemoved', property });
  }
  for (const [property, next] of Object.entries(newProps)) {
    const hasDefault = next.default !== undefined && next.default !== null;
    const prev = hasOwn(oldProps, property) ? oldProps[property] : undefined;
    if (prev === undefined) {
      if (isRequired.has(property)) changes.push({ kind: 'propertyAddedRequired', property, hasDefault });
      continue;
    }
    const [from, to] = [typeLabel(prev), typeLabel(next)];
    if (from !== to) {
      changes.push({ kind: 'propertyTypeChanged', property, from, to });
    } else {
      const keywords = tightenedKeywords(prev, next);
      if (keywords.length > 0) changes.push({ kind: 'propertyConstraintsTightened', property, keywords });
    }
    if (isRequired.has(property) && !wasRequired.has(property)) {
      changes.push({ kind: 'propertyBecameRequired', property, hasDefault });
    }
  }

  for (const relation of Object.keys(before.relations)) {
    if (!hasOwn(after.relations, relation)) changes.push({ kind: 'relationRemoved', relation });
  }
  for (const [relation, next] of Object.entries(after.relations)) {
    const prev = hasOwn(before.relations, relation) ? before.relations[relation] : undefined;
    if (prev === undefined) {
      if (next.required) changes.push({ kind: 'relationAddedRequired', relation });
      continue;
    }
    if (prev.target !== next.target) {
      changes.push({ kind: 'relationTargetChanged', relation, from: prev.target, to: next.target });
    }
    if (prev.many !== next.many) changes.push({ kind: 'relationManyChanged', relation, from: prev.many, to: next.many });
    if (next.required && !prev.required) changes.push({ kind: 'relationBecameRequired', relation });
  }
  return changes;
};
