/**
 * The web UI: the static files Vite built into `dist/ui`, served at `/`. Hashed assets are cached
 * for a year; `index.html` is never cached, and answers every other browser GET outside the API
 * (a deep link such as /executions/ns/flow/id works on reload). Without a build, `/` says how to
 * make one. Kestra's UI addresses (`/ui/…`) redirect to ours (see kestra-ui-redirects.ts).
 */
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normalizedRequestPath } from './auth.js';
import { registerKestraUiRedirects } from './kestra-ui-redirects.js';

/** Where `npm run build:ui` writes the UI (dist/ui from both src/server and dist/server). */
export const DEFAULT_UI_ROOT = fileURLToPath(new URL('../../dist/ui/', import.meta.url));

/** Whether a request is a browser asking for a page of the UI (not the API, health or metrics). */
export function isUiPageRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = normalizedRequestPath(request.url);
  if (path.startsWith('/api/') || path === '/health' || path === '/metrics') return false;
  return (request.headers.accept ?? '').includes('text/html');
}

/** Serves the UI from `root`; returns the not-found fallback that answers page requests with index.html. */
export async function registerUi(
  app: FastifyInstance,
  root: string,
): Promise<((request: FastifyRequest, reply: FastifyReply) => boolean) | undefined> {
  registerKestraUiRedirects(app);
  if (!existsSync(join(root, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send(
          'The web UI is not built: run `npm run build:ui` (npm ci builds it). The API is at /api/v1/main.\n',
        ),
    );
    return undefined;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: false,
    wildcard: true,
    setHeaders: (reply, path) => {
      const hashed = path.split(sep).includes('assets');
      void reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const sendIndex = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', root);
  // The folder itself is not listed (index: false): `/` is the app's page like any other.
  app.get('/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply));
  return (request, reply) => {
    if (!isUiPageRequest(request)) return false;
    void sendIndex(reply);
    return true;
  };
}
