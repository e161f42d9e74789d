/**
 * Turns the rendered properties of `http.Request` / `http.Download` (Kestra's AbstractHttp and
 * HttpConfiguration, deprecated flat settings included) into one call of the shared client.
 */
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { TaskFailure, isRecord, parseIsoDuration, toText } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { FormData, checkHttpUrl, displayUrl, sendHttp } from '../../shared/http-client.js';
import type { HttpCall, HttpProxy, HttpResponse, HttpTimeout } from '../../shared/http-client.js';
import { headerLines, logPart, statusAccepted, statusFailure } from '../../shared/http-response.js';
import type { StatusPolicy } from '../../shared/http-response.js';

/** Kestra's default for `options.maxContentLength`: the largest body `Request` keeps in its outputs. */
const DEFAULT_MAX_CONTENT_LENGTH = 10 * 1024 * 1024;

/** Methods `fetch` refuses to send, with the reason users get. */
const UNSENDABLE = new Set(['CONNECT', 'TRACE', 'TRACK']);

export interface HttpTaskCall {
  call: HttpCall;
  policy: StatusPolicy;
  /** `options.logs`. */
  logs: string[];
  maxContentLength: number;
  /** The form fields sent, for the Request output `formData`. */
  formData?: Record<string, unknown>;
  /** Request body lines for `options.logs: [REQUEST_BODY]`. */
  bodyLines: () => string[];
}

/** The call described by an HTTP task's properties. */
export async function httpTaskCall(ctx: TaskContext, props: Record<string, unknown>): Promise<HttpTaskCall> {
  const url = toText(props.uri).replace(/ /g, '%20');
  checkHttpUrl(url, 'uri');
  const method = toText(props.method ?? 'GET').toUpperCase();
  if (method === 'CUSTOM')
    throw new TaskFailure(
      'Property `method`: CUSTOM names no HTTP method; use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS',
    );
  if (UNSENDABLE.has(method))
    throw new TaskFailure(
      `Property \`method\`: ${method} cannot be sent by the HTTP tasks (the client refuses it for security reasons); use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS`,
    );
  const options = isRecord(props.options) ? props.options : {};
  const contentType = props.contentType === undefined ? 'application/json' : toText(props.contentType);
  const headers: Record<string, string> = {};
  if (isRecord(props.headers)) for (const [k, v] of Object.entries(props.headers)) headers[k] = toText(v);
  const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);

  const content = await requestBody(ctx, props, contentType, toText(options.defaultCharset ?? 'UTF-8'));
  if (content.body !== undefined && (method === 'GET' || method === 'HEAD'))
    throw new TaskFailure(
      `A ${method} request cannot carry a body or form data here; use POST (or PUT, PATCH), or move the values into the URL's query string`,
    );
  if (content.contentType && !has('content-type')) headers['Content-Type'] = content.contentType;
  const auth = authorization(options);
  if (auth && !has('authorization')) headers.Authorization = auth;
  if (!has('user-agent')) headers['User-Agent'] = 'Windhover';

  warnUnsupported(ctx, options);
  const maxContentLength =
    typeof options.maxContentLength === 'number' ? options.maxContentLength : DEFAULT_MAX_CONTENT_LENGTH;
  const allowedCodes = Array.isArray(options.allowedResponseCodes)
    ? options.allowedResponseCodes.map(Number)
    : undefined;
  const proxy = proxyOf(options);
  const insecure = insecureOf(options, props);
  return {
    call: {
      url,
      method,
      headers,
      ...(content.body !== undefined ? { body: content.body } : {}),
      timeouts: timeoutsOf(options),
      followRedirects: options.followRedirects !== false,
      ...(insecure ? { insecure } : {}),
      ...(proxy ? { proxy } : {}),
      signal: ctx.signal,
      label: `${method} ${displayUrl(url)}`,
    },
    policy: {
      allowFailed: (options.allowFailed ?? props.allowFailed) === true,
      ...(allowedCodes ? { allowedCodes } : {}),
    },
    logs: Array.isArray(options.logs) ? options.logs.map(toText) : [],
    maxContentLength,
    ...(content.formData ? { formData: content.formData } : {}),
    bodyLines: content.lines,
  };
}

