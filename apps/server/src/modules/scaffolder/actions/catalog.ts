import YAML from 'yaml';
import { ConflictError } from '../../../plugins/errors.ts';
import { parseEntityRef } from '../templating.ts';
import { safeRelative } from './fetch.ts';
import { ActionInputError, optStr, type ActionDefinition } from './types.ts';

// catalog:write puts the entity file into the workspace (so publish:github commits it);
// catalog:register creates the entity in the portal's catalog through EntitiesService, as the
// person who ran the template: validation, entity permissions and the audit log all apply.

export const catalogWrite: ActionDefinition = {
  id: 'catalog:write',
  description: 'Writes a catalog entity file (catalog-info.yaml) into the workspace',
  kind: 'workspace',
  needsGitHub: false,
  async run(ctx) {
    const filePath = safeRelative(optStr(ctx.input, 'filePath') ?? 'catalog-info.yaml', 'filePath');
    const entity = ctx.input.entity;
    if (!entity || typeof entity !== 'object' || Array.isArray(entity)) throw new ActionInputError('input "entity" must be an object (a Backstage entity: apiVersion, kind, metadata, spec)');
    ctx.workspace.set(filePath, Buffer.from(YAML.stringify(entity), 'utf8'));
    await ctx.log(`catalog:write: wrote ${filePath}`);
    return { filePath };
  },
};

interface RegisterPlan {
  blueprint: string;
  body: { identifier: string; title?: string; team: string[]; properties: Record<string, unknown>; relations: Record<string, unknown> };
}

/** Backstage entity (catalog-info.yaml) → a Portolan entity of the example model. */
export function fromBackstageEntity(doc: Record<string, unknown>, repositoryUrl: string | undefined): RegisterPlan {
  const kind = String(doc.kind ?? 'Component');
  const metadata = (doc.metadata ?? {}) as Record<string, unknown>;
  const spec = (doc.spec ?? {}) as Record<string, unknown>;
  const name = metadata.name;
  if (typeof name !== 'string' || !name) throw new ActionInputError('the catalog file has no metadata.name');
  const blueprint = { component: 'Component', api: 'API', resource: 'Resource', system: 'System', domain: 'Domain' }[kind.toLowerCase()];
  if (!blueprint) throw new ActionInputError(`catalog:register can register Component, API, Resource, System and Domain entities, not "${kind}"`);
  const properties: Record<string, unknown> = {};
  for (const k of ['type', 'lifecycle']) if (typeof spec[k] === 'string') properties[k] = spec[k];
  if (typeof metadata.description === 'string') properties.description = metadata.description;
  if (Array.isArray(metadata.tags)) properties.tags = metadata.tags;
  const annotations = (metadata.annotations ?? {}) as Record<string, unknown>;
  if (Object.keys(annotations).length) properties.annotations = annotations;
  if (repositoryUrl && blueprint === 'Component') properties.repository = repositoryUrl;
  const relations: Record<string, unknown> = {};
  if (typeof spec.system === 'string' && spec.system) relations.system = parseEntityRef(spec.system).name;
  const owner = typeof spec.owner === 'string' && spec.owner ? parseEntityRef(spec.owner).name : null;
  return {
    blueprint,
    body: { identifier: name, ...(typeof metadata.title === 'string' ? { title: metadata.title } : {}), team: owner ? [owner] : [], properties, relations },
  };
}

