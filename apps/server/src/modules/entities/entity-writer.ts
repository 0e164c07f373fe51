import type { Kysely } from 'kysely';
import { applyDefaults, normalizeRelations, validateEntityRelations } from '@portolan/catalog-model';
import { entityPatchSchema, entityUpdateSchema, type BlueprintDefinition, type FieldProblem } from '@portolan/contract';
import type { Database } from '../../db/schema.ts';
import { problemsFromZod } from '../../plugins/errors.ts';
import type { Actor } from '../request-context.ts';
import * as repo from './entities.repository.ts';
import { buildSearchText } from './search-text.ts';
import type { EntityValidatorCache } from './entity-validators.ts';
import type { LoadedBlueprint } from './blueprint-loader.ts';
import { parseEntityInput } from './entity-input.ts';

// One write path for every entity write: single create/upsert/PUT/PATCH are batches of one, bulk is
// a batch of up to 1,000. A batch costs a fixed number of statements, whatever its size.

export type OnExisting = 'conflict' | 'replace' | 'merge';
export type OnMissing = 'create' | 'not_found';

/** Returns null when the caller may do this, else why not (403). */
export type EntityAuthorizer = (action: 'register' | 'update', blueprint: string, teams: string[]) => string | null;

export interface WriteOptions {
  onExisting: OnExisting;
  onMissing: OnMissing;
  createMissingRelated: boolean;
  validationOnly: boolean;
  /** PATCH bodies: every field optional, merged into the stored entity. */
  partialBodies?: boolean;
  /** Absent for the system itself. */
  authorize?: EntityAuthorizer;
  /** Set by a location refresh: the entities come from these files (see modules/locations). */
  source?: { locationId: string; urlOf(identifier: string): string };
}

export interface WriteRequest {
  /** The body as received; parsed here so one bad item does not fail a bulk request. */
  body: unknown;
  /** Route identifier for PUT/PATCH; a different body identifier renames the entity. */
  pathIdentifier?: string;
  /** Expected stored version (If-Match); null: no precondition. */
  expectedVersion?: number | null | 'any';
}

export interface WriteFailure {
  index: number;
  identifier: string | null;
  statusCode: 400 | 403 | 404 | 409 | 412;
  error: 'invalid_request' | 'forbidden' | 'not_found' | 'conflict' | 'precondition_failed';
  message: string;
  details?: FieldProblem[];
}

export interface WriteSuccess {
  index: number;
  identifier: string;
  created: boolean;
  changed: boolean;
  /** The row as written; null when nothing was written (unchanged, or validation only). */
  row: repo.StoredEntityRow | null;
}

interface Candidate {
  index: number;
  identifier: string;
  lookup: string;
  existing: repo.ExistingEntity | undefined;
  title: string | null;
  icon: string | null;
  team: string[];
  properties: Record<string, unknown>;
  relations: Record<string, string[]>;
  /** New, or its relations differ from the stored ones: its targets are checked and its edges rewritten. */
  relinked: boolean;
}

