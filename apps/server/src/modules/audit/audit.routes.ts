import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { auditListResponseSchema, auditQuerySchema, errorBodySchema } from '@portolan/contract';
import type { Database } from '../../db/schema.ts';
import { InvalidError } from '../../plugins/errors.ts';

// Admins read the whole log; everyone signed in reads the catalog's part of it (blueprints and
// entities: an entity page's history), which holds nothing they could not already read.
const CATALOG_RESOURCES = ['entity', 'blueprint'];

export const auditRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; retentionDays: number | null }> = async (app, { db, retentionDays }) => {
  app.get('/v1/audit-log', {
    config: { access: { kind: 'signedIn' } },
    schema: { tags: ['audit'], summary: 'Audit log, newest first, with filters', querystring: auditQuerySchema, response: { 200: auditListResponseSchema, 400: errorBodySchema, 401: errorBodySchema } },
  }, async (req) => {
    const q = req.query;
    let query = db.selectFrom('audit_log').selectAll();
    if (req.principal?.role !== 'admin') query = query.where('resource_type', 'in', CATALOG_RESOURCES);
    if (q.resourceType) query = query.where('resource_type', '=', q.resourceType);
    if (q.resourceId) query = query.where('resource_id', '=', q.resourceId);
    if (q.blueprint) query = query.where('blueprint', '=', q.blueprint);
    if (q.actor) query = query.where('actor', '=', q.actor);
    if (q.action) query = query.where('action', '=', q.action);
    if (q.from) query = query.where('at', '>=', new Date(q.from));
    if (q.to) query = query.where('at', '<', new Date(q.to));
    if (q.cursor) {
      if (!/^\d+$/.test(q.cursor)) throw new InvalidError('Invalid cursor', [{ path: 'query.cursor', message: 'is not a cursor this server issued' }]);
      query = query.where('id', '<', q.cursor);
    }
    const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    return {
      ok: true as const,
      entries: page.map((r) => ({
        id: r.id, at: r.at.toISOString(), actor: r.actor, requestId: r.request_id, action: r.action,
        resourceType: r.resource_type, resourceId: r.resource_id, blueprint: r.blueprint, before: r.before, after: r.after,
      })),
      next: rows.length > q.limit ? page[page.length - 1]!.id : null,
      retentionDays,
    };
  });
};