function planFromInput(input: Record<string, unknown>, readFile: (p: string) => Buffer | undefined): RegisterPlan {
  const repositoryUrl = optStr(input, 'repositoryUrl') ?? optStr(input, 'repoContentsUrl')?.replace(/\/blob\/[^/]+\/?$/, '');
  const catalogInfoPath = optStr(input, 'catalogInfoPath');
  if (catalogInfoPath && input.identifier === undefined) {
    const file = readFile(safeRelative(catalogInfoPath, 'catalogInfoPath'));
    if (!file) throw new ActionInputError(`catalogInfoPath "${catalogInfoPath}" is not in the workspace (write it with fetch:template or catalog:write first)`);
    return fromBackstageEntity(YAML.parse(file.toString('utf8')) as Record<string, unknown>, repositoryUrl);
  }
  const identifier = optStr(input, 'identifier');
  if (!identifier) throw new ActionInputError('input "identifier" is required (or "catalogInfoPath" to register the catalog file from the workspace)');
  const teamInput = input.team ?? input.owner;
  const team = (Array.isArray(teamInput) ? teamInput : teamInput ? [teamInput] : []).map((t) => parseEntityRef(String(t)).name);
  const properties = { ...((input.properties ?? {}) as Record<string, unknown>) };
  if (repositoryUrl && properties.repository === undefined) properties.repository = repositoryUrl;
  const relations = { ...((input.relations ?? {}) as Record<string, unknown>) };
  if (typeof input.system === 'string' && input.system && relations.system === undefined) relations.system = parseEntityRef(input.system).name;
  for (const [k, v] of Object.entries(relations)) if (v === '' || v === undefined) delete relations[k];
  const title = optStr(input, 'title');
  return { blueprint: optStr(input, 'blueprint') ?? 'Component', body: { identifier, ...(title ? { title } : {}), team, properties, relations } };
}

export const catalogRegister: ActionDefinition = {
  id: 'catalog:register',
  description: 'Creates the entity in the catalog (owner team, system relation, repository URL), as the person who ran the template',
  kind: 'effect',
  needsGitHub: false,
  describe(input, { workspace }) {
    const plan = planFromInput(input, (p) => workspace.get(p));
    return {
      description: `Would register ${plan.blueprint} "${plan.body.identifier}" owned by ${plan.body.team.join(', ') || 'no team'}`,
      output: { entityRef: `${plan.blueprint.toLowerCase()}:default/${plan.body.identifier}`, blueprint: plan.blueprint, identifier: plan.body.identifier, catalogUrl: `/catalog/${plan.blueprint}/${encodeURIComponent(plan.body.identifier)}` },
    };
  },
  async run(ctx) {
    const plan = planFromInput(ctx.input, (p) => ctx.workspace.get(p));
    const output = {
      entityRef: `${plan.blueprint.toLowerCase()}:default/${plan.body.identifier}`,
      blueprint: plan.blueprint,
      identifier: plan.body.identifier,
      catalogUrl: `/catalog/${plan.blueprint}/${encodeURIComponent(plan.body.identifier)}`,
    };
    return ctx.checkpoint('registered', async () => {
      const interrupted = ctx.checkpoints['registering'] !== undefined;
      await ctx.setCheckpoint('registering', true);
      try {
        await ctx.entities.create(plan.blueprint, plan.body, { upsert: false, merge: false, validationOnly: false, createMissingRelated: false }, ctx.actor);
      } catch (error) {
        // A resumed step whose first attempt registered the entity before the server stopped.
        if (interrupted && error instanceof ConflictError) {
          const existing = await ctx.entities.get(plan.blueprint, plan.body.identifier).catch(() => null);
          if (existing && existing.entity.createdBy === ctx.actor.id) {
            await ctx.log(`catalog:register: ${output.entityRef} was registered before the interruption`);
            return output;
          }
        }
        await ctx.clearCheckpoint('registering');
        if (error instanceof ConflictError) throw new Error(`An entity "${plan.body.identifier}" already exists in ${plan.blueprint}: choose another name`);
        throw error;
      }
      await ctx.log(`catalog:register: registered ${output.entityRef}`);
      return output;
    });
  },
};

export const debugLog: ActionDefinition = {
  id: 'debug:log',
  description: 'Writes a message (and optionally the workspace file list) to the task log',
  kind: 'workspace',
  needsGitHub: false,
  async run(ctx) {
    const message = ctx.input.message;
    if (message !== undefined) await ctx.log(typeof message === 'string' ? message : JSON.stringify(message));
    if (ctx.input.listWorkspace === true || ctx.input.listWorkspace === 'with-filenames') {
      const files = [...ctx.workspace.keys()].sort();
      await ctx.log(`workspace (${files.length} files):\n${files.join('\n')}`);
    }
    return {};
  },
};