interface RequestContent {
  body?: string | Uint8Array | URLSearchParams | FormData;
  contentType?: string;
  formData?: Record<string, unknown>;
  lines: () => string[];
}

/** The body: `formData` (url-encoded, or multipart with files) wins over `body`, as in Kestra. */
async function requestBody(
  ctx: TaskContext,
  props: Record<string, unknown>,
  contentType: string,
  charset: string,
): Promise<RequestContent> {
  const formData = isRecord(props.formData) ? props.formData : undefined;
  if (formData && Object.keys(formData).length > 0) {
    if (/^multipart\/form-data\b/i.test(contentType)) {
      const form = new FormData();
      const lines: string[] = [];
      for (const [key, value] of Object.entries(formData))
        lines.push(await appendPart(ctx, form, key, value));
      // fetch writes the Content-Type itself, with the boundary.
      return { body: form, formData, lines: () => lines };
    }
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(formData)) params.append(key, fieldText(value));
    return { body: params, formData, lines: () => [params.toString()] };
  }
  if (props.body !== undefined && props.body !== null) {
    const text = typeof props.body === 'string' ? props.body : JSON.stringify(props.body);
    const withCharset = /charset=/i.test(contentType) ? contentType : `${contentType}; charset=${charset}`;
    return { body: encode(text, charset), contentType: withCharset, lines: () => [text] };
  }
  return { contentType, lines: () => [] };
}

/** One multipart field: a `kestra://` URI (or `{name, content}`) is sent as a file, streamed from storage. */
async function appendPart(ctx: TaskContext, form: FormData, key: string, value: unknown): Promise<string> {
  if (typeof value === 'string' && value.startsWith('kestra://')) {
    const name = decodeURIComponent(basename(value));
    form.append(key, await storedBlob(ctx, value, `formData.${key}`), name);
    return `${key}: file ${name}`;
  }
  if (isRecord(value) && value.name !== undefined && value.content !== undefined) {
    const name = toText(value.name);
    form.append(key, await storedBlob(ctx, toText(value.content), `formData.${key}.content`), name);
    return `${key}: file ${name}`;
  }
  const text = fieldText(value);
  form.append(key, text);
  return `${key}: ${text}`;
}

async function storedBlob(ctx: TaskContext, uri: string, property: string) {
  if (!uri.startsWith('kestra://'))
    throw new TaskFailure(
      `Property \`${property}\`: \`${uri}\` is not an internal storage URI (kestra:///…)`,
    );
  if (!(await ctx.storage.exists(uri)))
    throw new TaskFailure(`Property \`${property}\`: the file \`${uri}\` does not exist in internal storage`);
  // A lazy blob: the file is read while the request is sent, never held in memory.
  return openAsBlob(await ctx.storage.localPath(uri));
}

/** A form value as text: strings as they are, anything else as JSON (as Kestra does). */
function fieldText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function encode(text: string, charset: string): string | Uint8Array {
  const name = charset.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (name === 'utf8') return text;
  if (name === 'iso88591' || name === 'latin1') return Buffer.from(text, 'latin1');
  if (name === 'usascii' || name === 'ascii') return Buffer.from(text, 'ascii');
  if (name === 'utf16le') return Buffer.from(text, 'utf16le');
  throw new TaskFailure(
    `Property \`options.defaultCharset\`: \`${charset}\` is not supported; use UTF-8, ISO-8859-1, US-ASCII or UTF-16LE`,
  );
}

/** `options.auth` (BASIC, BEARER), else the deprecated `basicAuthUser`/`basicAuthPassword`. */
function authorization(options: Record<string, unknown>): string | undefined {
  const auth = isRecord(options.auth) ? options.auth : undefined;
  if (auth?.type === 'BEARER') return `Bearer ${toText(auth.token ?? '')}`;
  if (auth?.type === 'BASIC') return basic(auth.username, auth.password);
  if (options.basicAuthUser !== undefined) return basic(options.basicAuthUser, options.basicAuthPassword);
  return undefined;
}

function basic(user: unknown, password: unknown): string {
  return `Basic ${Buffer.from(`${toText(user ?? '')}:${toText(password ?? '')}`).toString('base64')}`;
}

