/**
 * A request that failed because the store's database was away (PostgreSQL restarting, stopped
 * or unreachable, a session terminated mid-request, every pooled connection busy past the
 * timeout; SQLite locked by another process past its busy timeout) was not at fault: the API
 * answers it 503 `WH_STORE_UNAVAILABLE` with `Retry-After`, which clients and load balancers
 * retry, rather than a 500 that says "report a bug".
 */
import { ErrorCodes, WindhoverError } from '../errors.js';

/** Seconds a client is told to wait before retrying (`Retry-After`): a restart takes a few. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * PostgreSQL's SQLSTATEs of a server going or gone: admin_shutdown, crash_shutdown,
 * cannot_connect_now (starting or stopping), idle_session_timeout, the connection_exception
 * class, and too_many_connections.
 */
const PG_OUTAGE_SQLSTATES: ReadonlySet<string> = new Set([
  '57P01',
  '57P02',
  '57P03',
  '57P05',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
]);

/** Socket errors of a connection refused, cut or unroutable (the driver passes them through). */
const SOCKET_OUTAGE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * The driver's (pg, pg-pool) own errors, which have no code: a connection that ended under a
 * query, a pool that found no connection in time, a client reused after its connection broke,
 * and a database refusing connections (ALLOW_CONNECTIONS false, SQLSTATE 55000 is too broad).
 */
const DRIVER_OUTAGE_MESSAGES =
  /^Connection terminated|^timeout exceeded when trying to connect|^Client has encountered a connection error|is not currently accepting connections/;

/** Whether this one error (not its causes) says the database is away. */
function isOutageItself(error: { code?: unknown; syscall?: unknown; message?: unknown }): boolean {
  const code = typeof error.code === 'string' ? error.code : '';
  if (PG_OUTAGE_SQLSTATES.has(code) || SOCKET_OUTAGE_CODES.has(code)) return true;
  // A unix socket that is not there: the server is stopped (only on connect, not a missing file).
  if (code === 'ENOENT' && error.syscall === 'connect') return true;
  if (code.startsWith('SQLITE_BUSY')) return true;
  return typeof error.message === 'string' && DRIVER_OUTAGE_MESSAGES.test(error.message);
}

/** Whether `error`, or one it wraps (`cause`, an AggregateError's `errors`), says the database is away. */
export function isStoreOutage(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  if (error instanceof WindhoverError) return error.code === ErrorCodes.STORE_UNAVAILABLE;
  const wrapped = error as { cause?: unknown; errors?: unknown };
  if (isOutageItself(error)) return true;
  if (isStoreOutage(wrapped.cause, depth + 1)) return true;
  return Array.isArray(wrapped.errors) && wrapped.errors.some((inner) => isStoreOutage(inner, depth + 1));
}

/**
 * The WH_STORE_UNAVAILABLE error to answer for `error` when it is a store outage, else
 * undefined. The message gives the driver's code (`57P01`, `ECONNREFUSED`…), or its own
 * message when it has none: never a socket's path or the database's address.
 */
export function fromStoreOutage(error: unknown): WindhoverError | undefined {
  if (!isStoreOutage(error)) return undefined;
  if (error instanceof WindhoverError) return error;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const reason = typeof code === 'string' && code !== '' ? code : String(message).split('\n')[0];
  return new WindhoverError(
    ErrorCodes.STORE_UNAVAILABLE,
    `The store's database is unavailable (${reason}): it may be restarting or unreachable. Retry in a few seconds.`,
    { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS },
  );
}
