import { ENUM_COLORS, PROPERTY_FORMATS, PROPERTY_SPECS, PROPERTY_TYPES, type FieldProblem } from '@portolan/contract';
import { compileSchema, getAjv } from './ajv-factory.ts';
import { propertyToJsonSchema } from './entity-validation.ts';
import {
  COMMON_KEYWORDS,
  KEYWORD_OWNER,
  isPropertyFormat,
  isPropertySpec,
  isPropertyType,
  type PropertyType,
} from './property-keywords.ts';
import { isFiniteNumber, isNonNegativeInteger, isRecord, unicodeRegexError } from './type-guards.ts';

/** Port arrays hold scalars or objects; arrays of arrays have no UI and no search operators. */
const ITEM_TYPES: readonly PropertyType[] = ['string', 'number', 'boolean', 'object'];
/** Keywords that make no sense on an array's `items` (the array property carries them). */
const NOT_ON_ITEMS = ['default', 'spec'] as const;

const COLOR_LIST = ENUM_COLORS.join(', ');

/**
 * Semantic checks of one property (or of an array's `items` when `isItem`); `at` is the dotted
 * path of the property itself. Every problem is listed. `default` is checked by the caller,
 * against the compiled validator, once the property itself is clean.
 */
export const validatePropertyDefinition = (
  prop: Record<string, unknown>,
  at: string,
  isItem = false,
): FieldProblem[] => {
  const problems: FieldProblem[] = [];
  const add = (path: string, message: string): void => {
    problems.push({ path, message });
  };
  const rawType = prop.type;
  const type = isPropertyType(rawType) ? rawType : undefined;
  if (type === undefined) {
    add(`${at}.type`, `must be one of: ${(isItem ? ITEM_TYPES : PROPERTY_TYPES).join(', ')}`);
  } else if (isItem && !ITEM_TYPES.includes(type)) {
    add(`${at}.type`, `must be one of: ${ITEM_TYPES.join(', ')} (arrays of arrays are not supported)`);
  }

  for (const key of Object.keys(prop)) {
    const owner = KEYWORD_OWNER.get(key);
    if (key === 'items') {
      if (type !== undefined && type !== 'array') add(`${at}.items`, '"items" is only allowed on array properties');
    } else if (COMMON_KEYWORDS.has(key)) {
      continue;
    } else if (owner === undefined) {
      add(`${at}.${key}`, `unknown keyword "${key}"`);
    } else if (type !== undefined && owner !== type) {
      add(`${at}.${key}`, `"${key}" is only allowed on ${owner} properties`);
    }
  }
  if (isItem) {
    for (const key of NOT_ON_ITEMS) {
      if (prop[key] !== undefined) add(`${at}.${key}`, `"${key}" is not allowed on array items`);
    }
  }

  checkFormatAndSpec(prop, at, type, isItem, add);
  checkEnum(prop, at, type, add);

  switch (type) {
    case 'string':
      checkLengthPair(prop, at, 'minLength', 'maxLength', add);
      if (prop.pattern !== undefined) {
        if (typeof prop.pattern !== 'string') add(`${at}.pattern`, 'must be a string');
        else {
          const error = unicodeRegexError(prop.pattern);
          if (error !== undefined) add(`${at}.pattern`, `is not a valid regular expression: ${error}`);
        }
      }
      break;
    case 'number':
      checkNumberBounds(prop, at, add);
      break;
    case 'array':
      if (prop.items !== undefined) {
        // zod already made `items` a record; re-check since callers may pass unparsed data.
        if (!isRecord(prop.items)) add(`${at}.items`, 'must be an object');
        else problems.push(...validatePropertyDefinition(prop.items, `${at}.items`, true));
      }
      checkLengthPair(prop, at, 'minItems', 'maxItems', add);
      if (prop.uniqueItems !== undefined && typeof prop.uniqueItems !== 'boolean') {
        add(`${at}.uniqueItems`, 'must be a boolean');
      }
      break;
    case 'object':
      problems.push(...checkObjectSchema(prop, at));
      break;
    case 'boolean':
    case undefined:
      break;
  }

  if (!isItem && prop.default === null) add(`${at}.default`, 'must not be null (leave it out for no default)');
  return problems;
};

type Add = (path: string, message: string) => void;

const checkFormatAndSpec = (
  prop: Record<string, unknown>,
  at: string,
  type: PropertyType | undefined,
  isItem: boolean,
  add: Add,
): void => {
  if (prop.format !== undefined) {
    if (!isPropertyFormat(prop.format)) add(`${at}.format`, `must be one of: ${PROPERTY_FORMATS.join(', ')}`);
    else if (type === 'array') {
      add(`${at}.format`, 'format is only allowed on string properties (put it on "items" for an array of strings)');
    } else if (type !== undefined && type !== 'string') {
      add(`${at}.format`, 'format is only allowed on string properties');
    }
  }
  if (prop.spec !== undefined && !isItem) {
    if (!isPropertySpec(prop.spec)) add(`${at}.spec`, `must be one of: ${PROPERTY_SPECS.join(', ')}`);
    else if (
      type !== undefined &&
      type !== 'object' &&
      !(type === 'string' && (prop.format === 'url' || prop.format === 'yaml'))
    ) {
      add(`${at}.spec`, 'spec is only allowed on object properties or string properties with format url or yaml');
    }
  }
};