export async function writeEntities(
  trx: Kysely<Database>,
  bp: LoadedBlueprint,
  blueprints: ReadonlyMap<string, LoadedBlueprint>,
  requests: WriteRequest[],
  options: WriteOptions,
  actor: Actor,
  validators: EntityValidatorCache,
): Promise<{ successes: WriteSuccess[]; failures: WriteFailure[] }> {
  const def = bp.definition;
  const failures: WriteFailure[] = [];
  const fail = (index: number, identifier: string | null, statusCode: WriteFailure['statusCode'], message: string, details?: FieldProblem[]) =>
    failures.push({ index, identifier, statusCode, error: errorFor(statusCode), message, ...(details ? { details } : {}) });

  // 1. Shape of each body.
  const parsed: { index: number; body: ReturnType<typeof entityPatchSchema.parse>; lookup: string; identifier: string; expected: WriteRequest['expectedVersion'] }[] = [];
  const seen = new Map<string, number>();
  requests.forEach((req, index) => {
    const result = options.partialBodies ? entityPatchSchema.safeParse(req.body) : req.pathIdentifier ? entityUpdateSchema.safeParse(req.body) : parseEntityInput(req.body);
    const rawId = isRecord(req.body) && typeof req.body.identifier === 'string' ? req.body.identifier : null;
    if (!result.success) {
      fail(index, rawId ?? req.pathIdentifier ?? null, 400, 'Invalid entity', problemsFromZod(result.error.issues));
      return;
    }
    const body = result.data;
    if (body.blueprint !== undefined && body.blueprint !== def.identifier) {
      fail(index, rawId, 400, 'Invalid entity', [{ path: 'blueprint', message: `must be "${def.identifier}" (the blueprint in the URL)` }]);
      return;
    }
    const lookup = req.pathIdentifier ?? body.identifier!;
    const identifier = body.identifier ?? lookup;
    const dup = seen.get(identifier) ?? seen.get(lookup);
    if (dup !== undefined) {
      fail(index, identifier, 400, `Identifier "${identifier}" appears more than once in this request (first at index ${dup})`);
      return;
    }
    seen.set(identifier, index);
    parsed.push({ index, body, lookup, identifier, expected: req.expectedVersion ?? null });
  });

  // 2. Stored rows, locked: everything after this sees a stable picture of the rows we replace.
  const lookups = [...new Set(parsed.flatMap((p) => (p.lookup === p.identifier ? [p.lookup] : [p.lookup, p.identifier])))];
  const existingRows = await repo.findEntitiesForWrite(trx, def.identifier, lookups, { lock: !options.validationOnly });
  const existingBy = new Map(existingRows.map((r) => [r.identifier, r]));

  // 3. The entity each request asks for, validated against the blueprint.
  const validateProperties = validators.get(def, bp.version, bp.createdAt);
  const candidates: Candidate[] = [];
  const unchanged: Candidate[] = [];
  for (const p of parsed) {
    const existing = existingBy.get(p.lookup);
    if (!existing && options.onMissing === 'not_found') {
      fail(p.index, p.lookup, 404, `Entity "${p.lookup}" of blueprint "${def.identifier}" not found`);
      continue;
    }
    if (existing && options.onExisting === 'conflict') {
      fail(p.index, p.identifier, 409, `Entity "${p.identifier}" of blueprint "${def.identifier}" already exists`);
      continue;
    }
    if (p.expected !== null && p.expected !== undefined && p.expected !== 'any' && (!existing || existing.version !== p.expected)) {
      fail(p.index, p.lookup, 412, `Entity "${p.lookup}" was changed by someone else (expected version ${p.expected}, current ${existing?.version ?? 'none'}); reload it and apply your change again`);
      continue;
    }
    if (p.identifier !== p.lookup && existingBy.has(p.identifier)) {
      fail(p.index, p.identifier, 409, `Cannot rename "${p.lookup}" to "${p.identifier}": that entity already exists`);
      continue;
    }
    const merge = Boolean(existing) && options.onExisting === 'merge';
    const body = p.body;
    const sentRelations = body.relations ? normalizeRelations(def, body.relations) : {};
    const title = body.title !== undefined ? body.title ?? null : merge ? existing!.title : null;
    const icon = body.icon !== undefined ? body.icon ?? null : merge ? existing!.icon : null;
    const team = body.team !== undefined ? [...new Set(typeof body.team === 'string' ? [body.team] : body.team)] : merge ? existing!.team : [];
    // The parsed body is this request's own: used as it is, not copied (a bulk write re-sent
    // unchanged is mostly allocation and garbage collection).
    let properties = merge ? { ...existing!.properties, ...body.properties } : body.properties ?? {};
    // null clears a property; it is not stored.
    if (hasNull(properties)) properties = Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== null));
    if (!existing) properties = applyDefaults(def, properties);
    // A merge keeps the stored relations the body leaves out.
    const relations = merge ? { ...normalizeRelations(def, existing!.relations), ...sentRelations } : sentRelations;

    // An entity whose file lives in Git changes in Git: an edit here would be overwritten by the
    // next refresh of its location, so people are sent to the file instead.
    if (existing?.location_id && !options.source && actor.principal) {
      fail(p.index, p.identifier, 409, `Entity "${p.identifier}" is managed by a catalog file (${existing.source_url ?? 'a registered location'}); change it there`);
      continue;
    }

    // Ownership: changing an entity needs the right on it as it is AND as it will be, so nobody
    // can take another team's entity by renaming its team, or hand theirs to a team they are not in.
    if (options.authorize) {
      const denial = existing
        ? options.authorize('update', def.identifier, existing.team) ?? options.authorize('update', def.identifier, team)
        : options.authorize('register', def.identifier, team);
      if (denial) {
        fail(p.index, p.identifier, 403, denial);
        continue;
      }
    }

    // Unchanged entities (the common case when a whole catalog is re-applied) are done here: what
    // is stored was valid when written, and blueprint changes that would invalidate stored values
    // are refused, so there is nothing to validate, resolve or write.
    const relinked = !existing || !sameJson(existing.relations, storedRelations(def, relations));
    const candidate: Candidate = { index: p.index, identifier: p.identifier, lookup: p.lookup, existing, title, icon, team, properties, relations, relinked };
    if (existing && p.identifier === p.lookup && !options.validationOnly && sameContent(candidate) && !sourceDiffers(existing, options.source, p.identifier)) {
      unchanged.push(candidate);
      continue;
    }

    const problems: FieldProblem[] = [
      ...validateProperties(properties),
      ...(body.relations ? validateEntityRelations(def, body.relations, { requireRequired: false }) : []),
      ...requiredRelationProblems(def, relations),
    ];
    if (problems.length > 0) {
      fail(p.index, p.identifier, 400, `Invalid entity "${p.identifier}": ${problems.map((x) => `${x.path} ${x.message}`).join('; ')}`, problems);
      continue;
    }
    candidates.push(candidate);
  }

  // 4. Relation targets: stored entities, or entities created by this same batch (order does not
  // matter inside a batch). A candidate whose target failed fails too, until nothing changes.
  // Only candidates whose relations change are checked: stored relations point at entities that
  // exist (deleting an entity rewrites the relations that pointed at it). The edge lock keeps
  // every target from being deleted until this batch's edges to it are committed.
  const targetIds = new Map<string, Map<string, string>>();
  const wanted = new Map<string, Set<string>>();
  for (const c of candidates) {
    if (!c.relinked) continue;
    for (const [rel, ids] of Object.entries(c.relations)) {
      const target = def.relations[rel]!.target;
      const set = wanted.get(target) ?? new Set<string>();
      ids.forEach((id) => set.add(id));
      wanted.set(target, set);
    }
  }
  if (wanted.size > 0 && !options.validationOnly) await repo.lockForEdgeWrites(trx);
  for (const [target, ids] of wanted) targetIds.set(target, await repo.resolveIds(trx, target, [...ids]));

  const stubs = new Map<string, Set<string>>();
  let live = candidates;
  for (;;) {
    const inBatch = new Set(live.map((c) => c.identifier));
    const next: Candidate[] = [];
    for (const c of live) {
      if (!c.relinked) {
        next.push(c);
        continue;
      }
      const missing: FieldProblem[] = [];
      for (const [rel, ids] of Object.entries(c.relations)) {
        const target = def.relations[rel]!.target;
        for (const id of ids) {
          const known = targetIds.get(target)?.has(id) || (target === def.identifier && inBatch.has(id));
          if (known) continue;
          if (options.createMissingRelated) {
            const s = stubs.get(target) ?? new Set<string>();
            s.add(id);
            stubs.set(target, s);
          } else {
            missing.push({ path: `relations.${rel}`, message: `entity "${id}" of blueprint "${target}" not found` });
          }
        }
      }
      if (missing.length > 0) {
        fail(c.index, c.identifier, 400, `Invalid entity "${c.identifier}": ${missing.map((x) => `${x.path} ${x.message}`).join('; ')}`, missing);
      } else next.push(c);
    }
    if (next.length === live.length) break;
    live = next;
  }

  // Stubs for create_missing_related_entities: an entity with only an identifier, which its
  // blueprint must allow (no required properties without defaults, no required relations).
  for (const [target, ids] of stubs) {
    const targetBp = blueprints.get(target)!;
    if (target === def.identifier) {
      for (const id of [...ids]) if (live.some((c) => c.identifier === id)) ids.delete(id);
    }
    const denied = options.authorize && ids.size > 0 ? options.authorize('register', target, []) : null;
    const blocking = denied ? [denied] : stubBlockers(targetBp.definition);
    if (blocking.length > 0 && ids.size > 0) {
      const message = `cannot create missing "${target}" entities: ${blocking.join(', ')}`;
      live = live.filter((c) => {
        const hit = Object.entries(c.relations).some(([rel, rids]) => def.relations[rel]!.target === target && rids.some((id) => ids.has(id)));
        if (hit) fail(c.index, c.identifier, 400, `Invalid entity "${c.identifier}": ${message}`, [{ path: 'relations', message }]);
        return !hit;
      });
    }
  }

  if (options.validationOnly) {
    return { successes: live.map((c) => ({ index: c.index, identifier: c.identifier, created: !c.existing, changed: true, row: null })), failures };
  }

  const audited = { actor: actor.id, requestId: actor.requestId };
  for (const [target, ids] of stubs) {
    if (ids.size === 0) continue;
    const targetBp = blueprints.get(target)!;
    const created = await repo.upsertEntities(trx, [...ids].map((id) => {
      const properties = applyDefaults(targetBp.definition, {});
      return { blueprint: target, identifier: id, title: null, icon: null, team: [], properties, relations: {}, searchText: buildSearchText(id, null, properties), actor: actor.id };
    }), { audit: audited });
    const map = targetIds.get(target) ?? new Map<string, string>();
    for (const r of created) map.set(r.identifier, r.id);
    targetIds.set(target, map);
  }

  // 5. Write only what changed: an unchanged entity keeps its version and updatedAt.
  const source = options.source;
  const toWrite = live.filter((c) => !c.existing || c.identifier !== c.lookup || !sameContent(c) || sourceDiffers(c.existing, source, c.identifier));
  const renames = toWrite.filter((c) => c.existing && c.identifier !== c.lookup);
  for (const c of renames) await repo.renameEntity(trx, c.existing!.id, c.identifier);
  const written = await repo.upsertEntities(
    trx,
    toWrite.map((c) => ({
      blueprint: def.identifier,
      identifier: c.identifier,
      title: c.title,
      icon: c.icon,
      team: c.team,
      properties: c.properties,
      relations: storedRelations(def, c.relations),
      searchText: buildSearchText(c.identifier, c.title, c.properties),
      actor: actor.id,
      ...(source ? { source: { locationId: source.locationId, url: source.urlOf(c.identifier) } } : {}),
      ...(c.existing ? { existingId: c.existing.id } : {}),
      ...(c.existing && c.identifier !== c.lookup ? { renamedFrom: c.lookup } : {}),
    })),
    { onConflict: options.onExisting === 'conflict' ? 'error' : 'update', audit: audited },
  );
  const writtenBy = new Map(written.map((w) => [w.identifier, w]));

  // Edges, now that every entity of the batch has an id: only for entities whose relations
  // changed (a title edit re-sends the same links, and there is nothing to diff).
  const own = targetIds.get(def.identifier) ?? new Map<string, string>();
  for (const w of written) own.set(w.identifier, w.id);
  targetIds.set(def.identifier, own);
  const relinked = toWrite.filter((c) => c.relinked);
  const edges = relinked.flatMap((c) =>
    Object.entries(c.relations).flatMap(([rel, ids]) =>
      ids.map((id) => ({ source_id: writtenBy.get(c.identifier)!.id, relation: rel, target_id: targetIds.get(def.relations[rel]!.target)!.get(id)! })),
    ),
  );
  // Rows the upsert inserted have no stored edges to replace.
  const replaced = relinked.map((c) => writtenBy.get(c.identifier)!).filter((w) => !w.inserted);
  await repo.replaceEdges(trx, replaced.map((w) => w.id), edges);

  // Entities pointing at a renamed one keep pointing at it under its new identifier.
  for (const c of renames) {
    const id = c.existing!.id;
    const incoming = await repo.findIncomingEdges(trx, [id]);
    await repo.rewriteLinks(trx, incoming.map((e) => ({ source_id: e.source_id, relation: e.relation, target_id: id })), new Map([[id, c.lookup]]), c.identifier, audited);
  }

  const successes: WriteSuccess[] = [...live, ...unchanged].map((c) => {
    const w = writtenBy.get(c.identifier);
    return { index: c.index, identifier: c.identifier, created: !c.existing, changed: Boolean(w), row: w?.row ?? null };
  });
  return { successes, failures };
}

