import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '@portolan/contract';
import type { CatalogExportService } from './catalog-export.service.ts';
import type { CatalogImportService } from './catalog-import.service.ts';

const problemSchema = z.object({ file: z.string(), line: z.number().int(), column: z.number().int(), message: z.string(), severity: z.enum(['error', 'warning']), ref: z.string().optional() });
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

export const catalogFilesRoutes: FastifyPluginAsyncZod<{ importer: CatalogImportService; exporter: CatalogExportService }> = async (app, { importer, exporter }) => {
  app.post('/v1/catalog/import', {
    config: { access: { kind: 'admin' } },
    schema: {
      tags: ['catalog as code'],
      summary: 'Apply catalog files (Backstage catalog-info.yaml, Portolan/Port JSON or YAML); nothing is written if any file has an error',
      body: z.object({
        files: z.array(z.object({ path: z.string().min(1).max(1000), content: z.string().max(1024 * 1024) })).min(1).max(500),
        dryRun: z.boolean().default(false),
      }),
      response: {
        200: z.object({ ok: z.boolean(), applied: z.boolean(), blueprints: z.number().int(), entities: z.number().int(), teams: z.number().int(), users: z.number().int(), problems: z.array(problemSchema) }),
        ...errors,
      },
    },
  }, async (req) => {
    const summary = await importer.apply(req.body.files, req.actor, { dryRun: req.body.dryRun });
    return { ok: !summary.problems.some((p) => p.severity === 'error'), ...summary };
  });

  app.get('/v1/catalog/export', {
    config: { access: { kind: 'signedIn' } },
    schema: {
      tags: ['catalog as code'],
      summary: 'The catalog (or one blueprint) as files that rebuild it',
      querystring: z.object({ blueprint: z.string().max(100).optional(), format: z.enum(['json', 'yaml']).default('json') }),
      response: { 200: z.object({ ok: z.literal(true), files: z.array(z.object({ path: z.string(), content: z.string() })) }), ...errors },
    },
  }, async (req) => ({ ok: true as const, files: await exporter.export({ format: req.query.format, ...(req.query.blueprint ? { blueprint: req.query.blueprint } : {}) }) }));
};
