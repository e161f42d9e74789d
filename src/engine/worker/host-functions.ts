/**
 * The expression functions backed by the worker's services: `kv()`, `secret()`, `read()`,
 * `fileSize()`, `fileExists()`, `fileEmpty()`, `fileURI()`, `errorLogs()`.
 */
import { toText } from '../../expr/index.js';
import type { HostFunction } from '../../expr/index.js';
import type { InternalStorage } from '../../storage/contract.js';
import type { Store } from '../../store/contract.js';

export interface HostServices {
  store: Store;
  storage: InternalStorage;
  namespace: string;
  executionId: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Told every secret value read, so that logs can mask it. */
  onSecret?: (value: string) => void;
}

/** A failure the user can act on (becomes the render error's message). */
class HostError extends Error {}

/** The host functions for one render context. */
export function hostFunctions(services: HostServices): Record<string, HostFunction> {
  return {
    kv: async ([key, namespace, errorOnMissing]) => {
      const ns = namespace === undefined || namespace === null ? services.namespace : toText(namespace);
      const entry = await services.store.kvGet(ns, toText(key));
      if (entry) return entry.value;
      if (errorOnMissing === false) return null;
      throw new HostError(
        `The KV key \`${toText(key)}\` does not exist in namespace \`${ns}\` (or it expired)`,
      );
    },
    secret: ([name]) => {
      const value = readSecret(services.env, toText(name));
      services.onSecret?.(value);
      return value;
    },
    read: async ([path]) => (await services.storage.readBuffer(uriOf(path))).toString('utf8'),
    fileSize: async ([path]) => services.storage.size(uriOf(path)),
    fileExists: async ([path]) => services.storage.exists(uriOf(path)),
    fileEmpty: async ([path]) => (await services.storage.size(uriOf(path))) === 0,
    fileURI: ([path]) => uriOf(path),
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

/** `secret(NAME)`: the environment variable `SECRET_NAME`, base64-encoded as Kestra expects. */
export function readSecret(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const raw = env[`SECRET_${name}`];
  if (raw === undefined)
    throw new HostError(
      `The secret \`${name}\` is not set: define the environment variable SECRET_${name} (base64-encoded)`,
    );
  return Buffer.from(raw, 'base64').toString('utf8');
}

function uriOf(path: unknown): string {
  const text = toText(path);
  if (text.startsWith('kestra://')) return text;
  throw new HostError(`\`${text}\` is not an internal storage URI (kestra:///…)`);
}
