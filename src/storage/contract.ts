/**
 * Internal storage: the files of executions (task outputs, uploaded inputs), addressed by
 * Kestra's URIs `kestra:///<namespace as path>/<flowId>/executions/<executionId>/…`.
 */
import type { Readable } from 'node:stream';

/** Where an execution's files live. */
export interface ExecutionFilesScope {
  namespace: string;
  flowId: string;
  executionId: string;
}

export interface InternalStorage {
  /** The URI of a task run's file (nothing is written). */
  taskRunFileUri(scope: ExecutionFilesScope, taskId: string, taskRunId: string, name: string): string;
  /** The URI of an execution input's file. */
  inputFileUri(scope: ExecutionFilesScope, inputId: string, name: string): string;
  /** The URI of a namespace file (`path` relative, `/`-separated): `kestra:///<ns as path>/_files/<path>`. */
  namespaceFileUri(namespace: string, path: string): string;
  /** The folder URI that holds a namespace's files. */
  namespaceFilesRoot(namespace: string): string;
  /** Every file below a URI prefix (a folder), recursively, as URIs, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Writes a file (replacing it); returns its size in bytes. */
  put(uri: string, content: Buffer | string | Readable): Promise<number>;
  /** Copies a local file in. */
  putLocalFile(uri: string, path: string): Promise<number>;
  /** Reads a file; fails with StorageFileNotFound when it is missing. */
  readStream(uri: string): Promise<Readable>;
  readBuffer(uri: string): Promise<Buffer>;
  /** The file's path on local disk (local storage only; others download to a temp file). */
  localPath(uri: string): Promise<string>;
  exists(uri: string): Promise<boolean>;
  size(uri: string): Promise<number>;
  delete(uri: string): Promise<boolean>;
  /** Deletes every file of an execution; returns their URIs. */
  purgeExecution(scope: ExecutionFilesScope): Promise<string[]>;
}

/** A `kestra://` URI that is malformed or points outside the storage. */
export class StorageUriError extends Error {
  readonly code = 'WH_STORAGE_URI_INVALID';
  constructor(uri: string, why: string) {
    super(`Invalid internal storage URI \`${uri}\`: ${why}`);
    this.name = 'StorageUriError';
  }
}

/**
 * A URI the storage cannot hold as a file: a name too long for the disk, a file in the way of a
 * folder (or a folder in the way of a file), a symbolic link on the way. Its message names the
 * URI, never the local path.
 */
export class StoragePathError extends Error {
  readonly code = 'WH_PATH_INVALID';
  constructor(uri: string, why: string) {
    super(`Cannot store \`${uri}\`: ${why}`);
    this.name = 'StoragePathError';
  }
}

/** A file that is not in the storage. */
export class StorageFileNotFound extends Error {
  readonly code = 'WH_STORAGE_FILE_NOT_FOUND';
  constructor(readonly uri: string) {
    super(`File not found in internal storage: ${uri}`);
    this.name = 'StorageFileNotFound';
  }
}
