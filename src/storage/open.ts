/**
 * Picks an internal storage backend from one URL, the way `--store-url` picks the store:
 * `postgres://…` (or `postgresql://…`) for PostgresStorage, `file:///path` or a plain path for
 * LocalStorage. S3/GCS would add their schemes here.
 */
import { fileURLToPath } from 'node:url';
import { ErrorCodes, WindhoverError } from '../errors.js';
import { redactUrl } from '../redact-url.js';
import type { InternalStorage } from './contract.js';
import { LocalStorage } from './local.js';
import { PostgresStorage } from './postgres.js';

/** A storage opened from a URL, with what releases it (pool, temporary files). */
export interface OpenedStorage {
  storage: InternalStorage;
  close(): Promise<void>;
}

/** Opens the backend a storage URL names; fails with WH_CONFIG_INVALID on any other scheme. */
export function openStorage(url: string): OpenedStorage {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const storage = new PostgresStorage(url);
    return { storage, close: () => storage.close() };
  }
  if (scheme === undefined || scheme === 'file') {
    const root = scheme === 'file' ? fileURLToPath(url) : url;
    return { storage: new LocalStorage(root), close: () => Promise.resolve() };
  }
  throw new WindhoverError(
    ErrorCodes.CONFIG_INVALID,
    `Unsupported internal storage URL \`${redactUrl(url)}\`: use postgres://user@host:5432/db, file:///path or a folder path`,
    { scheme },
  );
}
