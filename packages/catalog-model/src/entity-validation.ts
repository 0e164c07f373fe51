import type { BlueprintDefinition, FieldProblem } from '@portolan/contract';
import type { ErrorObject } from 'ajv';
import { compileSchema } from './ajv-factory.ts';
import { isPropertyFormat, isPropertyType, withArticle } from './property-keywords.ts';
import { compilesAsUnicodeRegex, isFiniteNumber, isNonNegativeInteger, isRecord } from './type-guards.ts';

export type EntityPropertiesValidator = (properties: Record<string, unknown>) => FieldProblem[];

type JsonSchema = Record<string, unknown>;

/** `$id`/`$schema` inside a user's nested object schema would register it in ajv; they mean nothing here. */
const stripSchemaIds = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(stripSchemaIds);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$id' || key === '$schema') continue;
    out[key] = stripSchemaIds(inner);
  }
  return out;
};

/**
 * Port property → JSON Schema. Only well-typed keywords are copied, so a stored blueprint that
 * predates a rule still compiles; validateBlueprint reports the ones left out.
 */
export const propertyToJsonSchema = (prop: Record<string, unknown>): JsonSchema => {
  const out: JsonSchema = {};
  const type = prop.type;
  if (!isPropertyType(type)) return out;
  out.type = type;
  if (Array.isArray(prop.enum) && prop.enum.length > 0) out.enum = prop.enum;
  switch (type) {
    case 'string':
      if (isPropertyFormat(prop.format)) out.format = prop.format;
      if (isNonNegativeInteger(prop.minLength)) out.minLength = prop.minLength;
      if (isNonNegativeInteger(prop.maxLength)) out.maxLength = prop.maxLength;
      if (typeof prop.pattern === 'string' && compilesAsUnicodeRegex(prop.pattern)) out.pattern = prop.pattern;
      break;
    case 'number':
      for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
        if (isFiniteNumber(prop[key])) out[key] = prop[key];
      }
      break;
    case 'array':
      if (isRecord(prop.items)) out.items = propertyToJsonSchema(prop.items);
      if (isNonNegativeInteger(prop.minItems)) out.minItems = prop.minItems;
      if (isNonNegativeInteger(prop.maxItems)) out.maxItems = prop.maxItems;
      if (typeof prop.uniqueItems === 'boolean') out.uniqueItems = prop.uniqueItems;
      break;
    case 'object':
      for (const key of ['properties', 'patternProperties', 'additionalProperties'] as const) {
        if (prop[key] !== undefined) out[key] = stripSchemaIds(prop[key]);
      }
      break;
    case 'boolean':
      break;
  }
  return out;
};

export const blueprintToJsonSchema = (def: BlueprintDefinition): JsonSchema => {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, prop] of Object.entries(def.schema.properties)) properties[name] = propertyToJsonSchema(prop);
  const required = [...new Set(def.schema.required.filter((name) => name in properties))];
  return { type: 'object', properties, required, additionalProperties: false };
};

const unescapePointer = (segment: string): string => segment.replace(/~1/g, '/').replace(/~0/g, '~');

const instancePathToDotted = (instancePath: string): string =>
  ['properties', ...instancePath.split('/').slice(1).map(unescapePointer)].join('.');

const plural = (n: unknown, word: string): string => `${String(n)} ${word}${n === 1 ? '' : 's'}`;

const describeType = (type: unknown): string =>
  (Array.isArray(type) ? type : [type]).map((t) => (t === 'null' ? 'null' : withArticle(String(t)))).join(' or ');

/** Port's own format names; `timer` is a date-time that the UI counts down to. */
const FORMAT_LABEL: Readonly<Record<string, string>> = { timer: 'date-time' };

/** ajv error → Port-style problem; paths are dotted from the entity body root. */
export const ajvErrorToProblem = (error: ErrorObject, blueprint: string): FieldProblem => {
  const at = instancePathToDotted(error.instancePath);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: `${at}.${String(p.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return error.instancePath === ''
        ? {
            path: `${at}.${String(p.additionalProperty)}`,
            message: `unknown property (blueprint "${blueprint}" has no property "${String(p.additionalProperty)}")`,
          }
        : { path: `${at}.${String(p.additionalProperty)}`, message: 'is not allowed' };
    case 'type':
      return { path: at, message: `must be ${describeType(p.type)}` };
    case 'enum':
      return { path: at, message: `must be one of: ${(p.allowedValues as unknown[]).map(String).join(', ')}` };
    case 'format': {
      const format = String(p.format);
      return { path: at, message: `must be a valid ${FORMAT_LABEL[format] ?? format}` };
    }
    case 'minLength':
      return { path: at, message: `must be at least ${plural(p.limit, 'character')}` };
    case 'maxLength':
      return { path: at, message: `must be at most ${plural(p.limit, 'character')}` };
    case 'pattern':
      return { path: at, message: `must match pattern "${String(p.pattern)}"` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path: at, message: `must be ${String(p.comparison)} ${String(p.limit)}` };
    case 'minItems':
      return { path: at, message: `must have at least ${plural(p.limit, 'item')}` };
    case 'maxItems':
      return { path: at, message: `must have at most ${plural(p.limit, 'item')}` };
    case 'uniqueItems': {
      const [first, second] = [Number(p.i), Number(p.j)].sort((a, b) => a - b);
      return { path: at, message: `must not contain duplicates (items ${first} and ${second} are equal)` };
    }
    default:
      return { path: at, message: error.message ?? 'is invalid' };
  }
};

/** With allErrors a wrong type also fails enum/format on the same value; the type error says it all. */
const dropShadowedErrors = (problems: FieldProblem[], errors: readonly ErrorObject[]): FieldProblem[] => {
  const typeFailed = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  if (typeFailed.size === 0) return problems;
  return problems.filter((_, i) => {
    const e = errors[i];
    return e === undefined || e.keyword === 'type' || !typeFailed.has(e.instancePath);
  });
};

const withoutNulls = (properties: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const key in properties) if (properties[key] !== null) out[key] = properties[key];
  return out;
};

/**
 * Compiles one validator per blueprint version; the caller caches it. `null` means "cleared", so
 * it passes for optional properties and reads as missing (`is required`) for required ones.
 */
export const compileEntityValidator = (def: BlueprintDefinition): EntityPropertiesValidator => {
  const validate = compileSchema(blueprintToJsonSchema(def));
  const blueprint = def.identifier;
  return (properties) => {
    let input = properties;
    for (const key in properties) {
      if (properties[key] === null) {
        input = withoutNulls(properties);
        break;
      }
    }
    if (validate(input)) return [];
    const errors = validate.errors ?? [];
    return dropShadowedErrors(
      errors.map((e) => ajvErrorToProblem(e, blueprint)),
      errors,
    );
  };
};

/** A new object with each missing property set to (a copy of) its default; `null` is kept as cleared. */
export const applyDefaults = (
  def: BlueprintDefinition,
  properties: Readonly<Record<string, unknown>>,
): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...properties };
  for (const [name, prop] of Object.entries(def.schema.properties)) {
    if (prop.default !== undefined && prop.default !== null && out[name] === undefined) {
      out[name] = structuredClone(prop.default);
    }
  }
  return out;
};
