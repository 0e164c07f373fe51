import type { Kysely } from 'kysely';
import { stringify } from 'yaml';
import type { Database } from '../../db/schema.ts';
import { NotFoundError } from '../../plugins/errors.ts';
import { BlueprintsService } from '../blueprints/blueprints.service.ts';
import { listEntities } from '../entities/entities.repository.ts';

/**
 * The catalog as files, in the layout catalog-examples/ uses (blueprints/<id>.json,
 * entities/<id>.json as {blueprint, entities}), so a database can be rebuilt from Git.
 * Entities keep only what a person writes: no timestamps, no authors, no mirror values.
 */
export class CatalogExportService {
  constructor(private readonly db: Kysely<Database>) {}

  async export(opts: { blueprint?: string; format: 'json' | 'yaml' }): Promise<{ path: string; content: string }[]> {
    const all = await new BlueprintsService(this.db).list();
    const chosen = opts.blueprint ? all.filter((b) => b.identifier === opts.blueprint) : all;
    if (opts.blueprint && chosen.length === 0) throw new NotFoundError(`Blueprint "${opts.blueprint}" not found`);
    const ext = opts.format;
    const write = (value: unknown) => (ext === 'json' ? JSON.stringify(value, null, 2) + '\n' : stringify(value, { lineWidth: 0 }));
    const files: { path: string; content: string }[] = [];
    for (const { createdAt: _a, createdBy: _b, updatedAt: _c, updatedBy: _d, ...def } of chosen) {
      files.push({ path: `blueprints/${fileName(def.identifier)}.${ext}`, content: write(def) });
      const entities: Record<string, unknown>[] = [];
      let after: string | null = null;
      for (;;) {
        const page = await listEntities(this.db, def.identifier, 5000, after);
        for (const row of page) {
          entities.push({
            identifier: row.identifier,
            ...(row.title !== null ? { title: row.title } : {}),
            ...(row.icon !== null ? { icon: row.icon } : {}),
            ...(row.team.length ? { team: row.team } : {}),
            properties: row.properties,
            relations: row.relations,
          });
        }
        if (page.length < 5000) break;
        after = page[page.length - 1]!.identifier;
      }
      if (entities.length > 0) files.push({ path: `entities/${fileName(def.identifier)}.${ext}`, content: write({ blueprint: def.identifier, entities }) });
    }
    return files;
  }
}

function fileName(identifier: string): string {
  return identifier.replace(/[^\p{L}0-9@_.+=-]/gu, '_');
}
