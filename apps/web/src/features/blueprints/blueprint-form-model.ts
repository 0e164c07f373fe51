import type { Blueprint, BlueprintInput, BlueprintProperty, FieldProblem } from '@portolan/contract';

// The blueprint editor's draft (rows the form edits, text where people type) and its translation to
// the API body, plus the list of changes that can break existing entities.

export interface PropertyDraft {
  key: string;
  id: string;
  title: string;
  type: string;
  format: string;
  enumValues: string[];
  enumColors: Record<string, string>;
  required: boolean;
  /** As typed; parsed by type when sent. */
  defaultText: string;
  description: string;
  /** Keys the form does not edit (spec, items, icon, patterns...), kept as they were. */
  extra: Record<string, unknown>;
}

export interface RelationDraft {
  key: string;
  id: string;
  title: string;
  target: string;
  many: boolean;
  required: boolean;
  description: string;
}

export interface MirrorDraft {
  key: string;
  id: string;
  title: string;
  path: string;
}

export interface BlueprintDraft {
  identifier: string;
  title: string;
  icon: string;
  description: string;
  properties: PropertyDraft[];
  relations: RelationDraft[];
  mirrors: MirrorDraft[];
  kept: Pick<BlueprintInput, 'calculationProperties' | 'aggregationProperties' | 'ownership'>;
}

let seq = 0;
export const newKey = (): string => `k${++seq}`;

const EDITED = new Set(['type', 'title', 'format', 'enum', 'enumColors', 'default', 'description']);

export function newPropertyDraft(): PropertyDraft {
  return { key: newKey(), id: '', title: '', type: 'string', format: '', enumValues: [], enumColors: {}, required: false, defaultText: '', description: '', extra: {} };
}
export function newRelationDraft(target = ''): RelationDraft {
  return { key: newKey(), id: '', title: '', target, many: false, required: false, description: '' };
}
export function newMirrorDraft(): MirrorDraft {
  return { key: newKey(), id: '', title: '', path: '' };
}

export function emptyDraft(): BlueprintDraft {
  return { identifier: '', title: '', icon: '', description: '', properties: [], relations: [], mirrors: [], kept: {} };
}

export function draftFromBlueprint(bp: Blueprint): BlueprintDraft {
  return {
    identifier: bp.identifier,
    title: bp.title,
    icon: bp.icon ?? '',
    description: bp.description ?? '',
    properties: Object.entries(bp.schema.properties).map(([id, p]) => ({
      key: newKey(),
      id,
      title: p.title ?? '',
      type: p.type,
      format: p.format ?? '',
      enumValues: (p.enum ?? []).map(String),
      enumColors: { ...(p.enumColors ?? {}) },
      required: bp.schema.required.includes(id),
      defaultText: p.default === undefined ? '' : typeof p.default === 'string' ? p.default : JSON.stringify(p.default),
      description: p.description ?? '',
      extra: Object.fromEntries(Object.entries(p).filter(([k]) => !EDITED.has(k))),
    })),
    relations: Object.entries(bp.relations).map(([id, r]) => ({ key: newKey(), id, title: r.title ?? '', target: r.target, many: r.many, required: r.required, description: r.description ?? '' })),
    mirrors: Object.entries(bp.mirrorProperties).map(([id, m]) => ({ key: newKey(), id, title: m.title ?? '', path: m.path })),
    kept: { calculationProperties: bp.calculationProperties, aggregationProperties: bp.aggregationProperties, ...(bp.ownership ? { ownership: bp.ownership } : {}) },
  };
}

function parseByType(type: string, text: string): unknown {
  if (type === 'string') return text;
  if (type === 'number') {
    const n = Number(text);
    return text.trim() !== '' && !Number.isNaN(n) ? n : text;
  }
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  try {
    return JSON.parse(text);
  } catch {
    // Sent as typed: the server names the field and says what is wrong.
    return text;
  }
}

