/**
 * The Google Cloud clients of the GCP tasks: the official Cloud Storage and BigQuery libraries
 * (loaded on first use, so a server that runs no GCP task never loads them), authenticated as
 * Kestra's GCP tasks are (`serviceAccount`, `projectId`, `scopes`, `impersonatedServiceAccount`,
 * else the worker's application default credentials), and pointed at an emulator when the
 * worker's environment names one (`STORAGE_EMULATOR_HOST`, `BIGQUERY_EMULATOR_HOST`; the server
 * sets them from `gcp.storageEndpoint`/`gcp.bigqueryEndpoint` of its configuration).
 *
 * Each library gets the google-auth-library it was built with (Storage 7 pins version 9, BigQuery
 * 8 uses version 10): a credential of one version is not understood by the other.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Storage, StorageOptions } from '@google-cloud/storage';
import type { BigQuery, BigQueryOptions } from '@google-cloud/bigquery';
import type * as AuthLibrary from 'google-auth-library';
import { TaskFailure } from '../api.js';
import type { TaskContext } from '../api.js';
import { CLOUD_PLATFORM_SCOPE } from './common.js';
import { exchangeToken, networkCode, parseServiceAccount } from './credentials.js';
import type { AccessToken, ServiceAccountKey } from './credentials.js';

/** The connection properties every GCP task has (Kestra's `GcpInterface`, plus BigQuery's `location`). */
export interface GcpConnection {
  projectId?: string;
  /** A service-account key as JSON text. */
  serviceAccount?: string;
  impersonatedServiceAccount?: string;
  scopes?: readonly string[];
  location?: string;
}

/** The two services, with the environment variable that points each at an emulator. */
export type GcpService = 'storage' | 'bigquery';

const SERVICES = {
  storage: { label: 'Cloud Storage', variable: 'STORAGE_EMULATOR_HOST', path: '/storage/v1' },
  bigquery: { label: 'BigQuery', variable: 'BIGQUERY_EMULATOR_HOST', path: '/bigquery/v2' },
} as const;

/** The project used against an emulator when neither `projectId` nor the key name one. */
export const EMULATOR_PROJECT = 'windhover-local';

/** What gcpTaskFailure needs to know of a client this module made. */
const clientInfo = new WeakMap<object, { service: GcpService; endpoint?: string }>();

/**
 * The emulator endpoint of a service from the worker's environment (`http://127.0.0.1:4443`),
 * or undefined for Google's. A value without a scheme is taken as `http://`; a trailing API path
 * (`/storage/v1`) is dropped, as some tools write it.
 */
export function emulatorEndpoint(
  ctx: Pick<TaskContext, 'workerEnv'>,
  service: GcpService,
): string | undefined {
  const raw = ctx.workerEnv[SERVICES[service].variable]?.trim();
  if (!raw) return undefined;
  const withScheme = /^https?:\/\//i.test(raw) ? raw : `http://${raw}`;
  return withScheme.replace(/\/+$/, '').replace(new RegExp(`${SERVICES[service].path}$`), '');
}

type AuthModule = typeof AuthLibrary;

const requireHere = createRequire(import.meta.url);

/** The google-auth-library a client package itself resolves (its own copy when it pins one). */
function authLibraryOf(clientPackage: string): AuthModule {
  const requireFromClient = createRequire(requireHere.resolve(clientPackage));
  return requireFromClient('google-auth-library') as AuthModule;
}

/** The scopes asked for: the task's, default cloud-platform. */
function scopesOf(props: GcpConnection): string[] {
  return props.scopes && props.scopes.length > 0 ? [...props.scopes] : [CLOUD_PLATFORM_SCOPE];
}

/** Whether a key's `token_uri` is served by the emulator at `endpoint` (same origin). */
function tokenUriOnEmulator(key: ServiceAccountKey | undefined, endpoint: string): boolean {
  if (!key || typeof key.token_uri !== 'string') return false;
  try {
    return new URL(key.token_uri).origin === new URL(endpoint).origin;
  } catch {
    return false;
  }
}

