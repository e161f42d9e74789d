/**
 * Basic auth on every route but webhooks, `/health` and `/metrics`. Credentials are compared in
 * constant time; the password is never logged or echoed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorCodes, WindhoverError } from '../errors.js';
import type { BasicAuthCredentials } from './deps.js';
import { sendError } from './errors.js';

/**
 * Paths open without credentials: webhook triggers, and everything outside the API (health,
 * metrics, the UI's static files: the login page must load before there are credentials).
 */
export function isOpenPath(url: string): boolean {
  const path = url.split('?')[0]!;
  return !path.startsWith('/api/') || /^\/api\/v1\/(main\/)?executions\/webhook\//.test(path);
}

/** Compares digests, so that neither the content nor the length of the secret shows in the timing. */
function sameText(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** Whether a request carries the right `Authorization: Basic …` header. */
export function hasValidCredentials(request: FastifyRequest, credentials: BasicAuthCredentials): boolean {
  const header = request.headers.authorization;
  // The scheme is case-insensitive (RFC 9110).
  if (header === undefined || !/^basic /i.test(header)) return false;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both compared, whatever the first gives, so timing does not tell which was wrong.
  const userOk = sameText(decoded.slice(0, colon), credentials.username);
  const passwordOk = sameText(decoded.slice(colon + 1), credentials.password);
  return userOk && passwordOk;
}

/** Installs basic auth on an app (a no-op without credentials). */
export function installBasicAuth(app: FastifyInstance, credentials: BasicAuthCredentials | undefined): void {
  if (!credentials) return;
  app.addHook('onRequest', async (request, reply) => {
    if (isOpenPath(request.url) || hasValidCredentials(request, credentials)) return;
    // The UI marks its requests so that the browser does not open its own login dialog.
    if (request.headers['x-requested-with'] !== 'XMLHttpRequest')
      reply.header('WWW-Authenticate', 'Basic realm="windhover", charset="UTF-8"');
    return sendError(
      reply,
      new WindhoverError(
        ErrorCodes.UNAUTHORIZED,
        'Authentication required: wrong or missing username and password.',
      ),
    );
  });
}
