/**
 * Errors that come from the client's request rather than from the server, though they reach
 * the error handler as plain errors: a multipart form that is malformed or cut short (busboy's
 * messages, a stream closed early). And the one rule for what a 500 may say: no local paths.
 */
import type { FastifyRequest } from 'fastify';
import { ErrorCodes, WindhoverError } from '../errors.js';

/** busboy's (and its Dicer's) messages for a form it cannot read: it gives them no code. */
const MALFORMED_FORM =
  /^(Unexpected end of (form|multipart data)|(Part|Preamble) terminated early|Malformed (part header|urlencoded form|content type)|Multipart: Boundary not found|Boundary required|Missing Content-Type|Unsupported content type)/i;

/** A multipart request the server could not read, as a 400 saying so; undefined otherwise. */
export function fromBrokenRequest(error: Error, request: FastifyRequest): WindhoverError | undefined {
  if (!request.isMultipart()) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  if (MALFORMED_FORM.test(error.message) || code === 'ERR_STREAM_PREMATURE_CLOSE')
    return new WindhoverError(
      ErrorCodes.REQUEST_INVALID,
      `The multipart form cannot be read (${error.message}): check its boundary and that it is sent whole`,
    );
  return undefined;
}

/**
 * A message with absolute local paths replaced by `…`: what the server's disk looks like is
 * not the client's business (the server log keeps the whole error).
 */
export function withoutLocalPaths(message: string): string {
  return message.replace(/(?<![\w:/])\/(?:[^\s'"`/,:;)]+\/)+[^\s'"`,:;)]*/g, '…');
}
