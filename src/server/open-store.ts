/**
 * Opening what a server process runs on: `server local` on the embedded store of its data folder,
 * `server standalone` on the store its URL names (SQLite file now; PostgreSQL with issue 9).
 */
import { isAbsolute, resolve } from 'node:path';
import { openLocal } from '../engine/runtime/local.js';
import type { LocalSetup } from '../engine/runtime/local.js';
import type { RuntimeOptions } from '../engine/runtime/runtime.js';
import { ErrorCodes, WindhoverError } from '../errors.js';
import type { ServerConfig } from './config.js';
import { redactUrl } from './config.js';

export type ServerMode = 'local' | 'standalone';

/** A parsed store URL. */
export type StoreLocation = { kind: 'sqlite'; path: string };

/**
 * Reads a store URL: `sqlite:///abs/file.db` or `sqlite://relative/file.db` (from `cwd`).
 * `postgres://` is refused until the PostgreSQL store lands (WH_CONFIG_INVALID).
 */
export function parseStoreUrl(url: string, cwd = process.cwd()): StoreLocation {
  const sqlite = /^sqlite:(?:\/\/)?(.+)$/i.exec(url);
  if (sqlite) {
    const path = decodeURIComponent(sqlite[1]!);
    return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (/^postgres(ql)?:/i.test(url))
    throw new WindhoverError(
      ErrorCodes.CONFIG_INVALID,
      `store.url ${redactUrl(url)}: the PostgreSQL store arrives with issue 9; use sqlite:///path/to/windhover.db, or \`server local\``,
    );
  throw new WindhoverError(
    ErrorCodes.CONFIG_INVALID,
    `store.url: unknown store URL (expected sqlite:///path/to/windhover.db or postgres://…)`,
  );
}

/** The runtime settings that come from the configuration. */
export function runtimeOptionsOf(config: ServerConfig): Partial<RuntimeOptions> {
  return {
    workerConcurrency: config.worker.concurrency,
    ...(config.timezone ? { timeZone: config.timezone } : {}),
    ...(config.server.publicUrl ? { publicUrl: config.server.publicUrl } : {}),
  };
}

/** Opens the store, storage and runtime of a server process (not started). */
export async function openServerSetup(config: ServerConfig, mode: ServerMode): Promise<LocalSetup> {
  const options = runtimeOptionsOf(config);
  if (mode === 'local') return openLocal(config.data, options);
  if (!config.store.url)
    throw new WindhoverError(
      ErrorCodes.CONFIG_INVALID,
      '`server standalone` needs a store: give --store-url, WINDHOVER_STORE_URL or store.url in the config file (or use `server local`)',
    );
  const location = parseStoreUrl(config.store.url);
  return openLocal(config.data, options, location.path);
}
