/** Internal storage: the contract and the local-disk implementation. */
export type { InternalStorage, ExecutionFilesScope } from './contract.js';
export { StorageFileNotFound, StorageUriError } from './contract.js';
export { LocalStorage } from './local.js';
export { PostgresStorage } from './postgres.js';
export type { PostgresStorageOptions } from './postgres.js';
