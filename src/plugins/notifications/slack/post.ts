/** Posting a message to a Slack incoming webhook, through the shared HTTP client. */
import { TaskFailure, isRecord, parseIsoDuration, toText } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { checkHttpUrl, sendHttp } from '../../shared/http-client.js';
import type { HttpCall, HttpTimeout } from '../../shared/http-client.js';
import { describeHttpError } from '../../shared/http-errors.js';
import { responseFailure } from '../../shared/http-response.js';

/**
 * Posts `payload` (JSON text) to the task's `url`. Fails when Slack cannot be reached or answers
 * anything but 2xx. Messages show the webhook's origin only: the path of a Slack webhook URL is
 * its secret.
 */
export async function postToSlack(
  ctx: TaskContext,
  props: Record<string, unknown>,
  payload: string,
): Promise<void> {
  const url = toText(props.url ?? '');
  const parsed = checkHttpUrl(url, 'url');
  const label = `Slack webhook ${parsed.origin}/…`;
  const options = isRecord(props.options) ? props.options : {};
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'Windhover' };
  if (isRecord(options.headers)) for (const [k, v] of Object.entries(options.headers)) headers[k] = toText(v);
  const call: HttpCall = {
    url,
    method: 'POST',
    headers,
    body: payload,
    timeouts: timeoutsOf(options),
    followRedirects: true,
    signal: ctx.signal,
    label,
  };
  const { response, close } = await sendHttp(call);
  try {
    if (response.code < 200 || response.code > 299)
      throw await responseFailure(label, response, 'check the webhook URL and the payload');
    await response.body?.cancel().catch(() => undefined);
  } catch (error) {
    throw describeHttpError(error, call);
  } finally {
    await close();
  }
  ctx.logger.info(`Message posted to ${label}`);
}

/** The payload as JSON text, checked: Slack answers a bare 400 for a malformed one. */
export function checkPayload(payload: string): string {
  try {
    JSON.parse(payload);
  } catch (error) {
    const start = payload.length > 200 ? `${payload.slice(0, 200)}…` : payload;
    throw new TaskFailure(
      `Property \`payload\`: the rendered payload is not JSON (${error instanceof Error ? error.message : String(error)}): ${start}`,
    );
  }
  return payload;
}

/** The Slack tasks' `options`: connect, answer (readTimeout, 10 s) and idle (readIdleTimeout, 5 min) limits. */
function timeoutsOf(options: Record<string, unknown>): HttpCall['timeouts'] {
  const pick = (name: string, fallback?: string): HttpTimeout | undefined => {
    const value = options[name] ?? fallback;
    if (value === undefined || value === null) return undefined;
    const text = toText(value);
    const ms = parseIsoDuration(text);
    if (ms === undefined)
      throw new TaskFailure(
        `Property \`options.${name}\`: \`${text}\` is not an ISO-8601 duration such as PT30S`,
      );
    return { ms, source: `options.${name}: ${text}${options[name] === undefined ? ' (default)' : ''}` };
  };
  const connect = pick('connectTimeout');
  const head = pick('readTimeout', 'PT10S');
  const readIdle = pick('readIdleTimeout', 'PT5M');
  return { ...(connect ? { connect } : {}), ...(head ? { head } : {}), ...(readIdle ? { readIdle } : {}) };
}
