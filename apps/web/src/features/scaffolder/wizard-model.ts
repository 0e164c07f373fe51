// Backstage templates put `ui:*` keys beside JSON-Schema keywords inside `parameters`; @rjsf wants
// them in a separate uiSchema. These helpers split a page, and keep what the review step shows.

export interface WizardPage {
  title: string;
  description?: string;
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Splits a JSON-Schema (recursively through properties and items) into schema and uiSchema. */
export function splitUi(node: Record<string, unknown>): { schema: Record<string, unknown>; uiSchema: Record<string, unknown> } {
  const schema: Record<string, unknown> = {};
  const uiSchema: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('ui:')) uiSchema[key] = value;
    else if (key === 'properties' && isObject(value)) {
      const props: Record<string, unknown> = {};
      for (const [name, prop] of Object.entries(value)) {
        if (!isObject(prop)) {
          props[name] = prop;
          continue;
        }
        const inner = splitUi(prop);
        props[name] = inner.schema;
        if (Object.keys(inner.uiSchema).length > 0) uiSchema[name] = inner.uiSchema;
      }
      schema.properties = props;
    } else if (key === 'items' && isObject(value)) {
      const inner = splitUi(value);
      schema.items = inner.schema;
      if (Object.keys(inner.uiSchema).length > 0) uiSchema.items = inner.uiSchema;
    } else schema[key] = value;
  }
  return { schema, uiSchema };
}

export function wizardPages(parameterPages: Record<string, unknown>[]): WizardPage[] {
  return parameterPages.map((page, i) => {
    const { schema, uiSchema } = splitUi(page);
    // The page title is shown by the stepper; rjsf would repeat it above the fields.
    const { title, description, ...rest } = schema;
    return {
      title: typeof title === 'string' ? title : `Step ${i + 1}`,
      description: typeof description === 'string' ? description : undefined,
      schema: { type: 'object', ...rest },
      uiSchema: { ...uiSchema, 'ui:submitButtonOptions': { norender: true } },
    };
  });
}

/** Rows for the review step: each page's fields with their titles, in the template's order. */
export function reviewRows(pages: WizardPage[], values: Record<string, unknown>): { page: string; key: string; label: string; value: string }[] {
  const rows: { page: string; key: string; label: string; value: string }[] = [];
  for (const page of pages) {
    const props = isObject(page.schema.properties) ? page.schema.properties : {};
    for (const [key, prop] of Object.entries(props)) {
      const value = values[key];
      if (value === undefined || value === '') continue;
      const label = isObject(prop) && typeof prop.title === 'string' ? prop.title : key;
      rows.push({ page: page.title, key, label, value: typeof value === 'string' ? value : JSON.stringify(value) });
    }
  }
  return rows;
}

/** Keeps only the values of fields the template declares (rjsf may keep stale keys). */
export function defaultsOf(pages: WizardPage[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const page of pages) {
    const props = isObject(page.schema.properties) ? page.schema.properties : {};
    for (const [key, prop] of Object.entries(props)) if (isObject(prop) && prop.default !== undefined) out[key] = prop.default;
  }
  return out;
}

/**
 * The wizard's pages in the order the template's YAML lists its fields. The server's parsed
 * `parameterPages` come back from a jsonb column, whose objects do not keep key order, so the
 * properties would otherwise appear shortest-name first.
 */
export function orderedParameterPages(yamlText: string, parameterPages: Record<string, unknown>[], parse: (text: string) => unknown): Record<string, unknown>[] {
  try {
    const doc = parse(yamlText);
    const params = isObject(doc) && isObject(doc.spec) ? doc.spec.parameters : undefined;
    const list = Array.isArray(params) ? params : isObject(params) ? [params] : null;
    if (list && list.length === parameterPages.length && list.every(isObject)) return list;
  } catch {
    // Fall back to the server's pages (same content, maybe another field order).
  }
  return parameterPages;
}
