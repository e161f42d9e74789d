/**
 * Opening what a server process runs on: `server local` on the embedded store of its data folder,
 * `server standalone` on the store its URL names (a SQLite file or PostgreSQL), with internal
 * storage from `storage.url` when given.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { openLocal, openSetup } from '../engine/runtime/local.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import type { LocalSetup } from '../engine/runtime/local.js';
import type { RuntimeOptions } from '../engine/runtime/runtime.js';
import { ErrorCodes, WindhoverError } from '../errors.js';
import { AI_ENDPOINT_VARIABLES } from './config.js';
import type { ServerConfig } from './config.js';
import { redactUrl } from '../redact-url.js';
import type { ClusterRole } from '../store/contract.js';
import type { PostgresStore } from '../store/postgres/index.js';

/** `local` and `standalone` run every role in one process; the others one role each, on PostgreSQL. */
export type ServerMode = 'local' | 'standalone' | 'executor' | 'worker' | 'scheduler' | 'webserver';

/** The modes that run one role of a cluster. */
export const ROLE_MODES = ['executor', 'worker', 'scheduler', 'webserver'] as const;

/** The roles a process of a mode plays. */
export function rolesOf(mode: ServerMode): ClusterRole[] {
  return mode === 'local' || mode === 'standalone'
    ? ['executor', 'worker', 'scheduler', 'webserver']
    : [mode];
}

/** A parsed store URL. */
export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** Reads a store URL: `sqlite:///abs/file.db`, `sqlite://relative/file.db` (from `cwd`) or `postgres://…`. */
export function parseStoreUrl(url: string, cwd = process.cwd()): StoreLocation {
  const sqlite = /^sqlite:(?:\/\/)?(.+)$/i.exec(url);
  if (sqlite) {
    const path = decodeURIComponent(sqlite[1]!);
    return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', url };
  throw new WindhoverError(
    ErrorCodes.CONFIG_INVALID,
    `store.url ${redactUrl(url)}: unknown store URL (expected sqlite:///path/to/windhover.db or postgres://user@host:5432/db)`,
  );
}

/** The runtime settings that come from the configuration and the mode. */
export function runtimeOptionsOf(config: ServerConfig, mode: ServerMode = 'local'): Partial<RuntimeOptions> {
  const roles = rolesOf(mode);
  return {
    roles: { executor: roles.includes('executor'), worker: roles.includes('worker') },
    cluster: {
      roles,
      heartbeatMs: config.cluster.heartbeatIntervalMs,
      memberTimeoutMs: config.cluster.memberTimeoutMs,
    },
    workerConcurrency: config.worker.concurrency,
    ...(config.timezone ? { timeZone: config.timezone } : {}),
    ...(config.server.publicUrl ? { publicUrl: config.server.publicUrl } : {}),
    ...taskEnvironment(config),
  };
}

/**
 * The endpoints of the configuration (GCP emulators, AI providers), as the environment variables
 * the tasks (and Google's clients) read: the tasks see the worker's environment with these set.
 */
function taskEnvironment(config: ServerConfig): Partial<RuntimeOptions> {
  const { storageEndpoint, bigqueryEndpoint } = config.gcp ?? {};
  const set: Record<string, string> = {
    ...(storageEndpoint ? { STORAGE_EMULATOR_HOST: storageEndpoint } : {}),
    ...(bigqueryEndpoint ? { BIGQUERY_EMULATOR_HOST: bigqueryEndpoint } : {}),
  };
  for (const [name, variable] of Object.entries(AI_ENDPOINT_VARIABLES)) {
    const url = config.ai?.[name as keyof typeof AI_ENDPOINT_VARIABLES];
    if (url) set[variable] = url;
  }
  if (Object.keys(set).length === 0) return {};
  return { env: { ...process.env, ...set } };
}

/** Opens the store, storage and runtime of a server process (not started). */
export async function openServerSetup(config: ServerConfig, mode: ServerMode): Promise<LocalSetup> {
  const options = runtimeOptionsOf(config, mode);
  if (mode !== 'local' && !config.store.url)
    throw new WindhoverError(
      ErrorCodes.CONFIG_INVALID,
      `\`server ${mode}\` needs a store: give --store-url, WINDHOVER_STORE_URL or store.url in the config file` +
        (mode === 'standalone' ? ' (or use `server local`)' : ' (postgres://user@host:5432/db)'),
    );
  const location = mode === 'local' ? undefined : parseStoreUrl(config.store.url!);
  if (location?.kind === 'sqlite' && mode !== 'standalone')
    throw new WindhoverError(
      ErrorCodes.CONFIG_INVALID,
      `\`server ${mode}\` shares its store with other processes, which needs PostgreSQL: a SQLite store belongs to one ` +
        'process (use `server standalone` on it, or give a postgres:// URL)',
    );
  // PostgreSQL's modules load only when used: `server local` starts without them.
  const storage = config.storage.url
    ? (await import('../storage/open.js')).openStorage(config.storage.url)
    : undefined;
  if (location?.kind === 'postgres') {
    const { openPostgresStore } = await import('../store/postgres/index.js');
    let opened: PostgresStore | undefined;
    return openSetup(
      config.data,
      {
        ...options,
        // Other processes share the store: what a dead one held is handed on after the member timeout.
        cluster: { ...options.cluster, exclusive: false },
        wakeUps: (topics, onWake) => opened!.listen(topics, onWake),
      },
      async () => ({
        store: (opened = await openPostgresStore(location.url, { poolSize: config.store.poolSize })),
      }),
      storage,
    );
  }
  if (!storage) return openLocal(config.data, options, location?.path);
  return openSetup(
    config.data,
    options,
    async (dir) => ({ store: await openSqliteStore(location?.path ?? join(dir, 'windhover.db')) }),
    storage,
  );
}
