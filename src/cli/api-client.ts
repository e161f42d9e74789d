/**
 * The HTTP client of the CLI commands that talk to a running server (`--server`, `--user`), on
 * Kestra's API paths under `/api/v1/main`. A server it cannot reach is WH_SERVER_UNREACHABLE
 * with the URL; an error the server answers keeps the server's code and message.
 */
import type { Command } from 'commander';
import { ErrorCodes, WindhoverError } from '../errors.js';
import type { ErrorCode } from '../errors.js';

/** The server used when neither `--server` nor `WINDHOVER_URL` names one. */
export const DEFAULT_SERVER_URL = 'http://localhost:8080';

/** The options every client command takes. */
export interface ServerConnectionOptions {
  server?: string;
  user?: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

/** Adds `--server` and `--user` to a command (defaults resolved at run time, so help never shows a password). */
export function addServerConnectionOptions(command: Command): Command {
  return command
    .option('--server <url>', `the server [env WINDHOVER_URL; default ${DEFAULT_SERVER_URL}]`)
    .option(
      '--user <user:password>',
      'basic-auth credentials [env WINDHOVER_USERNAME and WINDHOVER_PASSWORD]',
    );
}

export interface RequestOptions {
  /** Sent as is: text, a FormData (multipart), or a JSON value (`json`). */
  body?: string | FormData;
  json?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | boolean | undefined>;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

/** A client of one server's API. */
export class ApiClient {
  constructor(
    /** The server's base URL, without a trailing slash. */
    readonly baseUrl: string,
    private readonly authorization?: string,
  ) {}

  /** Calls `/api/v1/main<path>`; resolves with a 2xx answer, throws a WindhoverError otherwise. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const url = new URL(`${this.baseUrl}/api/v1/main${path}`);
    for (const [name, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.authorization) headers.authorization = this.authorization;
    let body: string | FormData | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.contentType) headers['content-type'] = options.contentType;

    let response: Response;
    try {
      response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    } catch (error) {
      throw new WindhoverError(
        ErrorCodes.SERVER_UNREACHABLE,
        `Cannot reach the Windhover server at ${this.baseUrl}: ${reasonOf(error)} ` +
          '(is it running? --server or WINDHOVER_URL name another)',
      );
    }
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        // Keep the text: the error below shows it.
      }
    }
    if (response.ok) return { status: response.status, body: parsed };
    throw errorOf(this.baseUrl, method, url.pathname, response.status, parsed);
  }
}

/** The client for a command's `--server`/`--user` (else `WINDHOVER_URL`, `WINDHOVER_USERNAME`/`WINDHOVER_PASSWORD`). */
export function apiClientFor(options: ServerConnectionOptions, env: Environment = process.env): ApiClient {
  const raw = options.server ?? env.WINDHOVER_URL ?? DEFAULT_SERVER_URL;
  if (!/^https?:\/\/[^/\s]+/i.test(raw))
    throw new WindhoverError(
      ErrorCodes.USAGE,
      `--server takes an http(s) URL such as ${DEFAULT_SERVER_URL}, got \`${raw}\``,
    );
  const baseUrl = raw.replace(/\/+$/, '');
  let username: string | undefined;
  let password: string | undefined;
  if (options.user !== undefined) {
    const colon = options.user.indexOf(':');
    if (colon <= 0) throw new WindhoverError(ErrorCodes.USAGE, '--user takes user:password');
    // The first colon splits: a password may hold colons.
    username = options.user.slice(0, colon);
    password = options.user.slice(colon + 1);
  } else if (env.WINDHOVER_USERNAME && env.WINDHOVER_PASSWORD) {
    username = env.WINDHOVER_USERNAME;
    password = env.WINDHOVER_PASSWORD;
  }
  const authorization =
    username !== undefined
      ? `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`
      : undefined;
  return new ApiClient(baseUrl, authorization);
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCodes));

function errorOf(
  baseUrl: string,
  method: string,
  path: string,
  status: number,
  body: unknown,
): WindhoverError {
  const answer = body as { code?: unknown; message?: unknown; details?: unknown } | undefined;
  if (
    answer &&
    typeof answer === 'object' &&
    typeof answer.code === 'string' &&
    KNOWN_CODES.has(answer.code)
  ) {
    const message =
      typeof answer.message === 'string' ? answer.message : `${method} ${path} answered ${status}`;
    const hint =
      answer.code === ErrorCodes.UNAUTHORIZED
        ? ' (give --user user:password, or WINDHOVER_USERNAME and WINDHOVER_PASSWORD)'
        : '';
    return new WindhoverError(answer.code as ErrorCode, `${message}${hint}`, answer.details);
  }
  if (status === 401)
    return new WindhoverError(
      ErrorCodes.UNAUTHORIZED,
      `The server at ${baseUrl} wants credentials: give --user user:password, or WINDHOVER_USERNAME and WINDHOVER_PASSWORD`,
    );
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new WindhoverError(
    ErrorCodes.SERVER_UNREACHABLE,
    `The server at ${baseUrl} answered ${method} ${path} with HTTP ${status}${text ? `: ${text.slice(0, 500)}` : ''}`,
  );
}

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
