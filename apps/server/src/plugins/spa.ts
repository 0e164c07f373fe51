import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { REPO_ROOT } from '../config.ts';

export const DEFAULT_SPA_ROOT = path.join(REPO_ROOT, 'apps', 'web', 'dist');

/** Server-owned paths: an unknown URL under these is a 404 of the API, never the SPA's page. */
const SERVER_PREFIXES = ['/v1/', '/v1', '/docs', '/openapi.json', '/healthz'];
const isServerPath = (url: string) => SERVER_PREFIXES.some((p) => url === p || url.startsWith(p.endsWith('/') ? p : `${p}/`) || url.startsWith(`${p}?`));

/**
 * Serves the built web app (apps/web/dist) on the API's origin: hashed assets with a long cache,
 * and index.html for every other GET that no route claims, so client routes (/catalog/Component)
 * load the app. API, docs and health paths keep their JSON 404s.
 */
export const spaPlugin = fp(async (app: FastifyInstance, opts: { root?: string } = {}) => {
  const root = opts.root ?? DEFAULT_SPA_ROOT;
  const indexFile = path.join(root, 'index.html');
  if (!existsSync(indexFile)) {
    app.log.warn(`web app not built (${indexFile} missing): run \`npm run build:web\`; serving the API only`);
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html; charset=utf-8').status(503).send('<!doctype html><title>Portolan</title><p>The web app is not built. Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it), then reload. The API is at <a href="/docs">/docs</a>.</p>'),
    );
    return;
  }
  // Read per request (a small, cached file): a rebuild under a running server is picked up.
  const indexHtml = () => readFileSync(indexFile);

  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // Files are listed at start and get their own routes, so the catch-all below stays ours; it
    // serves assets of a later rebuild too.
    wildcard: false,
    index: false,
    decorateReply: true,
    setHeaders: (reply, filePath) => {
      const rel = path.relative(root, filePath);
      reply.header('cache-control', rel.startsWith(`assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  const sendIndex = (reply: import('fastify').FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml());

  app.get('/', { schema: { hide: true } }, async (_req, reply) => sendIndex(reply));
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const url = req.url;
    if (isServerPath(url)) return reply.callNotFound();
    if (url.startsWith('/assets/')) {
      // A missing hashed asset is a real 404 (a stale tab after a deploy), not the app's page.
      const rel = decodeURIComponent(url.split('?')[0]!.slice(1));
      const file = path.resolve(root, rel);
      if (!file.startsWith(root + path.sep) || !existsSync(file)) return reply.callNotFound();
      return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(rel);
    }
    return sendIndex(reply);
  });
});
