import type { Blueprint, BlueprintProperty, Entity, EntityInput, FieldProblem, RelationValue } from '@portolan/contract';

// Translation between a blueprint, the entity form (JSON-Schema form for properties, plain fields for
// identity and relations) and the API: the request body, and the server's field errors back to fields.

export interface JsonSchema {
  [key: string]: unknown;
}

export interface EntityFormValues {
  identifier: string;
  title: string;
  team: string[];
  /** Not edited in the form, but carried through: a replace (PUT) would otherwise drop it. */
  icon?: string | null;
  properties: Record<string, unknown>;
  relations: Record<string, string | string[] | null>;
}

/** Formats a browser validator knows; the portal's own (markdown, yaml, user, ...) only change the widget. */
const STANDARD_FORMATS: Record<string, string> = { 'date-time': 'date-time', url: 'uri', email: 'email', ipv4: 'ipv4', ipv6: 'ipv6' };
const TEXTAREA_FORMATS = new Set(['markdown', 'yaml']);
const KEPT_KEYS = ['type', 'title', 'description', 'enum', 'default', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'items', 'minItems', 'maxItems'] as const;

function propertySchema(p: BlueprintProperty): JsonSchema {
  const out: JsonSchema = {};
  for (const k of KEPT_KEYS) if (p[k] !== undefined) out[k] = p[k];
  const std = p.format ? STANDARD_FORMATS[p.format] : undefined;
  if (std) out.format = std;
  if (p.type === 'object') {
    delete out.default;
    if (p.default !== undefined) out.default = p.default;
  }
  if (p.type === 'array' && !out.items) out.items = { type: 'string' };
  return out;
}

/** The JSON Schema and UI schema of the `properties` part of the form. */
export function propertiesFormSchema(blueprint: Blueprint): { schema: JsonSchema; uiSchema: JsonSchema } {
  const properties: Record<string, JsonSchema> = {};
  const uiSchema: JsonSchema = {};
  const order: string[] = [];
  for (const [id, p] of Object.entries(blueprint.schema.properties)) {
    properties[id] = propertySchema(p);
    order.push(id);
    const ui: JsonSchema = {};
    if (p.format && TEXTAREA_FORMATS.has(p.format)) {
      ui['ui:widget'] = 'textarea';
      ui['ui:options'] = { rows: p.format === 'yaml' ? 10 : 6 };
    }
    if (p.type === 'object') ui['ui:field'] = 'json';
    if (p.format === 'date-time') ui['ui:placeholder'] = '2026-01-31T12:00:00Z';
    if (p.description) ui['ui:description'] = p.description;
    if (Object.keys(ui).length > 0) uiSchema[id] = ui;
  }
  uiSchema['ui:order'] = [...order, '*'];
  const required = blueprint.schema.required.filter((r) => r in properties);
  return { schema: { type: 'object', properties, required }, uiSchema };
}

export function emptyFormValues(blueprint: Blueprint): EntityFormValues {
  return {
    identifier: '',
    title: '',
    team: [],
    properties: {},
    relations: Object.fromEntries(Object.entries(blueprint.relations).map(([k, r]) => [k, r.many ? [] : null])),
  };
}

export function formValuesFromEntity(blueprint: Blueprint, entity: Entity): EntityFormValues {
  const properties: Record<string, unknown> = {};
  // Mirror properties come back inside `properties`; they are computed, never sent.
  for (const id of Object.keys(blueprint.schema.properties)) if (entity.properties[id] !== undefined) properties[id] = entity.properties[id];
  const relations: EntityFormValues['relations'] = {};
  for (const [k, r] of Object.entries(blueprint.relations)) {
    const v = entity.relations[k];
    relations[k] = r.many ? (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []) : typeof v === 'string' ? v : null;
  }
  return { identifier: entity.identifier, title: entity.title ?? '', team: entity.team, icon: entity.icon, properties, relations };
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** The request body: blanks are left out, so an optional field cleared in the form is unset. */
export function toEntityInput(blueprint: Blueprint, values: EntityFormValues): EntityInput {
  const properties: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values.properties)) {
    if (!(k in blueprint.schema.properties) || isBlank(v)) continue;
    properties[k] = v;
  }
  const relations: Record<string, RelationValue> = {};
  for (const [k, v] of Object.entries(values.relations)) {
    if (!(k in blueprint.relations)) continue;
    relations[k] = isBlank(v) ? (blueprint.relations[k]!.many ? [] : null) : v;
  }
  const input: EntityInput = { identifier: values.identifier.trim(), properties, relations, team: values.team };
  if (values.title.trim()) input.title = values.title.trim();
  if (values.icon) input.icon = values.icon;
  return input;
}

export interface ErrorSchema {
  __errors?: string[];
  [key: string]: ErrorSchema | string[] | undefined;
}

export interface FormErrors {
  identifier?: string;
  title?: string;
  team?: string;
  relations: Record<string, string>;
  /** rjsf's error schema for the properties form (`extraErrors`). */
  properties: ErrorSchema;
  /** Problems that belong to no field. */
  general: string[];
  count: number;
}

/** Places each `{path, message}` of a 400 beside its field (`properties.port`, `relations.system`, `identifier`). */
export function formErrorsFromDetails(details: FieldProblem[]): FormErrors {
  const out: FormErrors = { relations: {}, properties: {}, general: [], count: details.length };
  for (const { path, message } of details) {
    const parts = path.split('.').filter(Boolean);
    const [head, ...rest] = parts;
    if ((head === 'identifier' || head === 'title' || head === 'team') && rest.length <= 1) {
      out[head] = out[head] ? `${out[head]}; ${message}` : message;
    } else if (head === 'relations' && rest.length >= 1) {
      const name = rest[0]!;
      out.relations[name] = out.relations[name] ? `${out.relations[name]}; ${message}` : message;
    } else if (head === 'properties' && rest.length >= 1) {
      let node = out.properties;
      for (const key of rest) {
        const next = (node[key] as ErrorSchema | undefined) ?? {};
        node[key] = next;
        node = next;
      }
      node.__errors = [...(node.__errors ?? []), message];
    } else {
      out.general.push(path ? `${path}: ${message}` : message);
    }
  }
  return out;
}