/** The project of the task: `projectId`, else the key's, else the worker's GOOGLE_CLOUD_PROJECT. */
function projectOf(
  ctx: TaskContext,
  props: GcpConnection,
  key: ServiceAccountKey | undefined,
): string | undefined {
  return (
    props.projectId ??
    (typeof key?.project_id === 'string' ? key.project_id : undefined) ??
    ctx.workerEnv.GOOGLE_CLOUD_PROJECT ??
    ctx.workerEnv.GCLOUD_PROJECT
  );
}

/** A credential with a fixed access token (the emulator's), which never asks anyone for another. */
function fixedTokenClient(auth: AuthModule, token: AccessToken): AuthLibrary.OAuth2Client {
  const client = new auth.OAuth2Client();
  client.setCredentials({ access_token: token.token, expiry_date: token.expiresAt, token_type: 'Bearer' });
  return client;
}

/**
 * Google's credentials for a task: the key (or the worker's application default credentials),
 * impersonating `impersonatedServiceAccount` when given.
 */
async function googleAuth(
  ctx: TaskContext,
  auth: AuthModule,
  props: GcpConnection,
  key: ServiceAccountKey | undefined,
  projectId: string | undefined,
): Promise<AuthLibrary.GoogleAuth> {
  const scopes = scopesOf(props);
  const keyFile = key ? undefined : ctx.workerEnv.GOOGLE_APPLICATION_CREDENTIALS;
  if (keyFile) {
    await access(keyFile, constants.R_OK).catch(() => {
      throw new TaskFailure(
        `GOOGLE_APPLICATION_CREDENTIALS names ${keyFile}, which the worker cannot read: fix the path, or give \`serviceAccount\``,
      );
    });
  }
  const source = new auth.GoogleAuth({
    scopes,
    ...(projectId ? { projectId } : {}),
    ...(key ? { credentials: key } : {}),
    ...(keyFile ? { keyFilename: keyFile } : {}),
  });
  // Without a key, the credentials are looked up now: none found is a clear task error, where
  // the libraries would go on without credentials and get an "anonymous caller" refusal.
  if (!props.impersonatedServiceAccount && key) return source;
  const sourceClient = await source.getClient().catch((error: unknown) => {
    throw gcpTaskFailure(error);
  });
  if (!props.impersonatedServiceAccount) return source;
  const impersonated = new auth.Impersonated({
    sourceClient,
    targetPrincipal: props.impersonatedServiceAccount,
    targetScopes: scopes,
    delegates: [],
    lifetime: 3600,
  });
  return new auth.GoogleAuth({ authClient: impersonated, ...(projectId ? { projectId } : {}) });
}

/** The key of the task, parsed and masked, when `serviceAccount` is given. */
function keyOf(ctx: TaskContext, props: GcpConnection): ServiceAccountKey | undefined {
  const text = props.serviceAccount?.trim();
  return text ? parseServiceAccount(ctx, text) : undefined;
}

