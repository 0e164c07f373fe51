// Backstage entity references: "[<kind>:][<namespace>/]<name>", case-insensitive, or the object
// form {kind, namespace, name}. Kind and namespace default from the context of the field.

export interface EntityRef {
  kind: string;
  namespace: string;
  name: string;
}

export function parseEntityRef(value: unknown, defaults: { kind?: string; namespace: string }): EntityRef | { error: string } {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (typeof o.name !== 'string' || o.name === '') return { error: 'an entity reference object needs a name' };
    const kind = typeof o.kind === 'string' ? o.kind : defaults.kind;
    if (!kind) return { error: `"${o.name}" needs a kind` };
    return { kind: kind.toLowerCase(), namespace: (typeof o.namespace === 'string' ? o.namespace : defaults.namespace).toLowerCase(), name: o.name };
  }
  if (typeof value !== 'string' || value.trim() === '') return { error: 'an entity reference must be a non-empty string' };
  const m = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(value.trim());
  if (!m) return { error: `"${value}" is not an entity reference ([kind:][namespace/]name)` };
  const kind = m[1] ?? defaults.kind;
  if (!kind) return { error: `"${value}" needs a kind here (e.g. component:${value})` };
  return { kind: kind.toLowerCase(), namespace: (m[2] ?? defaults.namespace).toLowerCase(), name: m[3]! };
}

export function formatRef(ref: EntityRef): string {
  return `${ref.kind}:${ref.namespace}/${ref.name}`.toLowerCase();
}

/** Portolan identifiers keep Backstage's names; a namespace other than default becomes a prefix. */
export function identifierFor(ref: Pick<EntityRef, 'namespace' | 'name'>): string {
  return ref.namespace === 'default' ? ref.name : `${ref.namespace}/${ref.name}`;
}
