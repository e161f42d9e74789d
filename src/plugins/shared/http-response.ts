/**
 * What the HTTP tasks do with a response: decide whether its status is a success, read a bounded
 * body as text, and log headers without their secrets.
 */
import { TaskFailure } from '../api.js';
import type { TaskLogger } from '../api.js';
import type { HttpResponse } from './http-client.js';

/** Which response codes succeed: under 400 unless `allowFailed`; exactly `allowedCodes` when given. */
export interface StatusPolicy {
  allowFailed: boolean;
  allowedCodes?: readonly number[];
}

/** Whether the policy accepts the code. */
export function statusAccepted(code: number, policy: StatusPolicy): boolean {
  if (policy.allowedCodes && policy.allowedCodes.length > 0) return policy.allowedCodes.includes(code);
  return policy.allowFailed || code < 400;
}

/**
 * The failure for a refused response: the code, the URL and the start of the body (which is
 * usually where the server says what was wrong), then `hint`. Reads at most 1 KiB of the body.
 */
export async function responseFailure(
  label: string,
  response: HttpResponse,
  hint: string,
): Promise<TaskFailure> {
  const start = (await readStart(response.body, 1024)).replace(/\s+/g, ' ').trim();
  const excerpt = start ? `: ${start.length > 300 ? `${start.slice(0, 300)}…` : start}` : ' (empty body)';
  const status = `${response.code}${response.statusText ? ` ${response.statusText}` : ''}`;
  return new TaskFailure(`${label} answered ${status}${excerpt} (${hint})`, { code: response.code });
}

/** The failure for a response the HTTP tasks' policy refuses, saying which setting accepts it. */
export function statusFailure(
  label: string,
  response: HttpResponse,
  policy: StatusPolicy,
): Promise<TaskFailure> {
  const hint =
    policy.allowedCodes && policy.allowedCodes.length > 0
      ? `the code is not in options.allowedResponseCodes [${policy.allowedCodes.join(', ')}]`
      : 'set options.allowFailed: true to accept it';
  return responseFailure(label, response, hint);
}

/** The body as UTF-8 text; fails when it is longer than `maxBytes` (the reason `Download` exists). */
export async function readBodyText(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  tooLarge: () => TaskFailure,
): Promise<string | undefined> {
  if (!body) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The first `maxBytes` of a body as text; the rest is discarded. */
async function readStart(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // The start of the body only decorates a message: a broken body leaves it short.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/** Headers as log lines, with credentials replaced by `***`. */
export function headerLines(headers: Record<string, string | string[]>): string[] {
  return Object.entries(headers).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map(
      (v) => `${name}: ${SECRET_HEADERS.has(name.toLowerCase()) ? maskCredential(v) : v}`,
    ),
  );
}

/** `Basic abc…` → `Basic ***`: the scheme helps debugging, the credential never shows. */
function maskCredential(value: string): string {
  const scheme = /^(Basic|Bearer|Digest|Token)\s/i.exec(value);
  return scheme ? `${scheme[1]} ***` : '***';
}

/** What `options.logs` asks to log. */
export type HttpLogPart = 'REQUEST_HEADERS' | 'REQUEST_BODY' | 'RESPONSE_HEADERS' | 'RESPONSE_BODY';

/** Logs one part of an exchange when `options.logs` lists it. */
export function logPart(
  logger: TaskLogger,
  parts: readonly string[],
  part: HttpLogPart,
  lines: () => string[],
): void {
  if (!parts.includes(part)) return;
  const title = part.toLowerCase().replace('_', ' ');
  logger.info(`${title}:\n${lines().join('\n')}`);
}
