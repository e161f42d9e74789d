/**
 * Why an HTTP call failed, in words a user can act on. `fetch` only says "fetch failed"; the
 * reason (ECONNREFUSED, a timeout, a certificate…) hides in the error's `cause` chain.
 */
import { TaskFailure } from '../api.js';
import type { HttpCall } from './http-client.js';

interface Cause {
  code?: string;
  message: string;
}

/** A failure of `call` (sending it or reading its body) as a `TaskFailure` naming the URL and the cause. */
export function describeHttpError(error: unknown, call: Pick<HttpCall, 'label' | 'timeouts'>): TaskFailure {
  if (error instanceof TaskFailure) return error;
  const cause = rootCause(error);
  const { label } = call;
  const code = cause.code ? ` (${cause.code})` : '';
  const readIdle = call.timeouts.readIdle;
  const head = call.timeouts.head ?? readIdle;
  switch (cause.code) {
    case 'ECONNREFUSED':
      return new TaskFailure(
        `${label} refused the connection${code}: is the server running and the host and port right?`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new TaskFailure(`${label} failed: the host name could not be resolved${code}; check the URL`);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return new TaskFailure(`${label} failed: the server closed the connection${code}`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new TaskFailure(`${label} failed: the host is unreachable${code}`);
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return new TaskFailure(
        `${label} failed: could not connect within ${call.timeouts.connect?.source ?? 'the default 10 s'}${code}; raise options.timeout.connectTimeout or check the host`,
      );
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new TaskFailure(
        `${label} failed: the server sent no response within ${head?.source ?? 'the default 5 min'}${code}; raise the timeout or check the server`,
      );
    case 'UND_ERR_BODY_TIMEOUT':
      return new TaskFailure(
        `${label} failed: the server stopped sending data for longer than ${readIdle?.source ?? 'the default 5 min'}${code}`,
      );
    case 'UND_ERR_HEADERS_OVERFLOW':
      return new TaskFailure(`${label} failed: the response headers are too large${code}`);
  }
  if (cause.code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET/.test(cause.code))
    return new TaskFailure(
      `${label} failed: the server's TLS certificate was rejected${code}: ${cause.message}; for a test server with a self-signed certificate, set options.ssl.insecureTrustAllCertificates: true`,
    );
  if (/redirect count exceeded/i.test(cause.message))
    return new TaskFailure(`${label} failed: too many redirects (more than 20)`);
  return new TaskFailure(`${label} failed: ${cause.message}${code}`);
}

/** The innermost error with a code (or message) along `cause` and `errors` (AggregateError: one per address). */
function rootCause(error: unknown): Cause {
  let current: unknown = error;
  let best: Cause = { message: messageOf(error) };
  for (let depth = 0; depth < 8 && current; depth++) {
    if (current instanceof AggregateError && current.errors.length > 0) current = current.errors[0];
    if (!(current instanceof Error)) break;
    const code = (current as { code?: unknown }).code;
    const message = current.message && current.message !== 'fetch failed' ? current.message : best.message;
    best = typeof code === 'string' ? { code, message } : { ...best, message };
    current = current.cause;
  }
  return best;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
