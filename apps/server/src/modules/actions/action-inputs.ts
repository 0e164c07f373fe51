import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { ActionDefinition, FieldProblem, UserInputProperty } from '@portolan/contract';
import { evalJq } from './jq-template.ts';

// userInputs → one JSON Schema checked with Ajv (allErrors: every failing field at once). Port's
// own keys (format entity/user/team, blueprint, visible, dependsOn, dataset, …) are not JSON
// Schema: they are dropped here and the service checks entity pickers against the catalog.

const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as typeof AjvModule;
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false, validateFormats: true });
ajv.addFormat('date-time', { validate: (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\dT/.test(s) });
ajv.addFormat('email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
ajv.addFormat('url', { validate: (s: string) => URL.canParse(s) });

const JSON_SCHEMA_FORMATS = new Set(['date-time', 'email', 'url']);
const PORT_KEYS = ['visible', 'dependsOn', 'dataset', 'icon', 'sort', 'disabled', 'encryption', 'enumColors', 'blueprint', 'title', 'description'];

function toJsonSchema(prop: UserInputProperty): Record<string, unknown> {
  const out: Record<string, unknown> = { ...prop };
  for (const k of PORT_KEYS) delete out[k];
  if (typeof out.format === 'string' && !JSON_SCHEMA_FORMATS.has(out.format)) delete out.format;
  // jqQuery-valued enum/default are evaluated by the form, not enforced here.
  if (out.enum !== undefined && !Array.isArray(out.enum)) delete out.enum;
  if (out.items && typeof out.items === 'object') out.items = toJsonSchema(out.items as UserInputProperty);
  return out;
}

const cache = new WeakMap<object, ValidateFunction>();

export function compileInputs(def: ActionDefinition): ValidateFunction {
  const ui = def.trigger.userInputs;
  const hit = cache.get(ui);
  if (hit) return hit;
  const schema = {
    type: 'object',
    properties: Object.fromEntries(Object.entries(ui.properties).map(([k, p]) => [k, toJsonSchema(p)])),
    required: ui.required,
    additionalProperties: false,
  };
  const validate = ajv.compile(schema);
  cache.set(ui, validate);
  return validate;
}

/** Problems in an action's userInputs definition itself (paths from the action's root). */
export function checkInputDefinitions(def: ActionDefinition): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const ui = def.trigger.userInputs;
  const base = 'trigger.userInputs';
  ui.required.forEach((name, i) => {
    if (!(name in ui.properties)) problems.push({ path: `${base}.required.${i}`, message: `"${name}" is not an input` });
  });
  (ui.order ?? []).forEach((name, i) => {
    if (!(name in ui.properties)) problems.push({ path: `${base}.order.${i}`, message: `"${name}" is not an input` });
  });
  for (const [name, prop] of Object.entries(ui.properties)) {
    const isEntity = prop.format === 'entity' || (prop.type === 'array' && (prop.items as UserInputProperty | undefined)?.format === 'entity');
    const bp = prop.blueprint ?? (prop.items as UserInputProperty | undefined)?.blueprint;
    if (isEntity && !bp) problems.push({ path: `${base}.properties.${name}.blueprint`, message: 'an entity input names the blueprint to pick from' });
  }
  if (problems.length > 0) return problems;
  try {
    const validate = compileInputs(def);
    for (const [name, prop] of Object.entries(ui.properties)) {
      if (prop.default === undefined || (prop.default && typeof prop.default === 'object' && 'jqQuery' in prop.default)) continue;
      validate({ [name]: prop.default });
      for (const p of toProblems(validate.errors ?? [], 'properties')) {
        if (p.path === `properties.${name}` || p.path.startsWith(`properties.${name}.`)) problems.push({ path: `${base}.properties.${name}.default`, message: p.message });
      }
    }
  } catch (error) {
    problems.push({ path: `${base}.properties`, message: `is not a valid JSON Schema: ${(error as Error).message}` });
  }
  return problems;
}

/** Applies defaults and validates run inputs; returns the inputs and every problem. */
/**
 * The inputs hidden by their `visible` rule: `false`, or a `{jqQuery}` that evaluates falsy over
 * `{form: <the inputs given so far>, entity, user}` (Port's rule). A query that fails to evaluate
 * leaves the input visible, so a broken rule never hides a required field silently.
 */
export async function hiddenInputs(def: ActionDefinition, context: { form: Record<string, unknown>; entity?: unknown; user?: unknown }): Promise<Set<string>> {
  const hidden = new Set<string>();
  for (const [name, prop] of Object.entries(def.trigger.userInputs.properties)) {
    const v = (prop as { visible?: unknown }).visible;
    if (v === false) hidden.add(name);
    else if (v && typeof v === 'object' && typeof (v as { jqQuery?: unknown }).jqQuery === 'string') {
      const shown = await evalJq((v as { jqQuery: string }).jqQuery, { form: context.form, entity: context.entity ?? null, user: context.user ?? null }).catch(() => true);
      if (shown === false || shown === null) hidden.add(name);
    }
  }
  return hidden;
}

export function validateInputs(def: ActionDefinition, given: Record<string, unknown>, hidden: ReadonlySet<string> = new Set()): { inputs: Record<string, unknown>; problems: FieldProblem[] } {
  // Hidden inputs are not asked for: their values are dropped and they are not required.
  const inputs: Record<string, unknown> = Object.fromEntries(Object.entries(given).filter(([k]) => !hidden.has(k)));
  for (const [name, prop] of Object.entries(def.trigger.userInputs.properties)) {
    if (hidden.has(name)) continue;
    const d = prop.default;
    if (inputs[name] === undefined && d !== undefined && !(d && typeof d === 'object' && 'jqQuery' in d)) inputs[name] = structuredClone(d);
  }
  for (const name of hidden) delete inputs[name];
  const validate = compileInputs(def);
  validate(inputs);
  const problems = toProblems(validate.errors ?? [], 'properties').filter((p) => !hidden.has(p.path.split('.')[1] ?? ''));
  return { inputs, problems };
}

function toProblems(errors: ErrorObject[], prefix: string): FieldProblem[] {
  return errors.map((e) => {
    const segments = e.instancePath.split('/').filter(Boolean);
    if (e.keyword === 'required') segments.push(String((e.params as { missingProperty: string }).missingProperty));
    if (e.keyword === 'additionalProperties') segments.push(String((e.params as { additionalProperty: string }).additionalProperty));
    const message = e.keyword === 'required' ? 'is required' : e.keyword === 'additionalProperties' ? 'is not an input of this action' : e.keyword === 'enum' ? `must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}` : (e.message ?? 'is invalid');
    return { path: [prefix, ...segments].join('.'), message };
  });
}
