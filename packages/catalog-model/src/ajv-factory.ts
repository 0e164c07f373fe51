import AjvModule from 'ajv';
import type { Ajv as AjvInstance, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv and ajv-formats are CommonJS; depending on the loader (vite, tsx, plain Node) the default
// import is either the export itself or a namespace carrying it on `.default`.
const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as typeof AjvModule;
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

/** Port keywords that carry no validation; registered so nested object schemas may use them. */
const ANNOTATION_KEYWORDS = ['icon', 'enumColors', 'spec', 'specAuthentication'] as const;

const anyString = (): boolean => true;

/** `new URL` accepts any absolute URL with a scheme, which is what Port's `url` format means. */
export const isAbsoluteUrl = (value: string): boolean => {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
};

/** Building an instance costs ~5 ms (meta-schemas, formats); compiling one schema well under 1. */
const createAjv = (): AjvInstance => {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    logger: false,
    validateFormats: true,
    // Schemas carrying an `$id` must not be registered: every blueprint version compiles anew.
    addUsedSchema: false,
  });
  addFormats(ajv, ['date-time', 'email', 'ipv4', 'ipv6']);
  ajv.addFormat('url', { type: 'string', validate: isAbsoluteUrl });
  ajv.addFormat('timer', addFormats.get('date-time'));
  for (const name of ['markdown', 'yaml', 'user', 'team'] as const) {
    ajv.addFormat(name, { type: 'string', validate: anyString });
  }
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword });
  return ajv;
};

let shared: AjvInstance | undefined;

/** The one configured instance; holds no compiled schemas between calls (see compileSchema). */
export const getAjv = (): AjvInstance => (shared ??= createAjv());

/**
 * Compiles and immediately evicts the schema from ajv's instance cache, so nothing about a
 * blueprint version outlives the returned function (the caller caches that per version).
 */
export const compileSchema = (schema: Record<string, unknown>): ValidateFunction => {
  const ajv = getAjv();
  try {
    return ajv.compile(schema);
  } finally {
    ajv.removeSchema(schema);
  }
};
