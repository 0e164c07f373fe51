import { formatRef, identifierFor, parseEntityRef, type EntityRef } from './entity-refs.ts';
import type { FileProblem, ParsedDocument, SourceLocation } from './yaml-documents.ts';

// Backstage descriptors → Portolan's default blueprints (Domain, System, Component, API,
// Resource), teams (Group) and users (User). Locations are returned for the caller to follow.
// Anything that does not fit is reported with the line it comes from; nothing is dropped silently.

export const BLUEPRINT_OF_KIND: Record<string, string> = {
  domain: 'Domain',
  system: 'System',
  component: 'Component',
  api: 'API',
  resource: 'Resource',
};

const API_TYPES: Record<string, string> = { openapi: 'Open API', asyncapi: 'AsyncAPI', graphql: 'GraphQL', grpc: 'grpc' };
const NAME = /^[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*$/;
const API_VERSIONS = new Set(['backstage.io/v1alpha1', 'backstage.io/v1beta1']);
const REQUIRED_SPEC: Record<string, string[]> = {
  component: ['type', 'lifecycle', 'owner'],
  api: ['type', 'lifecycle', 'owner', 'definition'],
  resource: ['type', 'owner'],
  system: ['owner'],
  domain: ['owner'],
  group: ['type', 'children'],
  user: ['memberOf'],
};

export interface ImportedEntity {
  blueprint: string;
  ref: string;
  entity: { identifier: string; title: string; team: string[]; properties: Record<string, unknown>; relations: Record<string, string | string[]> };
  source: SourceLocation;
  /** Where each mapped field came from, for messages about the entity ("relations.system" → spec.system line). */
  fieldSources: Record<string, SourceLocation>;
}

export interface ImportedTeam {
  identifier: string;
  title: string | null;
  description: string | null;
  memberRefs: string[];
  source: SourceLocation;
}

export interface ImportedUser {
  ref: string;
  email: string;
  name: string | null;
  teams: string[];
  source: SourceLocation;
}

export interface ImportedLocation {
  /** As written (absolute URL or path relative to `from`). */
  target: string;
  from: string;
  optional: boolean;
  source: SourceLocation;
}

export interface BackstageImport {
  entities: ImportedEntity[];
  teams: ImportedTeam[];
  users: ImportedUser[];
  locations: ImportedLocation[];
  problems: FileProblem[];
}

export interface BackstageDocument {
  file: string;
  document: ParsedDocument;
  /** Text of `$text`/`$json`/`$yaml` substitutions, already read by the caller (path or URL → text). */
  substitutions?: ReadonlyMap<string, string>;
}

/** The `$text:` / `$json:` / `$yaml:` targets a document needs read before it can be imported. */
export function substitutionTargets(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && ['$text', '$json', '$yaml'].includes(keys[0]!) && typeof o[keys[0]!] === 'string') out.push(o[keys[0]!] as string);
      else Object.values(o).forEach(walk);
    }
  };
  walk(value);
  return out;
}

