import type { FieldProblem } from '@portolan/contract';
import type { UserInputProperty, UserInputs } from './types.ts';

// Translation between an action's userInputs (JSON Schema properties with Port's keys), the form's
// values, the run request's `properties`, and the server's 400 field problems back to the fields.

export type InputKind = 'text' | 'textarea' | 'number' | 'boolean' | 'select' | 'multiselect' | 'tags' | 'entity' | 'entities' | 'json';

export interface FormInput {
  name: string;
  label: string;
  description?: string;
  required: boolean;
  kind: InputKind;
  property: UserInputProperty;
  /** Enum values, in their JSON types, for select / multiselect. */
  options?: unknown[];
  /** The blueprint an entity picker searches. */
  blueprint?: string;
  placeholder?: string;
}

const itemsOf = (p: UserInputProperty): { type?: string; format?: string; blueprint?: string; enum?: unknown[] } =>
  (p.items && typeof p.items === 'object' ? p.items : {}) as { type?: string; format?: string; blueprint?: string; enum?: unknown[] };

function kindOf(p: UserInputProperty): Pick<FormInput, 'kind' | 'options' | 'blueprint' | 'placeholder'> {
  if (p.type === 'string' && p.format === 'entity') return { kind: 'entity', blueprint: p.blueprint };
  if (p.enum && p.type !== 'array' && p.type !== 'object') return { kind: 'select', options: p.enum };
  if (p.type === 'boolean') return { kind: 'boolean' };
  if (p.type === 'number') return { kind: 'number' };
  if (p.type === 'object') return { kind: 'json' };
  if (p.type === 'array') {
    const items = itemsOf(p);
    if (items.format === 'entity') return { kind: 'entities', blueprint: items.blueprint ?? p.blueprint };
    if (items.enum) return { kind: 'multiselect', options: items.enum };
    if (!items.type || items.type === 'string') return { kind: 'tags' };
    return { kind: 'json' };
  }
  if (p.format === 'multi-line' || p.format === 'markdown' || p.format === 'yaml') return { kind: 'textarea' };
  if (p.format === 'date-time') return { kind: 'text', placeholder: '2026-01-31T12:00:00Z' };
  return { kind: 'text' };
}

/** The form's fields in the action's `order` (then the rest as declared); hidden inputs (`visible: false`) left out. */
export function formInputs(userInputs: UserInputs): FormInput[] {
  const props = userInputs.properties ?? {};
  const declared = Object.keys(props);
  const ordered = [...(userInputs.order ?? []).filter((n) => n in props), ...declared.filter((n) => !(userInputs.order ?? []).includes(n))];
  const required = new Set(userInputs.required ?? []);
  return ordered
    .filter((name) => props[name]!.visible !== false)
    .map((name) => {
      const p = props[name]!;
      return { name, label: p.title ?? name, description: p.description, required: required.has(name), property: p, ...kindOf(p) };
    });
}

/** Starting values: each input's default, else empty. */
export function initialValues(inputs: FormInput[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const i of inputs) {
    const d = i.property.default;
    const templated = d !== null && typeof d === 'object' && 'jqQuery' in d;
    if (d !== undefined && !templated) values[i.name] = i.kind === 'json' ? JSON.stringify(d, null, 2) : d;
    else if (i.kind === 'boolean') values[i.name] = false;
    else if (i.kind === 'tags' || i.kind === 'multiselect' || i.kind === 'entities') values[i.name] = [];
  }
  return values;
}

const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * The run's `properties`: blank inputs are left out (the server applies defaults and reports missing
 * required ones); JSON inputs are parsed. A JSON input that does not parse is a field error.
 */
export function toRunProperties(inputs: FormInput[], values: Record<string, unknown>): { properties: Record<string, unknown>; errors: Record<string, string> } {
  const properties: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const i of inputs) {
    const v = values[i.name];
    if (i.kind === 'boolean') {
      if (v === true || i.required || i.property.default !== undefined) properties[i.name] = v === true;
      continue;
    }
    if (isEmpty(v)) continue;
    if (i.kind === 'json' && typeof v === 'string') {
      try {
        properties[i.name] = JSON.parse(v);
      } catch {
        errors[i.name] = 'must be valid JSON';
      }
      continue;
    }
    properties[i.name] = typeof v === 'string' && i.kind !== 'textarea' ? v.trim() : v;
  }
  return { properties, errors };
}

/** Required inputs left empty (checked before the request; the server checks everything else). */
export function missingRequired(inputs: FormInput[], values: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const i of inputs) {
    if (!i.required) continue;
    const v = values[i.name];
    // A required checkbox (Port's "I understand…" with const: true) must be ticked.
    if (i.kind === 'boolean' ? v !== true : isEmpty(v)) errors[i.name] = 'is required';
  }
  return errors;
}

export interface RunFormErrors {
  fields: Record<string, string>;
  entity?: string;
  /** Problems that belong to no field of the form. */
  general: string[];
}

/** The server's problems (`properties.<input>[.…]`, `entity`) placed beside their fields. */
export function runErrorsFromDetails(details: FieldProblem[], inputs: FormInput[]): RunFormErrors {
  const names = new Set(inputs.map((i) => i.name));
  const out: RunFormErrors = { fields: {}, general: [] };
  for (const d of details) {
    const m = /^properties\.([^.]+)(?:\.(.+))?$/.exec(d.path);
    if (m && names.has(m[1]!)) {
      const message = m[2] ? `${m[2]}: ${d.message}` : d.message;
      out.fields[m[1]!] = out.fields[m[1]!] ? `${out.fields[m[1]!]}; ${message}` : message;
    } else if (d.path === 'entity') out.entity = d.message;
    else out.general.push(d.path ? `${d.path}: ${d.message}` : d.message);
  }
  return out;
}
