/**
 * JSON request bodies: Fastify's own parser (which refuses `__proto__` and `constructor`
 * poisoning), behind a nesting limit checked in one pass first, so that a body nested
 * thousands deep is a 400 rather than a stack overflow in whatever walks it next.
 */
import type { FastifyInstance } from 'fastify';
import { jsonDeeperThan, MAX_JSON_DEPTH } from '../bounded-json.js';
import { ErrorCodes, WindhoverError } from '../errors.js';

/** The 400 for a body or value nested deeper than MAX_JSON_DEPTH. */
export function jsonTooDeep(what = 'The JSON body'): WindhoverError {
  return new WindhoverError(
    ErrorCodes.REQUEST_INVALID,
    `${what} is nested more than ${MAX_JSON_DEPTH} levels deep; flatten it`,
  );
}

/** Replaces the app's `application/json` parser by the bounded one. */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonDeeperThan(text, MAX_JSON_DEPTH)) return done(jsonTooDeep(), undefined);
    return parseJson(request, text, done);
  });
}
