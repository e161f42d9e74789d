/** Internal storage: the contract, the local-disk and PostgreSQL backends, and picking one by URL. */
export type { InternalStorage, ExecutionFilesScope } from './contract.js';
export { StorageFileNotFound, StoragePathError, StorageUriError } from './contract.js';
export { LocalStorage } from './local.js';
export { PostgresStorage } from './postgres.js';
export type { PostgresStorageOptions } from './postgres.js';
export { openStorage } from './open.js';
export type { OpenedStorage } from './open.js';