/** `options.timeout.*`, else the deprecated flat settings; reading idles 5 minutes by default. */
function timeoutsOf(options: Record<string, unknown>): HttpCall['timeouts'] {
  const nested = isRecord(options.timeout) ? options.timeout : {};
  const pick = (pairs: [unknown, string][]): HttpTimeout | undefined => {
    for (const [value, path] of pairs) {
      if (value === undefined || value === null) continue;
      const text = toText(value);
      const ms = parseIsoDuration(text);
      if (ms === undefined)
        throw new TaskFailure(`Property \`${path}\`: \`${text}\` is not an ISO-8601 duration such as PT30S`);
      return { ms, source: `${path}: ${text}` };
    }
    return undefined;
  };
  const connect = pick([
    [nested.connectTimeout, 'options.timeout.connectTimeout'],
    [options.connectTimeout, 'options.connectTimeout'],
  ]);
  const readIdle = pick([
    [nested.readIdleTimeout, 'options.timeout.readIdleTimeout'],
    [options.readIdleTimeout, 'options.readIdleTimeout'],
  ]) ?? { ms: 5 * 60_000, source: 'options.timeout.readIdleTimeout (default PT5M)' };
  const head = pick([[options.readTimeout, 'options.readTimeout']]);
  return { ...(connect ? { connect } : {}), readIdle, ...(head ? { head } : {}) };
}

/** `options.proxy`, else the deprecated flat `proxyType`, `proxyAddress`… settings. */
function proxyOf(options: Record<string, unknown>): HttpProxy | undefined {
  const nested = isRecord(options.proxy) ? options.proxy : {};
  const type = toText(nested.type ?? options.proxyType ?? 'DIRECT');
  const host = nested.address ?? options.proxyAddress;
  if (type === 'DIRECT' || host === undefined || host === null || host === '') return undefined;
  const port = nested.port ?? options.proxyPort;
  if (typeof port !== 'number')
    throw new TaskFailure('Property `options.proxy.port`: a proxy needs its port, such as 3128');
  const username = nested.username ?? options.proxyUsername;
  const password = nested.password ?? options.proxyPassword;
  return {
    type: type === 'SOCKS' ? 'SOCKS' : 'HTTP',
    host: toText(host),
    port,
    ...(username !== undefined ? { username: toText(username) } : {}),
    ...(password !== undefined ? { password: toText(password) } : {}),
  };
}

function insecureOf(options: Record<string, unknown>, props: Record<string, unknown>): boolean {
  const ssl = isRecord(options.ssl) ? options.ssl : isRecord(props.sslOptions) ? props.sslOptions : {};
  return ssl.insecureTrustAllCertificates === true;
}

/** Settings Windhover reads but does not apply yet: say so rather than ignore them silently. */
function warnUnsupported(ctx: TaskContext, options: Record<string, unknown>): void {
  for (const name of [
    'retry',
    'retryOnStatusCodes',
    'retryOnStatusCodesByMethod',
    'retryableTransportFailureMethods',
  ])
    if (options[name] !== undefined)
      ctx.logger.warn(
        `options.${name} is not applied by Windhover yet: use the task's \`retry\` property instead`,
      );
}

/**
 * Sends a task's call, logging the parts `options.logs` asks for. A status the policy refuses
 * fails the task (the response closed); otherwise the caller reads the body, then closes.
 */
export async function sendTaskCall(
  ctx: TaskContext,
  task: HttpTaskCall,
): Promise<{ response: HttpResponse; close: () => Promise<void> }> {
  const { call } = task;
  logPart(ctx.logger, task.logs, 'REQUEST_HEADERS', () => [
    `${call.method} ${call.url}`,
    ...headerLines(call.headers),
  ]);
  logPart(ctx.logger, task.logs, 'REQUEST_BODY', task.bodyLines);
  const sent = await sendHttp(call);
  const { response } = sent;
  try {
    logPart(ctx.logger, task.logs, 'RESPONSE_HEADERS', () => [
      `${response.code} ${response.statusText}`,
      ...headerLines(response.headers),
    ]);
    if (!statusAccepted(response.code, task.policy))
      throw await statusFailure(call.label, response, task.policy);
    return sent;
  } catch (error) {
    await sent.close();
    throw error;
  }
}
