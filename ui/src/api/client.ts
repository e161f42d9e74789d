/**
 * The one way the UI talks to the server: `fetch` on Kestra's REST API under /api/v1/main, with
 * the basic-auth credentials of the session, answers parsed as JSON and failures turned into
 * `ApiError` (the server's `{ code, message, details }`, or a network failure).
 */
import { credentialsHeader, forgetCredentials } from './credentials';
import { reportReachable } from './reachability';

export const API_BASE = '/api/v1/main';

/** A failed request: the server's error code and message, or `NETWORK` when it did not answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The server could not be reached (down, restarting, network). */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

/** Listeners told when a request needs credentials (the login page opens). */
const unauthorizedListeners = new Set<() => void>();

/** Runs `listener` whenever the server answers 401; returns the unsubscribe function. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** JSON-encoded unless it is a string (sent as text), FormData or Blob. */
  body?: unknown;
  /** Content type of a string body. Default text/plain. */
  contentType?: string;
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  signal?: AbortSignal;
  /** Extra request headers (e.g. the KV store's `ttl`). */
  headers?: Record<string, string>;
}

/** The URL of an API path with its query (repeated keys for arrays). */
export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(key, item);
    else params.set(key, String(value));
  }
  const text = params.toString();
  return `${API_BASE}${path}${text ? `?${text}` : ''}`;
}

/** Headers of every API request: credentials, and the marker that keeps the browser's own login dialog away. */
export function apiHeaders(): Record<string, string> {
  return { 'x-requested-with': 'XMLHttpRequest', ...credentialsHeader() };
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: string; message?: string; details?: unknown };
    return new ApiError(
      response.status,
      body.code ?? `HTTP_${response.status}`,
      body.message ?? response.statusText,
      body.details,
    );
  } catch {
    return new ApiError(response.status, `HTTP_${response.status}`, text || response.statusText);
  }
}

/** Sends a request and returns the raw response (for downloads and streams); throws ApiError. */
export async function apiFetch(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers, ...apiHeaders() };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData || options.body instanceof Blob) body = options.body;
  else if (typeof options.body === 'string') {
    body = options.body;
    headers['content-type'] = options.contentType ?? 'text/plain';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    reportReachable(false);
    throw new ApiError(0, 'NETWORK', 'The server does not answer: is `windhover server` running?');
  }
  // A proxy in front of a stopped server answers 502/503/504: down as well.
  reportReachable(response.status < 502 || response.status > 504);
  if (response.status === 401) {
    forgetCredentials();
    for (const listener of unauthorizedListeners) listener();
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

/** Sends a request and parses the JSON answer (undefined for 204). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await apiFetch(path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
