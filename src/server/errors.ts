/**
 * Every error leaves the server as `{ code, message, details }` with the HTTP status of its
 * code: WindhoverErrors keep their code, Fastify's own errors (bad JSON, body too large,
 * unknown route) are mapped to ours, and anything else is a WH_INTERNAL 500 whose stack goes
 * to the server log only.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes, WindhoverError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { fromBrokenRequest, withoutLocalPaths } from './request-errors.js';
import { STORE_RETRY_AFTER_SECONDS, fromStoreOutage } from './store-outage.js';

/** The body of every error response. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCodes.REQUEST_INVALID]: 400,
  [ErrorCodes.PATH_INVALID]: 400,
  [ErrorCodes.STORAGE_URI_INVALID]: 400,
  [ErrorCodes.USAGE]: 400,
  [ErrorCodes.UNAUTHORIZED]: 401,
  [ErrorCodes.NOT_FOUND]: 404,
  [ErrorCodes.FLOW_NOT_FOUND]: 404,
  [ErrorCodes.EXECUTION_NOT_FOUND]: 404,
  [ErrorCodes.KV_NOT_FOUND]: 404,
  [ErrorCodes.NAMESPACE_FILE_NOT_FOUND]: 404,
  [ErrorCodes.STORAGE_FILE_NOT_FOUND]: 404,
  [ErrorCodes.TRIGGER_NOT_FOUND]: 404,
  [ErrorCodes.WEBHOOK_NOT_FOUND]: 404,
  [ErrorCodes.FLOW_EXISTS]: 409,
  [ErrorCodes.EXECUTION_STATE]: 409,
  [ErrorCodes.BODY_TOO_LARGE]: 413,
  [ErrorCodes.STORE_UNAVAILABLE]: 503,
  [ErrorCodes.FLOW_INVALID]: 422,
  [ErrorCodes.INPUT_INVALID]: 422,
  [ErrorCodes.REPLAY_INVALID]: 422,
  [ErrorCodes.BACKFILL_INVALID]: 422,
  [ErrorCodes.TASK_PROPERTY_INVALID]: 422,
};

/** The HTTP status an error code is answered with (500 for codes that mean a server fault). */
export function httpStatusOf(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

/**
 * Sends an error response for a WindhoverError. One sent before the request's body was read
 * to its end closes the connection: the unread rest would otherwise stand before the next
 * request on a keep-alive connection, which would never be answered.
 */
export function sendError(reply: FastifyReply, error: WindhoverError): FastifyReply {
  if (!reply.request.raw.complete) void reply.header('connection', 'close');
  const body: ErrorBody = { code: error.code, message: error.message };
  if (error.details !== undefined) body.details = error.details;
  return reply.status(httpStatusOf(error.code)).type('application/json; charset=utf-8').send(body);
}

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCodes));

/**
 * Errors of the layers below (storage, KV keys) carry a `code` of ours without being
 * WindhoverErrors; they keep their code rather than becoming a 500.
 */
function fromCodedError(error: Error): WindhoverError | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && KNOWN_CODES.has(code))
    return new WindhoverError(code as ErrorCode, error.message);
  // A KV key that breaks Kestra's rule (src/engine/worker/kv-keys.ts) is a bad request.
  if (code === 'WH_KV_KEY_INVALID') return new WindhoverError(ErrorCodes.REQUEST_INVALID, error.message);
  return undefined;
}

/** Maps an error of Fastify itself (validation, parsing, limits) to one of ours. */
function fromFastifyError(error: FastifyError): WindhoverError | undefined {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413)
    return new WindhoverError(
      ErrorCodes.BODY_TOO_LARGE,
      'The request body is too large for this server (see server.maxBodySize in docs/configuration.md).',
    );
  if (error.code === 'FST_REQ_FILE_TOO_LARGE')
    return new WindhoverError(
      ErrorCodes.BODY_TOO_LARGE,
      'The uploaded file is too large for this server (see server.maxUploadSize in docs/configuration.md).',
    );
  if (error.validation)
    return new WindhoverError(
      ErrorCodes.REQUEST_INVALID,
      `Invalid request: ${error.message}`,
      error.validation,
    );
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
    return new WindhoverError(
      error.statusCode === 404 ? ErrorCodes.NOT_FOUND : ErrorCodes.REQUEST_INVALID,
      error.message,
    );
  return undefined;
}

/**
 * Answers the errors Fastify meets before routing (a URL with a malformed %-escape, a bad
 * header), in our shape rather than Fastify's own, since no route's handlers run for them.
 */
export function answerRouterError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message =
    error.code === 'FST_ERR_BAD_URL'
      ? 'The URL cannot be read: it holds a malformed %-escape (write % as %25)'
      : /max param length/.test(error.message)
        ? 'The URL has a part longer than the server reads (1,000 characters between two slashes)'
        : `The request cannot be read: ${withoutLocalPaths(error.message)}`;
  void sendError(reply, new WindhoverError(ErrorCodes.REQUEST_INVALID, message));
}

/**
 * Installs the error and not-found handlers on an app. `pageFallback` answers unknown paths a
 * browser asks for as pages (the UI's index.html); it returns false for the rest.
 */
export function installErrorHandlers(
  app: FastifyInstance,
  pageFallback?: (request: FastifyRequest, reply: FastifyReply) => boolean,
): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    // The database away mid-request (restart, outage): 503 to retry, not a 500 (store-outage.ts).
    const outage = fromStoreOutage(error);
    if (outage) return sendError(reply.header('retry-after', String(STORE_RETRY_AFTER_SECONDS)), outage);
    if (error instanceof WindhoverError) return sendError(reply, error);
    const mapped = fromCodedError(error) ?? fromFastifyError(error) ?? fromBrokenRequest(error, request);
    if (mapped) return sendError(reply, mapped);
    request.log.error(error);
    console.error(`server: ${request.method} ${request.url} failed: ${error.stack ?? error.message}`);
    return sendError(
      reply,
      new WindhoverError(
        ErrorCodes.INTERNAL,
        `Internal error (please report it; the server log has the details): ${withoutLocalPaths(error.message)}`,
      ),
    );
  });
  app.setNotFoundHandler((request, reply) => {
    if (pageFallback?.(request, reply)) return reply;
    return sendError(
      reply,
      new WindhoverError(ErrorCodes.NOT_FOUND, `No route ${request.method} ${request.url.split('?')[0]}`),
    );
  });
}
