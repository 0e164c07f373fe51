import type { Kysely, RawBuilder } from 'kysely';
import type { BulkUpsertResponse, Entity } from '@portolan/contract';
import type { Database } from '../../db/schema.ts';
import { ConflictError, InvalidError, NotFoundError, PreconditionFailedError } from '../../plugins/errors.ts';
import { insertAuditRecords } from '../audit/audit.repository.ts';
import type { Actor } from '../request-context.ts';
import { loadAllBlueprints, loadBlueprint, type LoadedBlueprint } from './blueprint-loader.ts';
import * as repo from './entities.repository.ts';
import { toEntity } from './entities.mapper.ts';
import { mirrorObjectSql } from './mirror-sql.ts';
import { EntityValidatorCache } from './entity-validators.ts';
import { retryOnConflict } from '../../db/retry.ts';
import { writeEntities, type EntityAuthorizer, type WriteFailure, type WriteOptions, type WriteRequest } from './entity-writer.ts';
import { ForbiddenError } from '../../plugins/errors.ts';
import { entityDenial, type Principal } from '../identity/principal.ts';
import { loadAllBlueprintPermissions } from '../identity/permissions.service.ts';

export interface EntityWithVersion {
  entity: Entity;
  version: number;
  created: boolean;
}


export class EntitiesService {
  private readonly validators = new EntityValidatorCache();
  private readonly mirrorSql = new Map<string, { key: string; sql: RawBuilder<unknown> | null }>();

  constructor(private readonly db: Kysely<Database>) {}

  async get(blueprint: string, identifier: string): Promise<{ entity: Entity; version: number }> {
    const cached = this.mirrorSql.get(blueprint);
    const row = await repo.findEntityForRead(this.db, blueprint, identifier, cached?.sql ?? null);
    if (!row) {
      await loadBlueprint(this.db, blueprint); // a 404 that names the blueprint when that is what is missing
      throw new NotFoundError(`Entity "${identifier}" of blueprint "${blueprint}" not found`);
    }
    let mirrored = row.mirrored;
    if (!cached || cached.key !== versionKey(row.bp_version, row.bp_created_at)) {
      // First read of this blueprint version in this process: build its mirror SQL, read again.
      const sqlForVersion = await this.mirrorsFor(blueprint);
      mirrored = sqlForVersion ? ((await repo.findEntityForRead(this.db, blueprint, identifier, sqlForVersion))?.mirrored ?? null) : null;
    }
    const entity = toEntity(row);
    if (mirrored) Object.assign(entity.properties, mirrored);
    return { entity, version: row.version };
  }

  async list(blueprint: string, limit: number, from: string | undefined): Promise<{ entities: Entity[]; next: string | null }> {
    const bp = await loadBlueprint(this.db, blueprint);
    const after = from === undefined ? null : decodeCursor(from);
    const cached = this.mirrorSql.get(blueprint);
    const mirrors = cached && cached.key === versionKey(bp.version, bp.createdAt) ? cached.sql : await this.mirrorsFor(blueprint);
    const rows = await repo.listEntitiesForRead(this.db, blueprint, limit + 1, after, mirrors);
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? encodeCursor(page[page.length - 1]!.identifier) : null;
    return { entities: page.map(({ mirrored, ...row }) => withMirrored(row, mirrored)), next };
  }

  /** The mirror SQL of a blueprint's current version, cached per process by (version, created_at). */
  private async mirrorsFor(blueprint: string): Promise<RawBuilder<unknown> | null> {
    const all = await loadAllBlueprints(this.db);
    const bp = all.get(blueprint);
    if (!bp) return null;
    const defs = new Map([...all].map(([k, v]) => [k, v.definition]));
    const built = mirrorObjectSql(bp.definition, defs, 'e');
    this.mirrorSql.set(blueprint, { key: versionKey(bp.version, bp.createdAt), sql: built });
    return built;
  }

  /** POST /entities: create, or upsert (replace / merge) as Port's query flags ask. */
  async create(blueprint: string, body: unknown, flags: { upsert: boolean; merge: boolean; validationOnly: boolean; createMissingRelated: boolean }, actor: Actor) {
    const options: WriteOptions = {
      onExisting: !flags.upsert ? 'conflict' : flags.merge ? 'merge' : 'replace',
      onMissing: 'create',
      createMissingRelated: flags.createMissingRelated,
      validationOnly: flags.validationOnly,
    };
    return this.writeOne(blueprint, { body }, options, actor);
  }

