/**
 * Server configuration: a YAML file, environment variables and command-line options, merged with
 * the precedence option > environment > file > default, and validated so that each wrong setting
 * is named with where it came from (WH_CONFIG_INVALID). Passwords never leave this object except
 * to the auth check: `describeConfig` leaves them out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ErrorCodes, WindhoverError } from '../errors.js';
import { configLayerSchema } from './config-schema.js';
import type { ConfigLayer, ConfigLayerInput } from './config-schema.js';
import { redactUrl } from '../redact-url.js';
import type { MemoryMode } from '../memory-mode.js';
import { PROVIDER_ENDPOINTS } from '../plugins/ai/providers/endpoints.js';

export type { ConfigLayer, ConfigLayerInput } from './config-schema.js';

const MIB = 1024 * 1024;

/** The default config file, read when present and no other is named. */
export const DEFAULT_CONFIG_FILE = 'windhover.yml';

/** The configuration a server process runs with, every default filled in. */
export interface ServerConfig {
  server: {
    host: string;
    port: number;
    /** The address users reach the server at (links in notifications); absent = the listening URL. */
    publicUrl?: string;
    maxBodySize: number;
    maxUploadSize: number;
    /** How the JavaScript heap grows (memory-mode.ts): `lean` by default. */
    memory: MemoryMode;
    auth?: { username: string; password: string };
  };
  /** Absolute path of the data folder (store of `server local`, internal storage, working dirs). */
  data: string;
  /**
   * The external store of `server standalone` (`sqlite:///…` or `postgres://…`), and the
   * connections of the PostgreSQL store's main pool.
   */
  store: { url?: string; poolSize: number };
  /** Internal storage (`postgres://…`, `file:///…` or a folder); default `storage/` in the data folder. */
  storage: { url?: string };
  worker: { concurrency: number };
  /** Processes sharing a PostgreSQL store: how often each heartbeats, and when a silent one is dead (ms). */
  cluster: { heartbeatIntervalMs: number; memberTimeoutMs: number };
  /** Absolute paths of folders of flows loaded at start and kept in sync. */
  flows: { paths: string[] };
  /** The server's default time zone (IANA); absent = the machine's. */
  timezone?: string;
  /**
   * Where the GCP tasks of this process's worker reach Cloud Storage and BigQuery (an emulator);
   * absent = Google. Handed to the tasks as STORAGE_EMULATOR_HOST / BIGQUERY_EMULATOR_HOST.
   */
  gcp?: { storageEndpoint?: string; bigqueryEndpoint?: string };
  /**
   * Base URLs the AI tasks' providers call when a flow names no `baseUrl` (a gateway, a local
   * server, a test double); absent = the providers' own. Handed to the tasks as WINDHOVER_AI_*_BASE_URL.
   */
  ai?: AiEndpoints;
  /** The file the configuration was read from, if any. */
  file?: string;
}

/** The `ai` settings: a base URL per provider. */
export interface AiEndpoints {
  geminiBaseUrl?: string;
  openaiBaseUrl?: string;
  anthropicBaseUrl?: string;
}

/** Each `ai` setting and the variable the AI tasks read it from (see plugins/ai/providers/endpoint.ts). */
export const AI_ENDPOINT_VARIABLES: Readonly<Record<keyof AiEndpoints, string>> = {
  geminiBaseUrl: PROVIDER_ENDPOINTS.gemini.variable,
  openaiBaseUrl: PROVIDER_ENDPOINTS.openai.variable,
  anthropicBaseUrl: PROVIDER_ENDPOINTS.anthropic.variable,
};

