import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { checkCatalog, readWithLocations, type FileProblem } from '@portolan/catalog-files';
import type { Database } from '../../db/schema.ts';
import { ConflictError, InvalidError, NotFoundError } from '../../plugins/errors.ts';
import { insertAuditRecords } from '../audit/audit.repository.ts';
import { BlueprintsService } from '../blueprints/blueprints.service.ts';
import { EntitiesService } from '../entities/entities.service.ts';
import { SYSTEM_ACTOR_ID, type Actor } from '../request-context.ts';
import { queueIfDue } from '../scaffolder/task-queue.ts';
import { applyBlueprints, writeEntityFiles } from '../../seed/load-examples.ts';
import { parseRepoFileUrl, repoFileUrl, type CatalogReader } from './catalog-reader.ts';
import type { GitHubService } from '../github/github.service.ts';

export interface LocationView {
  id: string;
  url: string;
  origin: 'registered' | 'discovered';
  status: 'pending' | 'ok' | 'error';
  lastRefreshedAt: string | null;
  lastError: string | null;
  problems: FileProblem[];
  files: string[];
  entityCount: number;
  orphanCount: number;
  createdAt: string;
  createdBy: string;
}

export interface RefreshResult {
  status: 'ok' | 'error';
  files: string[];
  entities: number;
  orphaned: number;
  deleted: number;
  problems: FileProblem[];
}

export const REFRESH_JOB = 'locations-refresh';
const LAST_SCHEDULED_KEY = 'locations_refresh_scheduled_at';

export interface LocationSettings {
  /** How often every location is read again (the scheduled refresh job); 0: never on a schedule. */
  refreshIntervalMs?: number;
  /**
   * Entities whose file disappeared are marked orphaned. They are deleted only when a refresh
   * orphans at most this many at once (0: never delete), so a broken or emptied file cannot wipe
   * the catalog.
   */
  orphanDeleteLimit: number;
}

/**
 * Catalog as code: locations are files in Git that declare entities. A refresh reads a location's
 * files (following Location entities and $text references), checks them, applies what changed,
 * and marks the entities its files no longer declare as orphaned.
 */