  /** PUT replaces the stored entity; PATCH merges into it. Both honour If-Match. */
  async update(blueprint: string, identifier: string, body: unknown, kind: 'replace' | 'merge', flags: { validationOnly: boolean; createMissingRelated: boolean }, expectedVersion: number | null | 'any', actor: Actor) {
    const options: WriteOptions = {
      onExisting: kind,
      onMissing: 'not_found',
      createMissingRelated: flags.createMissingRelated,
      validationOnly: flags.validationOnly,
      partialBodies: kind === 'merge',
    };
    return this.writeOne(blueprint, { body, pathIdentifier: identifier, expectedVersion }, options, actor);
  }

  async bulkUpsert(blueprint: string, bodies: unknown[], flags: { merge: boolean; createMissingRelated: boolean; source?: WriteOptions['source'] }, actor: Actor): Promise<BulkUpsertResponse> {
    const options: WriteOptions = {
      ...(flags.source ? { source: flags.source } : {}),
      onExisting: flags.merge ? 'merge' : 'replace',
      onMissing: 'create',
      createMissingRelated: flags.createMissingRelated,
      validationOnly: false,
    };
    const { successes, failures } = await retryOnConflict(() =>
      this.db.transaction().execute(async (trx) => {
        const { bp, all } = await this.blueprintsFor(trx, blueprint);
        return writeEntities(trx, bp, all, bodies.map((body) => ({ body })), { ...options, authorize: await authorizerFor(trx, actor.principal) }, actor, this.validators);
      }),
    );
    return {
      ok: failures.length === 0,
      entities: successes.sort((a, b) => a.index - b.index).map((s) => ({ identifier: s.identifier, index: s.index, created: s.created })),
      errors: failures.sort((a, b) => a.index - b.index),
    };
  }

  async delete(blueprint: string, identifier: string, opts: { deleteDependents: boolean; expectedVersion: number | null | 'any' }, actor: Actor): Promise<{ deleted: string[] }> {
    return this.db.transaction().execute(async (trx) => {
      await repo.lockForEntityDeletes(trx);
      await loadBlueprint(trx, blueprint, { forShare: true });
      const row = await repo.findEntity(trx, blueprint, identifier, { forUpdate: true });
      if (!row) throw new NotFoundError(`Entity "${identifier}" of blueprint "${blueprint}" not found`);
      const authorize = await unregisterCheck(trx, actor.principal);
      const denial = authorize(blueprint, row.team);
      if (denial) throw new ForbiddenError(denial);
      if (typeof opts.expectedVersion === 'number' && opts.expectedVersion !== row.version) {
        throw new PreconditionFailedError(`Entity "${identifier}" was changed by someone else (expected version ${opts.expectedVersion}, current ${row.version}); reload it and try again`);
      }
      // Entities that must point at this one (required relations) go with it, transitively, when
      // asked; otherwise the delete is refused and they are named.
      const doomed = new Map<string, string>([[row.id, `${blueprint}/${identifier}`]]);
      let frontier = [row.id];
      while (frontier.length > 0) {
        const incoming = (await repo.findIncomingEdges(trx, frontier)).filter((e) => e.required && !doomed.has(e.source_id));
        if (incoming.length > 0 && !opts.deleteDependents) {
          const names = [...new Set(incoming.map((e) => `${e.source_blueprint}/${e.source_identifier}`))];
          throw new ConflictError(
            `Entity "${identifier}" is required by ${names.length} other entit${names.length === 1 ? 'y' : 'ies'} (${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}); delete them first or pass delete_dependents=true`,
            names,
          );
        }
        frontier = [];
        if (incoming.length > 0) {
          // Dependents are deleted too: the caller needs that right on each of them.
          const rows = await repo.findEntitiesByIds(trx, incoming.map((e) => e.source_id));
          for (const r of rows) {
            const d = authorize(r.blueprint, r.team);
            if (d) throw new ForbiddenError(`Deleting "${identifier}" would also delete ${r.blueprint}/${r.identifier}: ${d}`);
          }
        }
        for (const e of incoming) {
          if (doomed.has(e.source_id)) continue;
          doomed.set(e.source_id, `${e.source_blueprint}/${e.source_identifier}`);
          frontier.push(e.source_id);
        }
      }
      // Surviving entities that linked to a deleted one through an optional relation: their edge
      // rows go with ON DELETE CASCADE; their stored relation values are rewritten here.
      const ids = [...doomed.keys()];
      const dangling = (await repo.findIncomingEdges(trx, ids)).filter((e) => !doomed.has(e.source_id));
      const targetsOf = await repo.findEdgeTargets(trx, dangling.map((e) => e.source_id), ids);
      const deletedRows = await repo.deleteEntitiesByIds(trx, ids);
      const identifierById = new Map(deletedRows.map((r) => [r.id, r.identifier]));
      await repo.rewriteLinks(trx, targetsOf, identifierById, null, { actor: actor.id, requestId: actor.requestId });
      await insertAuditRecords(
        trx,
        deletedRows.map((r) => ({ actor: actor.id, requestId: actor.requestId, action: 'delete' as const, resourceType: 'entity' as const, resourceId: r.identifier, blueprint: r.blueprint, before: toEntity(r) })),
      );
      return { deleted: deletedRows.map((r) => `${r.blueprint}/${r.identifier}`) };
    });
  }

