/**
 * One JSON call to a provider's REST API over the shared HTTP client, with failures a user can
 * act on: the provider's own error message for a refused call, a word on `retry` for a rate
 * limit (429), and a clear message for an answer that is not JSON. The API key travels in a
 * header, never in the URL, and is masked in the task's logs and error before anything is sent.
 */
import { TaskFailure, isRecord } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { displayUrl, sendHttp } from '../../shared/http-client.js';
import type { HttpCall } from '../../shared/http-client.js';
import { describeHttpError } from '../../shared/http-errors.js';
import { readBodyText } from '../../shared/http-response.js';

/** The longest answer read (a batch of large embeddings is a few MiB). */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
/** Kestra's AI tasks wait 120 s for a model by default. */
const DEFAULT_WAIT_MS = 120_000;

export interface ProviderCall {
  ctx: Pick<TaskContext, 'signal' | 'logger'>;
  /** e.g. `Google Gemini generateContent`; the URL is added. */
  what: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** Log the request and response bodies at INFO (`configuration.logRequests`/`logResponses`). */
  logRequest?: boolean;
  logResponse?: boolean;
}

/** Posts `body` as JSON and returns the parsed answer; throws a `TaskFailure` saying what went wrong. */
export async function postJson(call: ProviderCall): Promise<Record<string, unknown>> {
  const label = `${call.what} ${displayUrl(call.url)}`;
  const payload = JSON.stringify(call.body);
  if (call.logRequest) call.ctx.logger.info(`${label} request: ${payload}`);
  const http: HttpCall = {
    url: call.url,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'User-Agent': 'Windhover', ...call.headers },
    body: payload,
    timeouts: {
      connect: { ms: 10_000, source: 'the default 10 s' },
      head: { ms: DEFAULT_WAIT_MS, source: 'the default 120 s' },
      readIdle: { ms: DEFAULT_WAIT_MS, source: 'the default 120 s' },
    },
    followRedirects: true,
    signal: call.ctx.signal,
    label,
  };
  const { response, close } = await sendHttp(http);
  let text: string;
  try {
    text =
      (await readBodyText(
        response.body,
        MAX_ANSWER_BYTES,
        () => new TaskFailure(`${label} answered more than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`),
      )) ?? '';
  } catch (error) {
    throw describeHttpError(error, http);
  } finally {
    await close();
  }
  if (call.logResponse) call.ctx.logger.info(`${label} response: ${text}`);
  if (response.code < 200 || response.code > 299)
    throw refused(label, response.code, response.statusText, text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TaskFailure(
      `${label} answered malformed JSON (${error instanceof Error ? error.message : String(error)}): ${excerpt(text)}`,
    );
  }
  if (!isRecord(parsed))
    throw new TaskFailure(`${label} answered JSON that is not an object: ${excerpt(text)}`);
  return parsed;
}

/** A task failure for an answer whose shape is not the documented one. */
export function unexpectedAnswer(what: string, detail: string, answer: unknown): TaskFailure {
  return new TaskFailure(
    `${what} answered an unexpected shape (${detail}): ${excerpt(JSON.stringify(answer))}`,
  );
}

/** A list of numbers from an answer, or a failure naming the provider. */
export function vectorOf(what: string, value: unknown, answer: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'number'))
    throw unexpectedAnswer(what, 'an embedding is not a list of numbers', answer);
  return value.filter((v): v is number => typeof v === 'number');
}

function refused(label: string, code: number, statusText: string, text: string): TaskFailure {
  const status = `${code}${statusText ? ` ${statusText}` : ''}`;
  const message = providerMessage(text);
  if (code === 429)
    return new TaskFailure(
      `${label} is rate limiting (${status}): ${message}; add a \`retry\` to the task (e.g. type: exponential, interval: PT10S, maxAttempts: 5) to try again with backoff`,
      { code },
    );
  const hint =
    code === 401 || code === 403
      ? ' (check the provider `apiKey`)'
      : code === 404
        ? ' (check `modelName` and the endpoint)'
        : '';
  return new TaskFailure(`${label} answered ${status}: ${message}${hint}`, { code });
}

/** The provider's error message (`{error: {message}}` in all three APIs), else the start of the body. */
function providerMessage(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed) && isRecord(parsed.error) && typeof parsed.error.message === 'string')
      return parsed.error.message;
  } catch {
    // Not JSON: the body itself says what happened.
  }
  return text.trim() ? excerpt(text) : '(empty body)';
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
