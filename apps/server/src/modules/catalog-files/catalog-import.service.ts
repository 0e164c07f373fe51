import type { Kysely } from 'kysely';
import { checkCatalog, parseDocuments, readCatalogFiles, resolveTarget, substitutionTargets, type CatalogFileSet, type FileProblem } from '@portolan/catalog-files';
import type { Database } from '../../db/schema.ts';
import { applyBlueprints, applyEntities } from '../../seed/load-examples.ts';
import { BlueprintsService } from '../blueprints/blueprints.service.ts';
import * as identityRepo from '../identity/identity.repository.ts';
import { insertAuditRecords } from '../audit/audit.repository.ts';
import type { Actor } from '../request-context.ts';

export interface ImportSummary {
  applied: boolean;
  blueprints: number;
  entities: number;
  teams: number;
  users: number;
  problems: FileProblem[];
}

/**
 * Apply catalog files (Backstage descriptors, Portolan/Port JSON or YAML) to the portal. Everything
 * is read and checked first against the current model; nothing is written when any file has an
 * error, so a bad commit in a catalog repository cannot half-apply.
 */
export class CatalogImportService {
  constructor(private readonly db: Kysely<Database>) {}

  async read(files: { path: string; content: string }[]): Promise<CatalogFileSet> {
    const byPath = new Map(files.map((f) => [f.path, f.content]));
    // Files that descriptors pull in with $text/$json/$yaml (API definitions) are data, not catalog files.
    const referenced = new Set<string>();
    for (const f of files) {
      for (const d of parseDocuments(f.content, f.path).documents) for (const target of substitutionTargets(d.value)) referenced.add(resolveTarget(f.path, target));
    }
    return readCatalogFiles(
      files.filter((f) => !referenced.has(f.path)).map((f) => ({ path: f.path, text: f.content })),
      async (from, target) => byPath.get(resolveTarget(from, target)),
    );
  }

  async check(set: CatalogFileSet): Promise<FileProblem[]> {
    const model = (await new BlueprintsService(this.db).list()).map(({ createdAt: _a, createdBy: _b, updatedAt: _c, updatedBy: _d, ...def }) => def);
    const wanted = set.entities.flatMap((e) => Object.entries(e.entity.relations).flatMap(([, v]) => (Array.isArray(v) ? v : [v])));
    const known = new Set(
      (wanted.length ? await this.db.selectFrom('entities').select(['blueprint', 'identifier']).where('identifier', 'in', [...new Set(wanted)].slice(0, 10_000)).execute() : []).map((r) => `${r.blueprint}/${r.identifier}`),
    );
    // Relation targets already in the portal are fine; only truly missing ones are errors.
    return [...set.problems, ...checkCatalog(set, model, known)].map((p) =>
      p.severity === 'warning' && p.message.includes('must already exist in the portal') ? { ...p, severity: 'error' as const, message: p.message.replace('it must already exist in the portal', 'and not in the portal either') } : p,
    );
  }

  async apply(files: { path: string; content: string }[], actor: Actor, opts: { dryRun: boolean }): Promise<ImportSummary> {
    const set = await this.read(files);
    const problems = await this.check(set);
    const summary: ImportSummary = { applied: false, blueprints: set.blueprints.length, entities: set.entities.length, teams: set.teams.length, users: set.users.length, problems };
    if (opts.dryRun || problems.some((p) => p.severity === 'error')) return summary;

    if (set.blueprints.length > 0) await applyBlueprints(this.db, set.blueprints.map((b) => b.definition), actor);
    await this.db.transaction().execute(async (trx) => {
      const changed: string[] = [];
      for (const team of set.teams) {
        const row = await trx
          .insertInto('teams')
          .values({ identifier: team.identifier, title: team.title, description: team.description })
          .onConflict((oc) =>
            oc.column('identifier').doUpdateSet({ title: team.title, description: team.description }).where((eb) =>
              eb.or([eb('teams.title', 'is distinct from', team.title), eb('teams.description', 'is distinct from', team.description)]),
            ),
          )
          .returning('identifier')
          .executeTakeFirst();
        if (row) changed.push(`team:${team.identifier}`);
      }
      for (const user of set.users) {
        const existing = await identityRepo.findUserByEmail(trx, user.email);
        let id = existing?.id;
        if (!id) {
          id = await identityRepo.insertUser(trx, { email: user.email, name: user.name, role: 'member', moderated_blueprints: [], password_hash: null });
          changed.push(`user:${user.email}`);
        }
        const missing = user.teams.filter((t) => !existing?.teams.includes(t));
        if (missing.length) {
          await trx.insertInto('teams').values(missing.map((identifier) => ({ identifier }))).onConflict((oc) => oc.column('identifier').doNothing()).execute();
          await trx.insertInto('team_members').values(missing.map((team) => ({ team, user_id: id! }))).onConflict((oc) => oc.doNothing()).execute();
          changed.push(...missing.map((t) => `membership:${user.email}@${t}`));
        }
      }
      // Audited only when the import changed something: re-applying the same files is silent.
      if (changed.length > 0) {
        await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'update', resourceType: 'team', resourceId: '(catalog import)', after: { changed } }]);
      }
    });
    const byBlueprint = new Map<string, Record<string, unknown>[]>();
    for (const e of set.entities) byBlueprint.set(e.blueprint, [...(byBlueprint.get(e.blueprint) ?? []), e.entity]);
    await applyEntities(this.db, [...byBlueprint].map(([blueprint, entities]) => ({ blueprint, entities })), actor);
    return { ...summary, applied: true };
  }
}