/** A Cloud Storage client for a task (Google's, or the emulator named by the worker's environment). */
export async function storageClient(ctx: TaskContext, props: GcpConnection): Promise<Storage> {
  const { Storage } = await import('@google-cloud/storage');
  const auth = authLibraryOf('@google-cloud/storage');
  const key = keyOf(ctx, props);
  const endpoint = emulatorEndpoint(ctx, 'storage');
  const projectId = projectOf(ctx, props, key) ?? (endpoint ? EMULATOR_PROJECT : undefined);
  let options: StorageOptions;
  let bearer: AccessToken | undefined;
  if (endpoint) {
    // Against an emulator, no token is asked for unless the key's token_uri is the emulator's.
    const exchanged = key && tokenUriOnEmulator(key, endpoint);
    bearer = exchanged ? await exchangeToken(key, scopesOf(props), ctx.signal) : undefined;
    options = {
      apiEndpoint: endpoint,
      // A local emulator that does not answer will not answer in 15 s either (the default
      // retries of requests without a response): fail at once, naming it.
      retryOptions: { autoRetry: false },
      ...(projectId ? { projectId } : {}),
    };
  } else {
    options = {
      ...(projectId ? { projectId } : {}),
      authClient: (await googleAuth(
        ctx,
        auth,
        props,
        key,
        projectId,
      )) as unknown as StorageOptions['authClient'],
    };
  }
  const client = new Storage(options);
  if (bearer) {
    // The token goes on every request as a request interceptor: the library's own auth with a
    // custom endpoint (useAuthWithCustomEndpoint) skips resumable uploads, which it does not
    // hand that option; interceptors reach them too (as their custom request options).
    const authorization = `Bearer ${bearer.token}`;
    client.interceptors.push({
      request: (reqOpts) => {
        reqOpts.headers = { ...reqOpts.headers, Authorization: authorization };
        // The same options, decorated: the declaration types them as another name of them.
        return reqOpts as ReturnType<Storage['interceptors'][number]['request']>;
      },
    });
  }
  // The library reads STORAGE_EMULATOR_HOST from process.env itself and then ignores the
  // endpoint given: the worker's environment (which may differ, in tests) decides here.
  const apiEndpoint = endpoint ?? 'https://storage.googleapis.com';
  client.apiEndpoint = apiEndpoint;
  client.baseUrl = `${apiEndpoint}/storage/v1`;
  clientInfo.set(client, { service: 'storage', ...(endpoint ? { endpoint } : {}) });
  return client;
}

/** A BigQuery client for a task (Google's, or the emulator named by the worker's environment). */
export async function bigQueryClient(ctx: TaskContext, props: GcpConnection): Promise<BigQuery> {
  const { BigQuery } = await import('@google-cloud/bigquery');
  const auth = authLibraryOf('@google-cloud/bigquery');
  const key = keyOf(ctx, props);
  const endpoint = emulatorEndpoint(ctx, 'bigquery');
  const projectId = projectOf(ctx, props, key) ?? (endpoint ? EMULATOR_PROJECT : undefined);
  let authClient: AuthLibrary.GoogleAuth;
  if (endpoint) {
    // The BigQuery library always authenticates: against an emulator it gets a credential that
    // never calls Google (a token from the emulator's /token when the key points there).
    const token =
      key && tokenUriOnEmulator(key, endpoint)
        ? await exchangeToken(key, scopesOf(props), ctx.signal)
        : { token: 'windhover-emulator', expiresAt: Date.now() + 24 * 3600 * 1000 };
    authClient = new auth.GoogleAuth({
      authClient: fixedTokenClient(auth, token),
      ...(projectId ? { projectId } : {}),
    });
  } else {
    authClient = await googleAuth(ctx, auth, props, key, projectId);
  }
  const apiEndpoint = endpoint ?? 'https://bigquery.googleapis.com';
  const options: BigQueryOptions = {
    // The library takes a GoogleAuth as well as a bare client (@google-cloud/common checks
    // `instanceof GoogleAuth`); its declaration names only the bare clients.
    authClient: authClient as unknown as BigQueryOptions['authClient'],
    apiEndpoint,
    // As for Storage: no retries against a local emulator.
    ...(endpoint ? { autoRetry: false } : {}),
    ...(projectId ? { projectId } : {}),
    ...(props.location ? { location: props.location } : {}),
  };
  const client = new BigQuery(options);
  // As for Storage: BIGQUERY_EMULATOR_HOST in process.env would override the endpoint given.
  client.baseUrl = `${apiEndpoint}/bigquery/v2`;
  clientInfo.set(client, { service: 'bigquery', ...(endpoint ? { endpoint } : {}) });
  return client;
}

interface ApiErrorShape {
  code?: unknown;
  message?: unknown;
  errors?: Array<{ reason?: unknown; message?: unknown }>;
  response?: { data?: unknown; status?: unknown };
}