export function draftToInput(d: BlueprintDraft): BlueprintInput {
  const properties: Record<string, BlueprintProperty> = {};
  for (const p of d.properties) {
    const prop: BlueprintProperty = { ...p.extra, type: p.type };
    if (p.title.trim()) prop.title = p.title.trim();
    if (p.description.trim()) prop.description = p.description.trim();
    if (p.format) prop.format = p.format;
    if (p.enumValues.length > 0) {
      prop.enum = p.type === 'number' ? p.enumValues.map((v) => parseByType('number', v)) : p.enumValues;
      const colors = Object.fromEntries(Object.entries(p.enumColors).filter(([v, c]) => c && p.enumValues.includes(v)));
      if (Object.keys(colors).length > 0) prop.enumColors = colors;
    }
    if (p.defaultText !== '') prop.default = parseByType(p.type, p.defaultText);
    properties[p.id] = prop;
  }
  const input: BlueprintInput = {
    identifier: d.identifier.trim(),
    title: d.title.trim(),
    schema: { properties, required: d.properties.filter((p) => p.required).map((p) => p.id) },
    relations: Object.fromEntries(
      d.relations.map((r) => [r.id, { target: r.target, many: r.many, required: r.required, ...(r.title.trim() ? { title: r.title.trim() } : {}), ...(r.description.trim() ? { description: r.description.trim() } : {}) }]),
    ),
    mirrorProperties: Object.fromEntries(d.mirrors.map((m) => [m.id, { path: m.path, ...(m.title.trim() ? { title: m.title.trim() } : {}) }])),
    ...d.kept,
  };
  if (d.icon.trim()) input.icon = d.icon.trim();
  if (d.description.trim()) input.description = d.description.trim();
  return input;
}

/** Local problems the server would refuse anyway, caught before sending: blank or repeated ids. */
export function localProblems(d: BlueprintDraft): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const check = (rows: { id: string }[], base: string, label: string) => {
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      if (!r.id.trim()) problems.push({ path: `${base}.#${i}`, message: `${label} ${i + 1} needs an identifier` });
      else if (seen.has(r.id)) problems.push({ path: `${base}.${r.id}`, message: `${label} “${r.id}” appears twice` });
      seen.add(r.id);
    });
  };
  check(d.properties, 'schema.properties', 'Property');
  check(d.relations, 'relations', 'Relation');
  check(d.mirrors, 'mirrorProperties', 'Mirror property');
  return problems;
}

/** Changes that can invalidate or drop data of existing entities; each asks for confirmation. */
export function destructiveChanges(original: Blueprint, next: BlueprintInput): string[] {
  const out: string[] = [];
  const nextProps = next.schema.properties ?? {};
  const nextRequired = next.schema.required ?? [];
  for (const [id, p] of Object.entries(original.schema.properties)) {
    const n = nextProps[id];
    if (!n) out.push(`Remove property “${id}” (its values are dropped from every entity)`);
    else if (n.type !== p.type) out.push(`Change the type of “${id}” from ${p.type} to ${n.type}`);
    else if ((n.format ?? '') !== (p.format ?? '') && n.format) out.push(`Change the format of “${id}” to ${n.format}`);
    else if (n.enum && (!p.enum || p.enum.some((v) => !n.enum!.includes(v)))) out.push(`Restrict the allowed values of “${id}”`);
  }
  for (const id of nextRequired) if (!original.schema.required.includes(id)) out.push(`Make property “${id}” required`);
  const nextRel = next.relations ?? {};
  for (const [id, r] of Object.entries(original.relations)) {
    const n = nextRel[id];
    if (!n) out.push(`Remove relation “${id}” (its links are dropped from every entity)`);
    else {
      if (n.target !== r.target) out.push(`Point relation “${id}” at ${n.target} instead of ${r.target}`);
      if (r.many && n.many === false) out.push(`Make relation “${id}” single-valued`);
      if (!r.required && n.required) out.push(`Make relation “${id}” required`);
    }
  }
  for (const [id, n] of Object.entries(nextRel)) if (!original.relations[id] && n.required) out.push(`Add required relation “${id}”`);
  for (const id of Object.keys(original.mirrorProperties)) if (!(next.mirrorProperties ?? {})[id]) out.push(`Remove mirror property “${id}”`);
  if (next.identifier !== original.identifier) out.push(`Rename the blueprint from “${original.identifier}” to “${next.identifier}”`);
  return out;
}

/** Messages for one editor row: every problem whose path starts with the row's path. */
export function problemsFor(details: FieldProblem[], prefix: string): string[] {
  return details.filter((d) => d.path === prefix || d.path.startsWith(`${prefix}.`)).map((d) => (d.path === prefix ? d.message : `${d.path.slice(prefix.length + 1)}: ${d.message}`));
}
