/**
 * The HTTP client shared by the HTTP tasks and the notification tasks: one call over undici with
 * its own timeouts, TLS and proxy settings, and failures turned into messages a user can act on.
 * Bodies are never buffered here: the caller reads (or streams) `response.body`.
 */
import { Agent, FormData, ProxyAgent, Socks5ProxyAgent, fetch } from 'undici';
import type { Dispatcher, Response } from 'undici';
import { TaskFailure } from '../api.js';
import { describeHttpError } from './http-errors.js';

/** A timeout and where the user set it, so a timeout message can name the setting to change. */
export interface HttpTimeout {
  ms: number;
  /** e.g. `options.timeout.readIdleTimeout: PT1S`. */
  source: string;
}

export interface HttpProxy {
  type: 'DIRECT' | 'HTTP' | 'SOCKS';
  host: string;
  port: number;
  username?: string;
  password?: string;
}

export interface HttpCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | URLSearchParams | FormData;
  timeouts: {
    connect?: HttpTimeout;
    /** Longest silence while waiting for the response head or between two body chunks. */
    readIdle?: HttpTimeout;
    /** Longest wait for the response head, when it differs from `readIdle`. */
    head?: HttpTimeout;
  };
  followRedirects: boolean;
  /** Accept any server certificate (tests against self-signed servers). */
  insecure?: boolean;
  proxy?: HttpProxy;
  signal?: AbortSignal;
  /** How messages name the call, such as `GET http://host/path` or `Slack webhook http://host/…`. */
  label: string;
}

export interface HttpResponse {
  code: number;
  statusText: string;
  /** Lower-case names, each with its list of values (Kestra's `Map<String, List<String>>`). */
  headers: Record<string, string[]>;
  /** The body, to read or stream once; null for a response without one. */
  body: ReadableStream<Uint8Array> | null;
}

export interface HttpExchange {
  response: HttpResponse;
  /** Releases the connection; call it once the body is read or abandoned. */
  close: () => Promise<void>;
}

export { FormData };

/** Sends one request and returns the response head; throws a `TaskFailure` saying why it could not. */
export async function sendHttp(call: HttpCall): Promise<HttpExchange> {
  const dispatcher = dispatcherFor(call);
  const close = () => dispatcher.destroy().catch(() => undefined);
  try {
    const res = await fetch(call.url, {
      method: call.method,
      headers: call.headers,
      ...(call.body !== undefined ? { body: call.body } : {}),
      redirect: call.followRedirects ? 'follow' : 'manual',
      dispatcher,
      ...(call.signal ? { signal: call.signal } : {}),
    });
    return { response: responseOf(res), close };
  } catch (error) {
    await close();
    if (call.signal?.aborted) throw error;
    throw describeHttpError(error, call);
  }
}

/** Checks a URL before anything is sent: absolute, http or https. */
export function checkHttpUrl(url: string, property: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TaskFailure(
      `Property \`${property}\`: \`${url}\` is not a valid URL; give a full URL such as https://example.com/path`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new TaskFailure(
      `Property \`${property}\`: \`${url}\` uses ${parsed.protocol.replace(/:$/, '')}, but only http and https URLs can be called`,
    );
  return parsed;
}

/**
 * A URL as messages show it: without credentials, and with the query string (which often holds
 * API keys) replaced by `?…`.
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return url;
  }
}

/** The undici dispatcher carrying the call's timeouts, TLS and proxy settings. */
function dispatcherFor(call: HttpCall): Dispatcher {
  const { connect, readIdle, head } = call.timeouts;
  const connectOptions = {
    ...(connect ? { timeout: connect.ms } : {}),
    ...(call.insecure ? { rejectUnauthorized: false } : {}),
  };
  const headWait = head ?? readIdle;
  const reads = {
    ...(readIdle ? { bodyTimeout: readIdle.ms } : {}),
    ...(headWait ? { headersTimeout: headWait.ms } : {}),
  };
  const common = { connect: connectOptions, ...reads };
  const proxy = call.proxy;
  if (!proxy || proxy.type === 'DIRECT') return new Agent(common);
  if (proxy.type === 'SOCKS')
    return new Socks5ProxyAgent(`socks5://${proxy.host}:${proxy.port}`, {
      ...reads,
      ...(proxy.username !== undefined ? { username: proxy.username } : {}),
      ...(proxy.password !== undefined ? { password: proxy.password } : {}),
    });
  const token =
    proxy.username !== undefined
      ? `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ''}`).toString('base64')}`
      : undefined;
  return new ProxyAgent({
    uri: `http://${proxy.host}:${proxy.port}`,
    ...common,
    ...(call.insecure ? { requestTls: { rejectUnauthorized: false } } : {}),
    ...(token ? { token } : {}),
  });
}

function responseOf(res: Response): HttpResponse {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of res.headers) {
    if (name === 'set-cookie') continue;
    headers[name] = [value];
  }
  const cookies = res.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  return {
    code: res.status,
    statusText: res.statusText,
    headers,
    body: res.body as ReadableStream<Uint8Array> | null,
  };
}
