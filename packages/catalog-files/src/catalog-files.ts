import { compileEntityValidator, validateBlueprint, validateEntityRelations } from '@portolan/catalog-model';
import { blueprintInputSchema, entityInputSchema, type BlueprintDefinition } from '@portolan/contract';
import { importBackstage, substitutionTargets, type BackstageDocument, type ImportedEntity, type ImportedLocation, type ImportedTeam, type ImportedUser } from './backstage-import.ts';
import { parseDocuments, type FileProblem, type ParsedDocument, type SourceLocation } from './yaml-documents.ts';

// One reader for every catalog file a repository may hold: Backstage descriptors, and Portolan
// (Port-shaped) blueprints, entities and actions in JSON or YAML.

export interface CatalogFile {
  path: string;
  text: string;
}

export interface CatalogFileSet {
  blueprints: { definition: BlueprintDefinition; source: SourceLocation }[];
  entities: ImportedEntity[];
  /** Port action JSON, kept as written (self-service actions validate them). */
  actions: { value: Record<string, unknown>; source: SourceLocation }[];
  teams: ImportedTeam[];
  users: ImportedUser[];
  locations: ImportedLocation[];
  problems: FileProblem[];
}

/** Reads a file a substitution or Location points at; undefined when it cannot be read. */
export type ReadRelative = (fromFile: string, target: string) => Promise<string | undefined>;

function kindOf(value: unknown): 'backstage' | 'blueprint' | 'entities' | 'entity' | 'action' | 'unknown' {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'unknown';
  const v = value as Record<string, unknown>;
  if (typeof v.apiVersion === 'string' && 'kind' in v) return 'backstage';
  if (typeof v.blueprint === 'string' && Array.isArray(v.entities)) return 'entities';
  if ('trigger' in v && 'invocationMethod' in v) return 'action';
  if (typeof v.identifier === 'string' && 'schema' in v) return 'blueprint';
  if (typeof v.identifier === 'string' && typeof v.blueprint === 'string') return 'entity';
  return 'unknown';
}

export async function readCatalogFiles(files: CatalogFile[], readRelative?: ReadRelative): Promise<CatalogFileSet> {
  const set: CatalogFileSet = { blueprints: [], entities: [], actions: [], teams: [], users: [], locations: [], problems: [] };
  const backstage: BackstageDocument[] = [];

  for (const file of files) {
    const { documents, problems } = parseDocuments(file.text, file.path);
    set.problems.push(...problems);
    for (const document of documents) {
      // A Port export is often one JSON array of blueprints or entities.
      const items: { value: unknown; doc: ParsedDocument; path: string }[] = Array.isArray(document.value)
        ? document.value.map((value, i) => ({ value, doc: document, path: String(i) }))
        : [{ value: document.value, doc: document, path: '' }];
      for (const { value, doc, path } of items) {
        const at = (p: string) => doc.locate([path, p].filter(Boolean).join('.'));
        switch (kindOf(value)) {
          case 'backstage': {
            const substitutions = new Map<string, string>();
            for (const target of substitutionTargets(value)) {
              const text = readRelative ? await readRelative(file.path, target) : undefined;
              if (text !== undefined) substitutions.set(target, text);
            }
            backstage.push({ file: file.path, document: doc, substitutions });
            break;
          }
          case 'blueprint': {
            const parsed = blueprintInputSchema.safeParse(value);
            if (!parsed.success) {
              for (const issue of parsed.error.issues) set.problems.push({ ...at(issue.path.join('.')), message: `${issue.path.join('.') || 'blueprint'}: ${issue.message}`, severity: 'error' });
            } else set.blueprints.push({ definition: parsed.data, source: at('') });
            break;
          }
          case 'entities':
          case 'entity': {
            const v = value as Record<string, unknown>;
            const list = kindOf(value) === 'entities' ? (v.entities as unknown[]) : [value];
            list.forEach((raw, i) => {
              const base = kindOf(value) === 'entities' ? `entities.${i}` : '';
              const parsed = entityInputSchema.safeParse(raw);
              if (!parsed.success) {
                for (const issue of parsed.error.issues) set.problems.push({ ...at([base, ...issue.path.map(String)].filter(Boolean).join('.')), message: `${issue.path.join('.') || 'entity'}: ${issue.message}`, severity: 'error' });
                return;
              }
              const e = parsed.data;
              const fieldSources: Record<string, SourceLocation> = {};
              for (const k of Object.keys(e.properties)) fieldSources[`properties.${k}`] = at([base, 'properties', k].filter(Boolean).join('.'));
              for (const k of Object.keys(e.relations)) fieldSources[`relations.${k}`] = at([base, 'relations', k].filter(Boolean).join('.'));
              set.entities.push({
                blueprint: String(v.blueprint),
                ref: `${String(v.blueprint)}:${e.identifier}`,
                entity: {
                  identifier: e.identifier,
                  title: e.title ?? e.identifier,
                  team: typeof e.team === 'string' ? [e.team] : e.team ?? [],
                  properties: e.properties,
                  relations: Object.fromEntries(Object.entries(e.relations).filter(([, r]) => r !== null)) as Record<string, string | string[]>,
                },
                source: at(base),
                fieldSources,
              });
            });
            break;
          }
          case 'action':
            set.actions.push({ value: value as Record<string, unknown>, source: at('') });
            break;
          default:
            set.problems.push({ ...at(''), message: 'not a catalog document: expected a Backstage descriptor (apiVersion, kind), a blueprint (identifier, schema), an entity (identifier, blueprint), {blueprint, entities: [...]}, or an action (trigger, invocationMethod)', severity: 'error' });
        }
      }
    }
  }

  const imported = importBackstage(backstage);
  set.entities.push(...imported.entities);
  set.teams.push(...imported.teams);
  set.users.push(...imported.users);
  set.locations.push(...imported.locations);
  set.problems.push(...imported.problems);
  return set;
}

