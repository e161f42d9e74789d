/**
 * A small client of the Docker Engine API (the HTTP API `docker` itself speaks), over the
 * engine's Unix socket or TCP: the handful of calls the Docker task runner makes. No `docker`
 * CLI is needed on the worker. Paths are pinned to API 1.41 (Docker 20.10, Debian 12's
 * docker.io); later engines still answer it.
 */
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { ErrorCodes, TaskFailure } from '../../api.js';

/** The API version of every call: what the calls here were written against. */
const API_VERSION = 'v1.41';
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** Stable codes of the Docker runner's errors (src/errors.ts), at the start of their messages. */
export const DockerErrorCodes = {
  UNREACHABLE: ErrorCodes.DOCKER_UNREACHABLE,
  IMAGE_NOT_FOUND: ErrorCodes.DOCKER_IMAGE_NOT_FOUND,
  ENGINE_ERROR: ErrorCodes.DOCKER_ENGINE_ERROR,
} as const;

/** A TaskFailure whose message starts with one of DockerErrorCodes. */
export function dockerFailure(
  code: (typeof DockerErrorCodes)[keyof typeof DockerErrorCodes],
  message: string,
  outputs?: Record<string, unknown>,
): TaskFailure {
  return new TaskFailure(`${code}: ${message}`, outputs);
}

/** Where the engine listens: a Unix socket, or a host and port (plain HTTP). */
export type DockerEndpoint = { socketPath: string } | { host: string; port: number };

/**
 * The engine of `host` (the runner's property), else of DOCKER_HOST, else the local socket:
 * `unix:///path`, `tcp://host:port` or `http://host:port`. TLS (`https://`, DOCKER_TLS_VERIFY)
 * is not supported and says so.
 */
export function dockerEndpoint(
  host: string | undefined,
  dockerHostVariable: string | undefined,
): DockerEndpoint {
  const uri = host?.trim() || dockerHostVariable?.trim() || `unix://${DEFAULT_DOCKER_SOCKET}`;
  if (uri.startsWith('unix://')) return { socketPath: uri.slice('unix://'.length) };
  if (uri.startsWith('/')) return { socketPath: uri };
  const match = /^(?:tcp|http):\/\/([^/:]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(uri);
  if (match) return { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2] ?? 2375) };
  throw new TaskFailure(
    `Property \`taskRunner.host\`: \`${uri}\` is not a Docker host Windhover can use; give \`unix:///path/to/docker.sock\` or \`tcp://host:port\` (TLS is not supported)`,
  );
}

/** Where an endpoint is, for messages. */
export function describeEndpoint(endpoint: DockerEndpoint): string {
  return 'socketPath' in endpoint
    ? `unix://${endpoint.socketPath}`
    : `tcp://${endpoint.host}:${endpoint.port}`;
}

/** An answer of the engine that is not a success: its HTTP status and the engine's message. */
export class DockerApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DockerApiError';
  }
}

export interface DockerRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path after the version, with its query: `/containers/create?name=x`. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A client of one engine. */
export class DockerEngine {
  constructor(readonly endpoint: DockerEndpoint) {}

  /** Sends a call and answers its response, whatever the status (the body is not read). */
  private send(call: DockerRequest): Promise<IncomingMessage> {
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    return new Promise((resolve, reject) => {
      const req = request({
        ...this.endpoint,
        method: call.method,
        path: `/${API_VERSION}${call.path}`,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...call.headers,
        },
        ...(call.signal ? { signal: call.signal } : {}),
      });
      req.on('response', resolve);
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.name === 'AbortError') return reject(error);
        reject(
          dockerFailure(
            DockerErrorCodes.UNREACHABLE,
            `No Docker engine answers at ${describeEndpoint(this.endpoint)} (${error.code ?? error.message}): start one, set DOCKER_HOST or the runner's \`host\`, or use \`taskRunner\` type io.kestra.plugin.core.runner.Process to run the commands as a local process`,
          ),
        );
      });
      req.end(body);
    });
  }

  /** A call whose answer is JSON (or nothing); throws DockerApiError on a status of 400 or more. */
  async json<T>(call: DockerRequest): Promise<T> {
    const response = await this.send(call);
    const text = await readText(response);
    if ((response.statusCode ?? 500) >= 400)
      throw new DockerApiError(response.statusCode ?? 500, engineMessage(text));
    return (text.trim() === '' ? undefined : JSON.parse(text)) as T;
  }

  /**
   * A call whose answer is a stream (pulls, logs): `onChunk` gets each piece as it comes.
   * Throws DockerApiError on a status of 400 or more.
   */
  async stream(call: DockerRequest, onChunk: (chunk: Buffer) => void): Promise<void> {
    const response = await this.send(call);
    if ((response.statusCode ?? 500) >= 400)
      throw new DockerApiError(response.statusCode ?? 500, engineMessage(await readText(response)));
    await new Promise<void>((resolve, reject) => {
      response.on('data', onChunk);
      response.on('end', resolve);
      response.on('error', reject);
      response.on('aborted', () => resolve());
    });
  }
}

function readText(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

/** The engine's `{"message": …}`, or the text itself. */
function engineMessage(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string')
      return parsed.message;
  } catch {
    // Not JSON: the text is the message.
  }
  return text.trim() || 'no message';
}

/**
 * Splits the engine's multiplexed log stream (no TTY): frames of an 8-byte header (stream 1
 * stdout, 2 stderr; then the length, big-endian) and that many bytes.
 */
export class LogDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (stream: 'stdout' | 'stderr', data: Buffer) => void) {}

  /** Takes the next piece of the stream. */
  write(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const kind = this.pending[0] === 2 ? 'stderr' : 'stdout';
      this.onFrame(kind, this.pending.subarray(8, 8 + size));
      this.pending = this.pending.subarray(8 + size);
    }
  }
}