/** Environment variables and the setting each one gives. */
export const ENVIRONMENT_VARIABLES = {
  WINDHOVER_HOST: 'server.host',
  WINDHOVER_PORT: 'server.port',
  WINDHOVER_URL: 'server.publicUrl',
  WINDHOVER_MAX_BODY_SIZE: 'server.maxBodySize',
  WINDHOVER_MAX_UPLOAD_SIZE: 'server.maxUploadSize',
  WINDHOVER_MEMORY: 'server.memory',
  WINDHOVER_USERNAME: 'server.auth.username',
  WINDHOVER_PASSWORD: 'server.auth.password',
  WINDHOVER_DATA: 'data',
  WINDHOVER_STORE_URL: 'store.url',
  WINDHOVER_STORE_POOL_SIZE: 'store.poolSize',
  WINDHOVER_STORAGE_URL: 'storage.url',
  WINDHOVER_WORKER_CONCURRENCY: 'worker.concurrency',
  WINDHOVER_HEARTBEAT_INTERVAL: 'cluster.heartbeatInterval',
  WINDHOVER_MEMBER_TIMEOUT: 'cluster.memberTimeout',
  WINDHOVER_FLOW_PATH: 'flows.paths',
  WINDHOVER_TIMEZONE: 'timezone',
  // The names Google's own clients and emulators use: an environment that already points the
  // clients at an emulator points the GCP tasks there too.
  STORAGE_EMULATOR_HOST: 'gcp.storageEndpoint',
  BIGQUERY_EMULATOR_HOST: 'gcp.bigqueryEndpoint',
  WINDHOVER_AI_GEMINI_BASE_URL: 'ai.geminiBaseUrl',
  WINDHOVER_AI_OPENAI_BASE_URL: 'ai.openaiBaseUrl',
  WINDHOVER_AI_ANTHROPIC_BASE_URL: 'ai.anthropicBaseUrl',
} as const;

type Environment = Readonly<Record<string, string | undefined>>;

/** Where the configuration comes from; `cli` is what the options gave (already in the layer's shape). */
export interface ConfigSources {
  cli?: ConfigLayerInput;
  /** `--config FILE`; else `WINDHOVER_CONFIG`; else `./windhover.yml` when it exists. */
  configFile?: string;
  env?: Environment;
  /** The folder relative paths of options and environment are read from. Default `process.cwd()`. */
  cwd?: string;
}