export class LocationsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly reader: () => CatalogReader,
    private readonly settings: LocationSettings,
    private readonly github?: GitHubService,
  ) {}

  /**
   * Scan an organization's repositories for a catalog file at their default branch and register
   * each one found (already registered ones are left alone). Returns the new locations.
   */
  async discover(org: string, fileName: string, actor: Actor): Promise<LocationView[]> {
    if (!this.github?.configured) throw new InvalidError('GitHub is not configured: set GITHUB_TOKEN (or a GitHub App) to discover repositories', [{ path: 'org', message: 'GitHub is not configured' }]);
    const repos = (await this.github.listOrgRepos(org)).filter((r) => !r.archived);
    const found: LocationView[] = [];
    for (const repo of repos) {
      const text = await this.github.readFile(org, repo.name, fileName, repo.defaultBranch);
      if (text === undefined) continue;
      const url = repoFileUrl(this.github.webUrl, { owner: org, repo: repo.name, ref: repo.defaultBranch, path: fileName });
      const exists = await this.db.selectFrom('locations').select('id').where('url', '=', url).executeTakeFirst();
      if (!exists) found.push(await this.register(url, actor, 'discovered'));
    }
    return found;
  }

  /**
   * Called by every replica's job-queue sweep: when a refresh is due, queue one job for all
   * locations. The due check and the stamp happen in one statement, so replicas racing here queue
   * it once; the job runs in the durable queue like every other job.
   */
  async scheduleDueRefresh(): Promise<boolean> {
    const interval = this.settings.refreshIntervalMs ?? 0;
    if (interval <= 0) return false;
    return queueIfDue(this.db, { task: REFRESH_JOB, key: 'locations-refresh:all', settingsKey: LAST_SCHEDULED_KEY, intervalMs: interval });
  }

  /** Refresh every location (the scheduled job); one failing location does not stop the others. */
  async refreshAll(): Promise<{ refreshed: number; failed: number }> {
    const ids = await this.db.selectFrom('locations').select('id').orderBy('url').execute();
    let failed = 0;
    for (const { id } of ids) {
      const r = await this.refresh(id).catch(() => ({ status: 'error' as const }));
      if (r.status === 'error') failed++;
    }
    return { refreshed: ids.length, failed };
  }

  async list(): Promise<LocationView[]> {
    const rows = await this.db
      .selectFrom('locations as l')
      .selectAll('l')
      .select([
        sql<number>`(select count(*)::int from entities e where e.location_id = l.id and e.orphaned_at is null)`.as('entity_count'),
        sql<number>`(select count(*)::int from entities e where e.location_id = l.id and e.orphaned_at is not null)`.as('orphan_count'),
      ])
      .orderBy('l.url')
      .execute();
    return rows.map(toView);
  }

  async get(id: string): Promise<LocationView> {
    const view = (await this.list()).find((l) => l.id === id);
    if (!view) throw new NotFoundError(`Location ${id} not found`);
    return view;
  }

  async register(url: string, actor: Actor, origin: 'registered' | 'discovered' = 'registered'): Promise<LocationView> {
    if (!parseRepoFileUrl(url)) {
      throw new InvalidError('Invalid location URL', [{ path: 'url', message: 'must be a file URL in a repository, like https://github.com/org/repo/blob/main/catalog-info.yaml' }]);
    }
    const row = await this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('locations').select('id').where('url', '=', url).executeTakeFirst();
      if (existing) throw new ConflictError(`Location ${url} is already registered`);
      const inserted = await trx.insertInto('locations').values({ url, origin, created_by: actor.id }).returning('id').executeTakeFirstOrThrow();
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'create', resourceType: 'location', resourceId: url, after: { url, origin } }]);
      return inserted;
    });
    return this.get(row.id);
  }

  /** Unregister: its entities stay, no longer managed (they become editable in the portal). */
  async unregister(id: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.deleteFrom('locations').where('id', '=', id).returning('url').executeTakeFirst();
      if (!row) throw new NotFoundError(`Location ${id} not found`);
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'delete', resourceType: 'location', resourceId: row.url }]);
    });
  }

  async refresh(id: string): Promise<RefreshResult> {
    const location = await this.db.selectFrom('locations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!location) throw new NotFoundError(`Location ${id} not found`);
    const actor: Actor = { id: `location:${location.url}`, requestId: null };
    const reader = this.reader();

    const finish = async (result: RefreshResult, error: string | null): Promise<RefreshResult> => {
      await this.db
        .updateTable('locations')
        .set({ status: result.status, last_refreshed_at: new Date(), last_error: error, problems: JSON.stringify(result.problems), files: JSON.stringify(result.files) })
        .where('id', '=', id)
        .execute();
      return result;
    };

    let set;
    try {
      set = await readWithLocations([location.url], (url) => reader.read(url));
    } catch (error) {
      return finish({ status: 'error', files: [], entities: 0, orphaned: 0, deleted: 0, problems: [] }, `could not read ${location.url}: ${(error as Error).message}`);
    }
    const rootMissing = set.files.length === 0;
    const model = (await new BlueprintsService(this.db).list()).map(({ createdAt: _a, createdBy: _b, updatedAt: _c, updatedBy: _d, ...def }) => def);
    const wanted = [...new Set(set.entities.flatMap((e) => Object.values(e.entity.relations).flatMap((v) => (Array.isArray(v) ? v : [v]))))];
    const known = new Set(
      (wanted.length ? await this.db.selectFrom('entities').select(['blueprint', 'identifier']).where('identifier', 'in', wanted.slice(0, 10_000)).execute() : []).map((r) => `${r.blueprint}/${r.identifier}`),
    );
    const problems = rootMissing ? [] : [...set.problems, ...checkCatalog(set, model, known)];
    // A file that disappeared (the root, or a Location target) is not an error here: its entities
    // become orphans below. Every other problem stops the refresh.
    const vanished = (p: FileProblem) => (p.message === 'file not found' && p.file === location.url) || p.message.startsWith('Location target ');
    for (const p of problems) if (vanished(p)) p.severity = 'warning';
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      // Nothing is applied from a location with errors: its entities stay as they were.
      return finish({ status: 'error', files: set.files, entities: 0, orphaned: 0, deleted: 0, problems }, `${errors.length} problem${errors.length === 1 ? '' : 's'} in the catalog files; nothing was changed`);
    }

    if (set.blueprints.length > 0) await applyBlueprints(this.db, set.blueprints.map((b) => b.definition), actor);
    const urlOf = new Map(set.entities.map((e) => [`${e.blueprint}/${e.entity.identifier}`, e.source.file]));
    const byBlueprint = new Map<string, Record<string, unknown>[]>();
    for (const e of set.entities) byBlueprint.set(e.blueprint, [...(byBlueprint.get(e.blueprint) ?? []), e.entity]);
    const written = await writeEntityFiles(this.db, [...byBlueprint].map(([blueprint, list]) => ({ blueprint, entities: list })), actor, {
      onError: 'collect',
      source: (bp) => ({ locationId: id, urlOf: (identifier: string) => urlOf.get(`${bp}/${identifier}`) ?? location.url }),
    });
    const writeFailures: FileProblem[] = written.failures.map((f) => ({
      file: urlOf.get(`${f.blueprint}/${f.identifier}`) ?? location.url,
      line: 1,
      column: 1,
      message: `${f.blueprint}/${f.identifier}: ${f.message}`,
      severity: 'error' as const,
    }));
    const entities = new EntitiesService(this.db);

    // Entities this location managed that its files no longer declare: orphaned, not deleted.
    const declared = set.entities.map((e) => `${e.blueprint}/${e.entity.identifier}`);
    const gone = await this.db
      .selectFrom('entities')
      .select(['id', 'blueprint', 'identifier', 'orphaned_at'])
      .where('location_id', '=', id)
      .where(sql<boolean>`(blueprint || '/' || identifier) <> all(${sql.val(declared)}::text[])`)
      .execute();
    const newlyOrphaned = gone.filter((g) => g.orphaned_at === null);
    let deleted = 0;
    if (gone.length > 0 && gone.length <= this.settings.orphanDeleteLimit) {
      // Within the operator's threshold: delete them, dependents' optional links cleared.
      for (const g of gone) {
        try {
          const r = await entities.delete(g.blueprint, g.identifier, { deleteDependents: false, expectedVersion: null }, { id: SYSTEM_ACTOR_ID, requestId: null });
          deleted += r.deleted.length;
        } catch (error) {
          writeFailures.push({ file: location.url, line: 1, column: 1, message: `${g.blueprint}/${g.identifier} could not be deleted: ${(error as Error).message}`, severity: 'warning' });
        }
      }
    } else if (newlyOrphaned.length > 0) {
      await this.db.updateTable('entities').set({ orphaned_at: new Date(), version: sql<number>`version + 1` }).where('id', 'in', newlyOrphaned.map((g) => g.id)).execute();
      await insertAuditRecords(
        this.db,
        newlyOrphaned.map((g) => ({ actor: actor.id, requestId: null, action: 'update' as const, resourceType: 'entity' as const, resourceId: g.identifier, blueprint: g.blueprint, after: { orphaned: true, reason: `no longer declared by ${location.url}` } })),
      );
    }
    const status = writeFailures.some((f) => f.severity === 'error') ? 'error' : 'ok';
    return finish(
      { status, files: set.files, entities: set.entities.length, orphaned: deleted > 0 ? 0 : gone.length, deleted, problems: [...problems, ...writeFailures] },
      status === 'error' ? `${writeFailures.length} entities could not be written` : rootMissing ? `${location.url} no longer exists` : null,
    );
  }
}

function toView(r: { id: string; url: string; origin: 'registered' | 'discovered'; status: 'pending' | 'ok' | 'error'; last_refreshed_at: Date | null; last_error: string | null; problems: unknown; files: unknown; created_at: Date; created_by: string; entity_count: number; orphan_count: number }): LocationView {
  return {
    id: r.id,
    url: r.url,
    origin: r.origin,
    status: r.status,
    lastRefreshedAt: r.last_refreshed_at?.toISOString() ?? null,
    lastError: r.last_error,
    problems: r.problems as FileProblem[],
    files: r.files as string[],
    entityCount: r.entity_count,
    orphanCount: r.orphan_count,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
  };
}