/** Google's `{error: {errors: [{reason, message}], message}}` body of a failed call, as sent. */
function reasonAndMessage(error: ApiErrorShape): { reason?: string; message?: string } {
  const first = Array.isArray(error.errors) ? error.errors[0] : undefined;
  let reason = typeof first?.reason === 'string' ? first.reason : undefined;
  let message = typeof first?.message === 'string' && first.message ? first.message : undefined;
  const data = error.response?.data;
  if ((!reason || !message) && data && typeof data === 'object') {
    const body = (
      data as { error?: { errors?: Array<{ reason?: unknown; message?: unknown }>; message?: unknown } }
    ).error;
    const inner = body?.errors?.[0];
    reason ??= typeof inner?.reason === 'string' ? inner.reason : undefined;
    message ??= typeof body?.message === 'string' ? body.message : undefined;
  }
  message ??= typeof error.message === 'string' ? error.message : undefined;
  return { ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

/** The origin (`https://oauth2.googleapis.com`) of the request an error is about, when it says. */
function requestOrigin(error: unknown): string | undefined {
  for (
    let current: unknown = error, depth = 0;
    current && typeof current === 'object' && depth < 4;
    depth++
  ) {
    const record = current as { config?: { url?: unknown }; message?: unknown; cause?: unknown };
    const candidates = [
      record.config?.url,
      typeof record.message === 'string' ? /https?:\/\/[^\s/]+/.exec(record.message)?.[0] : undefined,
    ];
    for (const candidate of candidates) {
      if (typeof candidate !== 'string') continue;
      try {
        return new URL(String(candidate)).origin;
      } catch {
        // Not a URL: look further.
      }
    }
    current = record.cause;
  }
  return undefined;
}

/**
 * A task error from a Google client or API error: Google's reason and message
 * (`notFound: No such object: b/x`), never a stack trace. Given the client that failed, an
 * unreachable endpoint is named (`cannot reach Cloud Storage at http://…: is the emulator running?`).
 */
export function gcpTaskFailure(error: unknown, client?: Storage | BigQuery | object): TaskFailure {
  if (error instanceof TaskFailure) return error;
  const info = client ? clientInfo.get(client) : undefined;
  const network = networkCode(error);
  if (
    network &&
    ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN'].includes(network)
  ) {
    const service = info ? SERVICES[info.service].label : 'Google Cloud';
    if (info?.endpoint) {
      return new TaskFailure(
        `cannot reach ${service} at ${info.endpoint} (${network}): is the emulator running?`,
      );
    }
    const host = requestOrigin(error);
    return new TaskFailure(
      `cannot reach ${service}${host ? ` at ${host}` : ''} (${network}): check the worker's network access to Google`,
    );
  }
  const shape = (
    typeof error === 'object' && error !== null ? error : { message: String(error) }
  ) as ApiErrorShape;
  const { reason, message } = reasonAndMessage(shape);
  const text = message ?? 'unknown error';
  if (/Could not load the default credentials/i.test(text)) {
    return new TaskFailure(
      "no Google Cloud credentials: set `serviceAccount` (a key as JSON text, e.g. \"{{ secret('GCP_CREDS') }}\") or GOOGLE_APPLICATION_CREDENTIALS in the worker's environment",
    );
  }
  if (/Unable to detect a Project Id/i.test(text)) {
    return new TaskFailure(
      'no Google Cloud project: set `projectId`, or use a service account key that has `project_id`',
    );
  }
  const firstLine = text.split('\n')[0]!;
  return new TaskFailure(
    reason && !firstLine.startsWith(`${reason}:`) ? `${reason}: ${firstLine}` : firstLine,
  );
}

/** The connection properties of a task's rendered properties. */
export function gcpConnection(props: Record<string, unknown>): GcpConnection {
  const text = (value: unknown) =>
    typeof value === 'string' && value.trim() !== ''
      ? value
      : typeof value === 'number'
        ? String(value)
        : undefined;
  const scopes = Array.isArray(props.scopes) ? props.scopes.map(String) : undefined;
  const connection: GcpConnection = {};
  const projectId = text(props.projectId);
  const serviceAccount = text(props.serviceAccount);
  const impersonated = text(props.impersonatedServiceAccount);
  const location = text(props.location);
  if (projectId) connection.projectId = projectId;
  if (serviceAccount) connection.serviceAccount = serviceAccount;
  if (impersonated) connection.impersonatedServiceAccount = impersonated;
  if (scopes) connection.scopes = scopes;
  if (location) connection.location = location;
  return connection;
}