/** Merges the layers, checks them and fills in the defaults; throws WH_CONFIG_INVALID naming each wrong setting. */
export function resolveServerConfig(sources: ConfigSources = {}): ServerConfig {
  const env = sources.env ?? process.env;
  const cwd = sources.cwd ?? process.cwd();
  const fileName = sources.configFile ?? env.WINDHOVER_CONFIG;
  const defaultFile = resolve(cwd, DEFAULT_CONFIG_FILE);
  const file = fileName ? resolve(cwd, fileName) : existsSync(defaultFile) ? defaultFile : undefined;

  const problems: string[] = [];
  const fromFile = file ? checkLayer(readConfigFile(file), `${file}`, problems) : {};
  const fromEnv = checkLayer(environmentLayer(env), 'environment', problems, envNameOf);
  const fromCli = checkLayer(sources.cli ?? {}, 'command line', problems, optionNameOf);
  if (problems.length > 0) throw configError(problems);

  // Relative paths of the file are read from the file's folder, the others from the working folder.
  const fileDir = file ? dirname(file) : cwd;
  const absolute = (base: string) => (path: string) => (isAbsolute(path) ? path : resolve(base, path));
  const layers: ConfigLayer[] = [
    relativeTo(fromFile, absolute(fileDir)),
    relativeTo(fromEnv, absolute(cwd)),
    relativeTo(fromCli, absolute(cwd)),
  ];
  const pick = <T>(read: (layer: ConfigLayer) => T | undefined): T | undefined => {
    let value: T | undefined;
    for (const layer of layers) value = read(layer) ?? value;
    return value;
  };

  const username = pick((l) => l.server?.auth?.username);
  const password = pick((l) => l.server?.auth?.password);
  if ((username === undefined) !== (password === undefined))
    problems.push(
      username === undefined
        ? 'server.auth.password is set but server.auth.username is not (WINDHOVER_USERNAME): give both, or neither'
        : 'server.auth.username is set but server.auth.password is not (WINDHOVER_PASSWORD): give both, or neither',
    );
  // Basic auth splits `user:password` at the first colon: such a name could never log in.
  if (username?.includes(':'))
    problems.push(
      'server.auth.username (WINDHOVER_USERNAME) must not contain `:`, which basic auth cannot carry in a name',
    );
  if (problems.length > 0) throw configError(problems);

  const auth = username !== undefined && password !== undefined ? { username, password } : undefined;
  const publicUrl = pick((l) => l.server?.publicUrl);
  const storeUrl = pick((l) => l.store?.url);
  const storageUrl = pick((l) => l.storage?.url);
  const timezone = pick((l) => l.timezone);
  const storageEndpoint = pick((l) => l.gcp?.storageEndpoint);
  const bigqueryEndpoint = pick((l) => l.gcp?.bigqueryEndpoint);
  const ai: AiEndpoints = {};
  for (const name of Object.keys(AI_ENDPOINT_VARIABLES) as (keyof AiEndpoints)[]) {
    const value = pick((l) => l.ai?.[name]);
    if (value) ai[name] = value;
  }
  return {
    server: {
      // Without credentials the server is open, so it stays on this machine unless told otherwise.
      // `[::1]` as in a URL is the address `::1`.
      host: (pick((l) => l.server?.host) ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1'),
      port: pick((l) => l.server?.port) ?? 8080,
      ...(publicUrl ? { publicUrl } : {}),
      maxBodySize: pick((l) => l.server?.maxBodySize) ?? 10 * MIB,
      maxUploadSize: pick((l) => l.server?.maxUploadSize) ?? 1024 * MIB,
      memory: pick((l) => l.server?.memory) ?? 'lean',
      ...(auth ? { auth } : {}),
    },
    data: pick((l) => l.data) ?? resolve(cwd, 'data'),
    store: { ...(storeUrl ? { url: storeUrl } : {}), poolSize: pick((l) => l.store?.poolSize) ?? 10 },
    storage: storageUrl ? { url: storageUrl } : {},
    worker: { concurrency: pick((l) => l.worker?.concurrency) ?? 32 },
    cluster: {
      heartbeatIntervalMs: pick((l) => l.cluster?.heartbeatInterval) ?? 2_000,
      memberTimeoutMs: pick((l) => l.cluster?.memberTimeout) ?? 30_000,
    },
    flows: { paths: pick((l) => l.flows?.paths) ?? [] },
    ...(timezone ? { timezone } : {}),
    ...(storageEndpoint || bigqueryEndpoint
      ? {
          gcp: {
            ...(storageEndpoint ? { storageEndpoint } : {}),
            ...(bigqueryEndpoint ? { bigqueryEndpoint } : {}),
          },
        }
      : {}),
    ...(Object.keys(ai).length > 0 ? { ai } : {}),
    ...(file ? { file } : {}),
  };
}

/** Whether a host name or address only reaches this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** Refuses an open server (no credentials) on an address other machines can reach. */
export function checkExposure(config: ServerConfig): void {
  if (config.server.auth || isLoopbackHost(config.server.host)) return;
  throw new WindhoverError(
    ErrorCodes.CONFIG_INVALID,
    `Refusing to listen on ${config.server.host} without credentials: anyone who reaches it could run flows. ` +
      'Set WINDHOVER_USERNAME and WINDHOVER_PASSWORD (or server.auth in the config file), or listen on 127.0.0.1.',
  );
}

/** A one-line summary of the configuration for the start banner; never holds the password. */
export function describeConfig(config: ServerConfig): string {
  const parts = [
    config.file ? `config ${config.file}` : 'no config file',
    `data ${config.data}`,
    ...(config.store.url ? [`store ${redactUrl(config.store.url)}`] : []),
    ...(config.storage.url ? [`storage ${redactUrl(config.storage.url)}`] : []),
    `worker concurrency ${config.worker.concurrency}`,
    ...(config.timezone ? [`time zone ${config.timezone}`] : []),
    ...(config.gcp?.storageEndpoint ? [`Cloud Storage at ${redactUrl(config.gcp.storageEndpoint)}`] : []),
    ...(config.gcp?.bigqueryEndpoint ? [`BigQuery at ${redactUrl(config.gcp.bigqueryEndpoint)}`] : []),
    ...(Object.keys(AI_ENDPOINT_VARIABLES) as (keyof AiEndpoints)[]).flatMap((name) => {
      const url = config.ai?.[name];
      return url ? [`ai.${name} ${redactUrl(url)}`] : [];
    }),
    config.server.auth ? `basic auth as ${config.server.auth.username}` : 'no credentials',
  ];
  return parts.join('; ');
}

function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new WindhoverError(ErrorCodes.CONFIG_INVALID, `Cannot read the config file ${file}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new WindhoverError(
      ErrorCodes.CONFIG_INVALID,
      `The config file ${file} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return value ?? {};
}

/** The settings the environment gives, in the layer's shape (values still text). */
export function environmentLayer(env: Environment): ConfigLayerInput {
  const layer: Record<string, Record<string, unknown>> = {};
  const set = (path: string, value: unknown) => {
    const keys = path.split('.');
    let target: Record<string, unknown> = layer;
    for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[keys.at(-1)!] = value;
  };
  for (const [name, path] of Object.entries(ENVIRONMENT_VARIABLES)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    set(path, path === 'flows.paths' ? value.split(delimiter).filter(Boolean) : value);
  }
  return layer;
}

function checkLayer(
  raw: unknown,
  origin: string,
  problems: string[],
  nameOf: (path: string) => string | undefined = () => undefined,
): ConfigLayer {
  const result = configLayerSchema.safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    for (const key of keys) {
      const path = [...issue.path, ...(key === undefined ? [] : [key])].join('.') || '(top level)';
      const name = nameOf(path);
      const where = name ? `${name} (${path})` : `${path}`;
      const message = issue.code === 'unrecognized_keys' ? 'unknown setting' : issue.message;
      problems.push(`${origin}: ${where}: ${message}`);
    }
  }
  return {};
}

