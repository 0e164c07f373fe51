import { PROPERTY_FORMATS, PROPERTY_SPECS, PROPERTY_TYPES } from '@portolan/contract';

export type PropertyType = (typeof PROPERTY_TYPES)[number];
export type PropertyFormat = (typeof PROPERTY_FORMATS)[number];
export type PropertySpec = (typeof PROPERTY_SPECS)[number];

export const isPropertyType = (value: unknown): value is PropertyType =>
  (PROPERTY_TYPES as readonly unknown[]).includes(value);
export const isPropertyFormat = (value: unknown): value is PropertyFormat =>
  (PROPERTY_FORMATS as readonly unknown[]).includes(value);
export const isPropertySpec = (value: unknown): value is PropertySpec =>
  (PROPERTY_SPECS as readonly unknown[]).includes(value);

/** Keywords every property may carry (their placement rules are checked separately). */
export const COMMON_KEYWORDS: ReadonlySet<string> = new Set([
  'type', 'title', 'description', 'icon', 'default', 'format', 'spec', 'enum', 'enumColors', 'items',
]);

/** JSON-Schema validation keywords Port supports, by property type. */
export const TYPE_KEYWORDS: Readonly<Record<PropertyType, readonly string[]>> = {
  string: ['minLength', 'maxLength', 'pattern'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
  boolean: [],
  object: ['properties', 'patternProperties', 'additionalProperties'],
  array: ['items', 'minItems', 'maxItems', 'uniqueItems'],
};

/** Keywords that are type-specific, mapped to the type that allows them (for clearer messages). */
export const KEYWORD_OWNER: ReadonlyMap<string, PropertyType> = new Map(
  (Object.entries(TYPE_KEYWORDS) as [PropertyType, readonly string[]][]).flatMap(([type, keywords]) =>
    keywords.map((keyword) => [keyword, type] as const),
  ),
);

/** Entity meta-properties a mirror path may end in (port.md §1.2). */
export const META_PROPERTIES: readonly string[] = [
  '$identifier', '$title', '$team', '$icon', '$createdAt', '$updatedAt', '$createdBy', '$updatedBy', '$blueprint',
];

/** "a string", "an object" */
export const withArticle = (word: string): string => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);