const checkEnum = (prop: Record<string, unknown>, at: string, type: PropertyType | undefined, add: Add): void => {
  const values = prop.enum;
  if (values !== undefined) {
    if (type !== undefined && type !== 'string' && type !== 'number') {
      add(`${at}.enum`, 'enum is only allowed on string and number properties');
    } else if (!Array.isArray(values)) {
      add(`${at}.enum`, 'must be an array');
    } else if (values.length === 0) {
      add(`${at}.enum`, 'must contain at least one value');
    } else {
      const seen = new Set<unknown>();
      values.forEach((value, i) => {
        const ok = type === 'string' ? typeof value === 'string' : type === 'number' ? isFiniteNumber(value) : true;
        if (!ok) add(`${at}.enum.${i}`, `must be a ${String(type)} (the property's type)`);
        else if (seen.has(value)) add(`${at}.enum.${i}`, `duplicate value ${JSON.stringify(value)}`);
        seen.add(value);
      });
    }
  }
  const colors = prop.enumColors;
  if (colors === undefined) return;
  if (!isRecord(colors)) {
    add(`${at}.enumColors`, 'must be an object');
    return;
  }
  if (values === undefined) {
    add(`${at}.enumColors`, 'enumColors requires enum');
    return;
  }
  const enumKeys = new Set(Array.isArray(values) ? values.map((v) => String(v)) : []);
  for (const [key, color] of Object.entries(colors)) {
    if (!enumKeys.has(key)) add(`${at}.enumColors.${key}`, `"${key}" is not one of the enum values`);
    if (!(ENUM_COLORS as readonly unknown[]).includes(color)) {
      add(`${at}.enumColors.${key}`, `unknown color ${JSON.stringify(color)} (one of: ${COLOR_LIST})`);
    }
  }
};

const checkLengthPair = (prop: Record<string, unknown>, at: string, minKey: string, maxKey: string, add: Add): void => {
  const min = prop[minKey];
  const max = prop[maxKey];
  if (min !== undefined && !isNonNegativeInteger(min)) add(`${at}.${minKey}`, 'must be a non-negative integer');
  if (max !== undefined && !isNonNegativeInteger(max)) add(`${at}.${maxKey}`, 'must be a non-negative integer');
  if (isNonNegativeInteger(min) && isNonNegativeInteger(max) && min > max) {
    add(`${at}.${minKey}`, `must not be greater than ${maxKey} (${max})`);
  }
};

const checkNumberBounds = (prop: Record<string, unknown>, at: string, add: Add): void => {
  const keys = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const;
  for (const key of keys) {
    if (prop[key] !== undefined && !isFiniteNumber(prop[key])) add(`${at}.${key}`, 'must be a number');
  }
  const num = (key: (typeof keys)[number]): number | undefined => (isFiniteNumber(prop[key]) ? prop[key] : undefined);
  const [min, max, exMin, exMax] = keys.map(num);
  // Each pair that leaves no allowed number is reported on its lower bound.
  if (min !== undefined && max !== undefined && min > max) add(`${at}.minimum`, `must not be greater than maximum (${max})`);
  if (min !== undefined && exMax !== undefined && min >= exMax) {
    add(`${at}.minimum`, `must be less than exclusiveMaximum (${exMax})`);
  }
  if (exMin !== undefined && max !== undefined && exMin >= max) {
    add(`${at}.exclusiveMinimum`, `must be less than maximum (${max})`);
  }
  if (exMin !== undefined && exMax !== undefined && exMin >= exMax) {
    add(`${at}.exclusiveMinimum`, `must be less than exclusiveMaximum (${exMax})`);
  }
};

const schemaPathToDotted = (instancePath: string): string =>
  instancePath
    .split('/')
    .slice(1)
    .map((s) => `.${s.replace(/~1/g, '/').replace(/~0/g, '~')}`)
    .join('');

/** Nested object schemas are plain JSON Schema: the meta-schema judges them, then a trial compile. */
const checkObjectSchema = (prop: Record<string, unknown>, at: string): FieldProblem[] => {
  const problems: FieldProblem[] = [];
  if (prop.properties !== undefined && !isRecord(prop.properties)) {
    problems.push({ path: `${at}.properties`, message: 'must be an object' });
  }
  if (prop.patternProperties !== undefined) {
    if (!isRecord(prop.patternProperties)) {
      problems.push({ path: `${at}.patternProperties`, message: 'must be an object' });
    } else {
      for (const key of Object.keys(prop.patternProperties)) {
        const error = unicodeRegexError(key);
        if (error !== undefined) {
          problems.push({ path: `${at}.patternProperties.${key}`, message: `is not a valid regular expression: ${error}` });
        }
      }
    }
  }
  const additional = prop.additionalProperties;
  if (additional !== undefined && typeof additional !== 'boolean' && !isRecord(additional)) {
    problems.push({ path: `${at}.additionalProperties`, message: 'must be a boolean or an object' });
  }
  if (problems.length > 0) return problems;

  const schema = propertyToJsonSchema(prop);
  const ajv = getAjv();
  if (ajv.validateSchema(schema) !== true) {
    for (const error of ajv.errors ?? []) {
      problems.push({ path: `${at}${schemaPathToDotted(error.instancePath)}`, message: error.message ?? 'is invalid' });
    }
    return problems;
  }
  try {
    compileSchema(schema);
  } catch (error) {
    problems.push({ path: at, message: `invalid schema: ${error instanceof Error ? error.message : String(error)}` });
  }
  return problems;
};