  private async writeOne(blueprint: string, request: WriteRequest, options: WriteOptions, actor: Actor): Promise<EntityWithVersion | { validated: true }> {
    const result = await retryOnConflict(() =>
      this.db.transaction().execute(async (trx) => {
        const { bp, all } = await this.blueprintsFor(trx, blueprint);
        const written = await writeEntities(trx, bp, all, [request], { ...options, authorize: await authorizerFor(trx, actor.principal) }, actor, this.validators);
        // An unchanged entity was not written: answer it as stored (still locked by the write).
        const success = written.successes[0];
        const row = success && !options.validationOnly ? (success.row ?? (await repo.findEntity(trx, blueprint, success.identifier))!) : null;
        return { ...written, row };
      }),
    );
    const failure = result.failures[0];
    if (failure) throw toDomainError(failure);
    const success = result.successes[0]!;
    if (options.validationOnly) return { validated: true };
    const [entity] = await this.withMirrors(blueprint, [result.row!]);
    return { entity: entity!, version: result.row!.version, created: success.created };
  }

  private async blueprintsFor(trx: Kysely<Database>, blueprint: string): Promise<{ bp: LoadedBlueprint; all: Map<string, LoadedBlueprint> }> {
    const bp = await loadBlueprint(trx, blueprint, { forShare: true });
    const all = await loadAllBlueprints(trx);
    all.set(blueprint, bp);
    return { bp, all };
  }
  private async withMirrors(blueprint: string, rows: repo.StoredEntityRow[]): Promise<Entity[]> {
    if (rows.length === 0) return [];
    const mirrors = await this.mirrorsFor(blueprint);
    if (!mirrors) return rows.map(toEntity);
    const withValues = await repo.mirrorValuesFor(this.db, rows.map((r) => r.id), mirrors);
    return rows.map((r) => withMirrored(r, withValues.get(r.id) ?? null));
  }
}

function toDomainError(f: WriteFailure): Error {
  switch (f.statusCode) {
    case 400:
      return new InvalidError(f.message, f.details ?? []);
    case 403:
      return new ForbiddenError(f.message);
    case 404:
      return new NotFoundError(f.message);
    case 409:
      return new ConflictError(f.message);
    case 412:
      return new PreconditionFailedError(f.message);
  }
}

// Cursors are opaque to clients: base64url of the last identifier of the page.
function encodeCursor(identifier: string): string {
  return Buffer.from(JSON.stringify({ a: identifier })).toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { a?: unknown };
    if (typeof parsed.a === 'string') return parsed.a;
  } catch {
    // fall through
  }
  throw new InvalidError('Invalid cursor', [{ path: 'query.from', message: 'is not a cursor this server issued' }]);
}

/** Per-request permission checks for entity writes; no check (undefined) for the system itself. */
async function authorizerFor(db: Kysely<Database>, principal: Principal | undefined): Promise<EntityAuthorizer | undefined> {
  if (!principal) return undefined;
  const permissionsOf = await loadAllBlueprintPermissions(db);
  return (action, blueprint, teams) => entityDenial(principal, blueprint, action, teams, permissionsOf(blueprint));
}

async function unregisterCheck(db: Kysely<Database>, principal: Principal | undefined): Promise<(blueprint: string, teams: string[]) => string | null> {
  if (!principal) return () => null;
  const permissionsOf = await loadAllBlueprintPermissions(db);
  return (blueprint, teams) => entityDenial(principal, blueprint, 'unregister', teams, permissionsOf(blueprint));
}

function versionKey(version: number, createdAt: Date): string {
  return `${version}:${createdAt.getTime()}`;
}

function withMirrored(row: repo.StoredEntityRow, mirrored: Record<string, unknown> | null): Entity {
  const entity = toEntity(row);
  if (mirrored) Object.assign(entity.properties, mirrored);
  return entity;
}
