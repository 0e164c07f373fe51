/** Narrowing helpers for the `unknown` parts of a blueprint (zod only checked the outer shape). */

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

export const isNonNegativeInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** ajv compiles `pattern` with the `u` flag, so a pattern is only usable if that compiles. */
export const unicodeRegexError = (pattern: string): string | undefined => {
  try {
    new RegExp(pattern, 'u');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

export const compilesAsUnicodeRegex = (pattern: string): boolean => unicodeRegexError(pattern) === undefined;

export const hasOwn = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);
