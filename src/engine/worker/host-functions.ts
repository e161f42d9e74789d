/**
 * The expression functions backed by the worker's services: `kv()`, `secret()`, `read()`,
 * `fileSize()`, `fileExists()`, `fileEmpty()`, `fileURI()`, `errorLogs()`.
 */
import { toText } from '../../expr/index.js';
import type { HostFunction } from '../../expr/index.js';
import { StorageFileNotFound } from '../../storage/contract.js';
import type { InternalStorage } from '../../storage/contract.js';
import type { Store } from '../../store/contract.js';
import { decodeSecret, secretIndex } from '../secret-mask.js';
import { checkKvKey } from './kv-keys.js';

export interface HostServices {
  store: Store;
  storage: InternalStorage;
  namespace: string;
  executionId: string;
  /** `SECRET_*` values are read from it (they are masked in what executions show: secret-mask.ts). */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Told every secret read (its value and upper-cased name), so that the job masks it in its log
   * even when it is short, and the execution remembers it was read.
   */
  onSecret?: (value: string, name: string) => void;
}

/** A failure the user can act on (becomes the render error's message). */
class HostError extends Error {}

/** The host functions for one render context. */
export function hostFunctions(services: HostServices): Record<string, HostFunction> {
  /** A `kestra://` URI as is; any other text is a namespace file path (Kestra's file functions). */
  const uriOf = (path: unknown, namespace?: unknown): string => {
    const text = toText(path);
    if (text.startsWith('kestra://')) return text;
    if (text.trim() === '')
      throw new HostError('the path is empty: give a `kestra:///…` URI or the path of a namespace file');
    const ns = namespace === undefined || namespace === null ? services.namespace : toText(namespace);
    return services.storage.namespaceFileUri(ns, text);
  };
  /** Runs a storage call, turning a missing file into a message naming the URI. */
  const existing = async <T>(uri: string, call: (uri: string) => Promise<T>): Promise<T> => {
    try {
      return await call(uri);
    } catch (error) {
      if (error instanceof StorageFileNotFound)
        throw new HostError(
          `the file \`${uri}\` does not exist in internal storage (check the URI, and that the task that wrote it ran in this execution)`,
        );
      throw error;
    }
  };
  return {
    kv: async ([key, namespace, errorOnMissing]) => {
      const ns = namespace === undefined || namespace === null ? services.namespace : toText(namespace);
      const name = checkKvKey(key === undefined || key === null ? '' : toText(key));
      const entry = await services.store.kvGet(ns, name);
      if (entry) return entry.value;
      if (errorOnMissing === false) return null;
      throw new HostError(
        `The KV key \`${name}\` does not exist in namespace \`${ns}\` (or it expired); use \`kv('${name}', errorOnMissing=false)\` to get null instead`,
      );
    },
    secret: ([name]) => {
      const text = toText(name);
      const value = readSecret(services.env, text);
      services.onSecret?.(value, text.toUpperCase());
      return value;
    },
    read: async ([path, namespace]) => {
      const uri = uriOf(path, namespace);
      return (await existing(uri, (u) => services.storage.readBuffer(u))).toString('utf8');
    },
    fileSize: async ([path, namespace]) => {
      const uri = uriOf(path, namespace);
      return existing(uri, (u) => services.storage.size(u));
    },
    fileExists: async ([path, namespace]) => services.storage.exists(uriOf(path, namespace)),
    fileEmpty: async ([path, namespace]) => {
      const uri = uriOf(path, namespace);
      return (await existing(uri, (u) => services.storage.size(u))) === 0;
    },
    fileURI: ([path, namespace]) => uriOf(path, namespace),
    errorLogs: async () => {
      const logs = await services.store.getLogs(services.executionId, { minLevel: 'ERROR' });
      return logs.map((l) => ({
        taskId: l.taskId ?? null,
        message: l.message,
        timestamp: l.timestamp,
        level: l.level,
      }));
    },
  };
}

/**
 * `secret(name)`: the environment variable `SECRET_<NAME>`, base64-encoded as Kestra expects. The
 * name is upper-cased on both sides (`secret('my_secret')` reads `SECRET_MY_SECRET`), as in Kestra.
 */
export function readSecret(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const key = name.toUpperCase();
  const raw = env[`SECRET_${key}`] ?? secretIndex(env).get(key);
  if (raw === undefined)
    throw new HostError(
      `The secret \`${name}\` is not set: define the environment variable SECRET_${key} (base64-encoded)`,
    );
  return decodeSecret(raw);
}