function errorFor(status: WriteFailure['statusCode']): WriteFailure['error'] {
  return status === 400 ? 'invalid_request' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : status === 409 ? 'conflict' : 'precondition_failed';
}

function hasNull(o: Record<string, unknown>): boolean {
  for (const k in o) if (o[k] === null) return true;
  return false;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function requiredRelationProblems(def: BlueprintDefinition, relations: Record<string, string[]>): FieldProblem[] {
  return Object.entries(def.relations)
    .filter(([name, rel]) => rel.required && (relations[name]?.length ?? 0) === 0)
    .map(([name, rel]) => ({ path: `relations.${name}`, message: `is required (a "${rel.target}" entity)` }));
}

function stubBlockers(def: BlueprintDefinition): string[] {
  const props = def.schema.required.filter((p) => def.schema.properties[p]?.default === undefined).map((p) => `required property "${p}"`);
  const rels = Object.entries(def.relations).filter(([, r]) => r.required).map(([n]) => `required relation "${n}"`);
  return [...props, ...rels];
}

/** The stored shape: a single relation is an identifier or null, a many relation an array. */
export function storedRelations(def: BlueprintDefinition, relations: Record<string, string[]>): Record<string, string | string[] | null> {
  const out: Record<string, string | string[] | null> = {};
  for (const [name, rel] of Object.entries(def.relations)) {
    const ids = relations[name];
    if (ids === undefined) continue;
    out[name] = rel.many ? ids : ids[0] ?? null;
  }
  return out;
}

/** A location refresh also writes entities whose content is the same but whose origin is not. */
function sourceDiffers(existing: repo.ExistingEntity, source: WriteOptions['source'], identifier: string): boolean {
  return source !== undefined && (existing.location_id !== source.locationId || existing.source_url !== source.urlOf(identifier) || existing.orphaned);
}

/** Same as stored (relations: `relinked` already compared them). */
function sameContent(c: Candidate): boolean {
  const e = c.existing!;
  return !c.relinked && e.title === c.title && e.icon === c.icon && sameJson(e.team, c.team) && sameJson(e.properties, c.properties);
}

/**
 * Deep equality of JSON values, ignoring object key order (jsonb does not keep it). Re-sending
 * an unchanged catalog compares every entity, so this walks the values instead of serialising
 * both sides with sorted keys.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