function envNameOf(path: string): string | undefined {
  return Object.entries(ENVIRONMENT_VARIABLES).find(([, setting]) => path.startsWith(setting))?.[0];
}

const OPTION_NAMES: Record<string, string> = {
  'server.host': '--host',
  'server.port': '--port',
  'server.publicUrl': '--public-url',
  'server.maxBodySize': '--max-body-size',
  'server.maxUploadSize': '--max-upload-size',
  'server.memory': '--memory',
  data: '--data',
  'store.url': '--store-url',
  'storage.url': '--storage-url',
  'worker.concurrency': '--worker-concurrency',
  'flows.paths': '--flow-path',
  timezone: '--timezone',
};

function optionNameOf(path: string): string | undefined {
  return Object.entries(OPTION_NAMES).find(([setting]) => path.startsWith(setting))?.[1];
}

function relativeTo(layer: ConfigLayer, absolute: (path: string) => string): ConfigLayer {
  return {
    ...layer,
    ...(layer.data ? { data: absolute(layer.data) } : {}),
    ...(layer.flows?.paths ? { flows: { paths: layer.flows.paths.map(absolute) } } : {}),
  };
}

function configError(problems: string[]): WindhoverError {
  const list = problems.map((p) => `  - ${p}`).join('\n');
  return new WindhoverError(
    ErrorCodes.CONFIG_INVALID,
    `The server configuration is invalid:\n${list}`,
    problems.map((message) => ({ message })),
  );
}