/**
 * Check blueprints and entities against a model (the given blueprints plus those in the files):
 * blueprint rules, property schemas, relation shapes, required relations, and relation targets
 * that exist neither in the files nor in `knownEntities` (warnings: they may exist in the portal).
 */
export function checkCatalog(set: CatalogFileSet, model: BlueprintDefinition[], knownEntities?: ReadonlySet<string>): FileProblem[] {
  const problems: FileProblem[] = [];
  const all = new Map(model.map((b) => [b.identifier, b]));
  for (const { definition } of set.blueprints) all.set(definition.identifier, definition);
  for (const { definition, source } of set.blueprints) {
    const others = new Map(all);
    others.delete(definition.identifier);
    for (const p of validateBlueprint(definition, { blueprints: others })) problems.push({ ...source, message: `blueprint ${definition.identifier}: ${p.path} ${p.message}`, severity: 'error' });
  }
  const present = new Set(set.entities.map((e) => `${e.blueprint}/${e.entity.identifier}`));
  const validators = new Map<string, ReturnType<typeof compileEntityValidator>>();
  for (const e of set.entities) {
    const bp = all.get(e.blueprint);
    const where = (path: string) => e.fieldSources[path] ?? e.fieldSources[path.split('.').slice(0, 2).join('.')] ?? e.source;
    if (!bp) {
      problems.push({ ...e.source, message: `${e.ref}: blueprint "${e.blueprint}" does not exist`, severity: 'error', ref: e.ref });
      continue;
    }
    const validate = validators.get(bp.identifier) ?? compileEntityValidator(bp);
    validators.set(bp.identifier, validate);
    for (const p of validate(e.entity.properties)) problems.push({ ...where(p.path), message: `${e.ref}: ${p.path} ${p.message}`, severity: 'error', ref: e.ref });
    for (const p of validateEntityRelations(bp, e.entity.relations, { requireRequired: true })) problems.push({ ...where(p.path), message: `${e.ref}: ${p.path} ${p.message}`, severity: 'error', ref: e.ref });
    for (const [rel, value] of Object.entries(e.entity.relations)) {
      const target = bp.relations[rel]?.target;
      if (!target) continue;
      for (const id of Array.isArray(value) ? value : [value]) {
        if (!present.has(`${target}/${id}`) && !knownEntities?.has(`${target}/${id}`)) {
          problems.push({ ...where(`relations.${rel}`), message: `${e.ref}: relations.${rel}: "${id}" (${target}) is not in these files; it must already exist in the portal`, severity: 'warning', ref: e.ref });
        }
      }
    }
  }
  return problems;
}

export function formatProblem(p: FileProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}`;
}
