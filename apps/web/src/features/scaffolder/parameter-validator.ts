import { toErrorSchema, type RJSFSchema, type RJSFValidationError, type ValidationData, type ValidatorType } from '@rjsf/utils';

// The app's Content-Security-Policy has no 'unsafe-eval', so ajv (which compiles schemas to
// functions) cannot run in the browser. Template parameters use a small part of JSON Schema; this
// validator checks that part by interpretation. The server checks the values again when the task is
// created, and its answer is shown in the review step.

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'boolean': return typeof v === 'boolean';
    case 'array': return Array.isArray(v);
    case 'object': return isObject(v);
    case 'null': return v === null;
    default: return true;
  }
}

const FORMATS: Record<string, RegExp> = {
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: /^[a-z][a-z0-9+.-]*:\S+$/i,
  url: /^[a-z][a-z0-9+.-]*:\S+$/i,
};

/** Every problem of `value` against `schema`, with `property` in rjsf's `.a.b` form. */
export function check(schema: Schema, value: unknown, at = ''): RJSFValidationError[] {
  const out: RJSFValidationError[] = [];
  const add = (name: string, message: string, property = at) => out.push({ name, message, property, stack: `${property || '.'} ${message}`, params: {} });
  if (value === undefined) return out;
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.length > 0 && !types.some((t) => typeOk(t, value))) {
    add('type', `must be ${types.join(' or ')}`);
    return out;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) add('enum', 'must be equal to one of the allowed values');
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) add('const', 'must be equal to constant');
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) add('minLength', `must NOT have fewer than ${schema.minLength} characters`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) add('maxLength', `must NOT have more than ${schema.maxLength} characters`);
    if (typeof schema.pattern === 'string') {
      let re: RegExp | null = null;
      try {
        re = new RegExp(schema.pattern, 'u');
      } catch {
        re = null;
      }
      if (re && !re.test(value)) add('pattern', `must match pattern "${schema.pattern}"`);
    }
    const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
    if (format && !format.test(value)) add('format', `must match format "${String(schema.format)}"`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) add('minimum', `must be >= ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) add('maximum', `must be <= ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) add('exclusiveMinimum', `must be > ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) add('exclusiveMaximum', `must be < ${schema.exclusiveMaximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) add('minItems', `must NOT have fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) add('maxItems', `must NOT have more than ${schema.maxItems} items`);
    if (isObject(schema.items)) value.forEach((item, i) => out.push(...check(schema.items as Schema, item, `${at}.${i}`)));
  }
  if (isObject(value)) {
    const props = isObject(schema.properties) ? schema.properties : {};
    // A required field left empty is reported on the field itself, where the person can fix it.
    for (const key of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
      const v = value[key];
      if (v === undefined || v === null || v === '') add('required', 'is required', `${at}.${key}`);
    }
    for (const [key, sub] of Object.entries(props)) if (isObject(sub)) out.push(...check(sub, value[key], `${at}.${key}`));
  }
  return out;
}

export const parameterValidator: ValidatorType = {
  validateFormData(formData, schema, customValidate, transformErrors, uiSchema): ValidationData<unknown> {
    let errors = check(schema as Schema, formData ?? {});
    if (transformErrors) errors = transformErrors(errors, uiSchema);
    return { errors, errorSchema: toErrorSchema(errors) };
  },
  isValid: (schema: RJSFSchema, formData: unknown) => check(schema as Schema, formData).length === 0,
  rawValidation: <Result,>(schema: RJSFSchema, formData?: unknown) => ({ errors: check(schema as Schema, formData) as Result[] }),
};
