/**
 * Basic auth on every route but webhooks, `/health` and `/metrics`. Credentials are compared in
 * constant time; the password is never logged or echoed.
 *
 * Whether a request needs credentials is decided on the route the router matched, never on the
 * raw URL: the router decodes `%61pi` into `api`, so a check of the raw text could be walked
 * around by any spelling the router reads the same way (issue 19).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorCodes, WindhoverError } from '../errors.js';
import type { BasicAuthCredentials } from './deps.js';
import { sendError } from './errors.js';

const WEBHOOK_ROUTE = /^\/api\/v1\/(main\/)?executions\/webhook\//;

/**
 * Route patterns open without credentials: webhook triggers, and everything outside the API
 * (health, metrics, the UI's static files: the login page must load before there are
 * credentials).
 */
export function isOpenRoute(pattern: string): boolean {
  return !pattern.startsWith('/api/') || WEBHOOK_ROUTE.test(pattern);
}

/**
 * A request path as a router could read it, for the requests no route matched: without its
 * query or `;` parameters, %-decoded (repeatedly), with `\` as `/`, repeated slashes, `.` and
 * `..` segments and trailing dots resolved, in lower case.
 */
export function normalizedRequestPath(url: string): string {
  let path = url.split('?')[0]!.split(';')[0]!;
  for (let round = 0; round < 3 && path.includes('%'); round++) {
    try {
      path = decodeURIComponent(path);
    } catch {
      break; // not %-encoded text: read as written
    }
  }
  const segments: string[] = [];
  for (const raw of path.replace(/\\/g, '/').split('/')) {
    const segment = raw.replace(/\.+$/, (dots) => (dots.length === raw.length ? dots : ''));
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`.toLowerCase();
}

/**
 * Whether a request must carry credentials: when the route the router matched is guarded, or
 * when its normalized path names the API (so that a catch-all such as the UI's static files,
 * or no route at all, answers 401 rather than telling which API paths exist).
 */
export function needsCredentials(request: FastifyRequest): boolean {
  const pattern = request.routeOptions.url;
  if (pattern !== undefined && !isOpenRoute(pattern)) return true;
  return !isOpenRoute(normalizedRequestPath(request.url));
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
    if (!needsCredentials(request) || hasValidCredentials(request, credentials)) return;
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