export function importBackstage(docs: BackstageDocument[]): BackstageImport {
  const result: BackstageImport = { entities: [], teams: [], users: [], locations: [], problems: [] };
  const providers = new Map<string, { component: string; source: SourceLocation }>();

  for (const { file, document, substitutions } of docs) {
    const problem = (path: string, message: string, severity: 'error' | 'warning' = 'error', ref?: string) =>
      result.problems.push({ ...document.locate(path), message, severity, ...(ref ? { ref } : {}) });
    const v = document.value as Record<string, unknown> | null;
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      problem('', 'a descriptor must be a mapping with apiVersion, kind, metadata and spec');
      continue;
    }
    const meta = (v.metadata ?? {}) as Record<string, unknown>;
    const spec = (v.spec ?? {}) as Record<string, unknown>;
    const kind = typeof v.kind === 'string' ? v.kind.toLowerCase() : '';
    const name = meta.name;
    const namespace = typeof meta.namespace === 'string' ? meta.namespace.toLowerCase() : 'default';
    const ref = kind && typeof name === 'string' ? `${kind}:${namespace}/${name}`.toLowerCase() : undefined;

    let ok = true;
    const error = (path: string, message: string) => {
      ok = false;
      problem(path, message, 'error', ref);
    };
    if (typeof v.apiVersion !== 'string' || !(API_VERSIONS.has(v.apiVersion) || (kind === 'template' && v.apiVersion.startsWith('scaffolder.backstage.io/')))) {
      error('apiVersion', `apiVersion must be backstage.io/v1alpha1 (got ${JSON.stringify(v.apiVersion ?? null)})`);
    }
    if (!kind) error('kind', 'kind is required');
    if (typeof name !== 'string' || !NAME.test(name) || name.length > 63) {
      error(typeof name === 'string' ? 'metadata.name' : 'metadata', 'metadata.name must be 1-63 letters and digits, separated by - _ or .');
    }
    if (kind === 'template') {
      problem('kind', 'Template entities are managed by the scaffolder (/v1/scaffolder/templates), not imported into the catalog', 'warning', ref);
      continue;
    }
    if (kind && !(kind in BLUEPRINT_OF_KIND) && !['group', 'user', 'location'].includes(kind)) {
      error('kind', `kind "${v.kind}" has no blueprint here (Domain, System, Component, API, Resource, Group, User, Location)`);
    }
    for (const field of REQUIRED_SPEC[kind] ?? []) if (spec[field] === undefined) error(`spec`, `spec.${field} is required for kind ${v.kind}`);
    if (!ok) continue;

    const sub = (value: unknown, path: string): unknown => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const [k, target] = Object.entries(value as Record<string, unknown>)[0] ?? [];
        if (k && ['$text', '$json', '$yaml'].includes(k) && typeof target === 'string') {
          const text = substitutions?.get(target);
          if (text === undefined) {
            problem(path, `${k}: ${target} could not be read`, 'error', ref);
            return undefined;
          }
          return k === '$json' ? safeJson(text) : text;
        }
      }
      return value;
    };
    const refOf = (value: unknown, path: string, defaultKind: string): EntityRef | null => {
      const r = parseEntityRef(value, { kind: defaultKind, namespace });
      if ('error' in r) {
        problem(path, r.error, 'error', ref);
        return null;
      }
      return r;
    };

    if (kind === 'location') {
      const targets = [...(typeof spec.target === 'string' ? [spec.target] : []), ...(Array.isArray(spec.targets) ? spec.targets.filter((x): x is string => typeof x === 'string') : [])];
      if (targets.length === 0) problem('spec', 'a Location needs spec.target or spec.targets', 'error', ref);
      targets.forEach((target, i) =>
        result.locations.push({ target, from: file, optional: spec.presence === 'optional', source: document.locate(typeof spec.target === 'string' && i === 0 ? 'spec.target' : `spec.targets.${i - (typeof spec.target === 'string' ? 1 : 0)}`) }),
      );
      continue;
    }
    if (kind === 'group') {
      const profile = (spec.profile ?? {}) as Record<string, unknown>;
      const members = Array.isArray(spec.members) ? spec.members : [];
      result.teams.push({
        identifier: String(name),
        title: typeof profile.displayName === 'string' ? profile.displayName : typeof meta.title === 'string' ? meta.title : null,
        description: typeof meta.description === 'string' ? meta.description : null,
        memberRefs: members.map((m, i) => refOf(m, `spec.members.${i}`, 'user')).filter((r): r is EntityRef => r !== null).map(formatRef),
        source: document.locate(''),
      });
      continue;
    }
    if (kind === 'user') {
      const profile = (spec.profile ?? {}) as Record<string, unknown>;
      if (typeof profile.email !== 'string') {
        problem('spec', `user ${String(name)} has no spec.profile.email, which Portolan needs to identify people; not imported`, 'warning', ref);
        continue;
      }
      const memberOf = Array.isArray(spec.memberOf) ? spec.memberOf : [];
      result.users.push({
        ref: ref!,
        email: profile.email.toLowerCase(),
        name: typeof profile.displayName === 'string' ? profile.displayName : null,
        teams: memberOf.map((m, i) => refOf(m, `spec.memberOf.${i}`, 'group')).filter((r): r is EntityRef => r !== null).map((r) => r.name),
        source: document.locate(''),
      });
      continue;
    }

    // Domain, System, Component, API, Resource.
    const blueprint = BLUEPRINT_OF_KIND[kind]!;
    const fieldSources: Record<string, SourceLocation> = {};
    const properties: Record<string, unknown> = {};
    const relations: Record<string, string | string[]> = {};
    const setProp = (prop: string, value: unknown, path: string) => {
      if (value === undefined || value === null) return;
      properties[prop] = value;
      fieldSources[`properties.${prop}`] = document.locate(path);
    };
    const setRel = (rel: string, value: string | string[], path: string) => {
      relations[rel] = value;
      fieldSources[`relations.${rel}`] = document.locate(path);
    };
    if (typeof meta.description === 'string') setProp('description', meta.description, 'metadata.description');
    if (Array.isArray(meta.tags)) setProp('tags', meta.tags.map(String), 'metadata.tags');
    if (Array.isArray(meta.links)) {
      setProp('links', meta.links.map((l) => (l && typeof l === 'object' ? (l as Record<string, unknown>).url : undefined)).filter((u): u is string => typeof u === 'string'), 'metadata.links');
    }
    if (meta.annotations && typeof meta.annotations === 'object') setProp('annotations', meta.annotations, 'metadata.annotations');

    const team: string[] = [];
    if (spec.owner !== undefined) {
      const owner = refOf(spec.owner, 'spec.owner', 'group');
      if (owner?.kind === 'group') team.push(owner.name);
      else if (owner) problem('spec.owner', `owner ${formatRef(owner)} is a ${owner.kind}; Portolan entities are owned by teams, so this entity has no owning team`, 'warning', ref);
    }
    const single = (field: string, rel: string, targetKind: string) => {
      if (spec[field] === undefined) return;
      const r = refOf(spec[field], `spec.${field}`, targetKind);
      if (!r) return;
      if (r.kind !== targetKind) return problem(`spec.${field}`, `spec.${field} must refer to a ${targetKind}, not ${formatRef(r)}`, 'error', ref);
      setRel(rel, identifierFor(r), `spec.${field}`);
    };
    const list = (field: string): EntityRef[] =>
      (Array.isArray(spec[field]) ? (spec[field] as unknown[]) : spec[field] === undefined ? [] : [spec[field]])
        .map((x, i) => refOf(x, `spec.${field}.${i}`, field === 'dependsOn' ? '' : 'api'))
        .filter((r): r is EntityRef => r !== null);

    if (kind === 'system') single('domain', 'domain', 'domain');
    if (kind === 'domain' && spec.subdomainOf !== undefined) problem('spec.subdomainOf', 'subdomainOf has no relation on the Domain blueprint; not imported', 'warning', ref);
    if (kind === 'component' || kind === 'resource' || kind === 'api') single('system', 'system', 'system');
    if (kind === 'component') {
      setProp('type', spec.type, 'spec.type');
      setProp('lifecycle', spec.lifecycle, 'spec.lifecycle');
      single('subcomponentOf', 'subcomponentOf', 'component');
      const provides = list('providesApis');
      if (provides.length > 0) {
        // The Component blueprint holds one provided API; every API also names its provider.
        setRel('providesApi', identifierFor(provides[0]!), 'spec.providesApis');
        for (const api of provides) providers.set(formatRef(api), { component: identifierFor({ namespace, name: String(name) }), source: document.locate('spec.providesApis') });
      }
      const consumes = list('consumesApis');
      if (consumes.length > 0) setRel('consumesApi', consumes.map(identifierFor), 'spec.consumesApis');
    }
    if (kind === 'resource') setProp('type', spec.type, 'spec.type');
    if (kind === 'component' || kind === 'resource') {
      const deps = list('dependsOn');
      const components = deps.filter((d) => d.kind === 'component').map(identifierFor);
      const resources = deps.filter((d) => d.kind === 'resource').map(identifierFor);
      if (kind === 'component') {
        if (components.length) setRel('components', components, 'spec.dependsOn');
        if (resources.length) setRel('resources', resources, 'spec.dependsOn');
      }
      const unmapped = deps.filter((d) => kind === 'resource' || !['component', 'resource'].includes(d.kind));
      if (unmapped.length) problem('spec.dependsOn', `dependsOn ${unmapped.map(formatRef).join(', ')} has no matching relation on the ${blueprint} blueprint; not imported`, 'warning', ref);
    }
    if (kind === 'api') {
      const apiType = typeof spec.type === 'string' ? API_TYPES[spec.type.toLowerCase()] : undefined;
      if (apiType) setProp('type', apiType, 'spec.type');
      else problem('spec.type', `API type ${JSON.stringify(spec.type)} is not one of openapi, asyncapi, graphql, grpc`, 'error', ref);
      const definition = sub(spec.definition, 'spec.definition');
      if (definition !== undefined) setProp('definition', typeof definition === 'string' ? definition : JSON.stringify(definition, null, 2), 'spec.definition');
    }

    result.entities.push({
      blueprint,
      ref: ref!,
      entity: { identifier: identifierFor({ namespace, name: String(name) }), title: typeof meta.title === 'string' ? meta.title : String(name), team, properties, relations },
      source: document.locate(''),
      fieldSources,
    });
  }

  // An API's provider comes from the Component that lists it in providesApis.
  for (const e of result.entities) {
    if (e.blueprint !== 'API') continue;
    const provider = providers.get(e.ref);
    if (provider) {
      e.entity.relations.provider = provider.component;
      e.fieldSources['relations.provider'] = provider.source;
    }
  }
  return result;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
