/**
 * Kestra's internal storage URIs, shared by every backend so that they all name files alike:
 * `kestra:///<namespace as path>/<flowId>/executions/<executionId>/…` and namespace files under
 * `kestra:///<namespace as path>/_files/…`.
 */
import type { ExecutionFilesScope } from './contract.js';
import { StorageUriError } from './contract.js';

export const STORAGE_SCHEME = 'kestra://';

/** A path segment of a URI: `/` and `%` escaped so that ids cannot add levels. */
export function uriSegment(value: string): string {
  return encodeURIComponent(value).replace(/\*/g, '%2A');
}

/** `kestra:///company/team` for `company.team`. */
export function namespacePrefix(namespace: string): string {
  return `${STORAGE_SCHEME}/${namespace.split('.').map(uriSegment).join('/')}`;
}

/** The folder URI of an execution's files. */
export function executionPrefix(scope: ExecutionFilesScope): string {
  return `${namespacePrefix(scope.namespace)}/${uriSegment(scope.flowId)}/executions/${uriSegment(scope.executionId)}`;
}

/** The URI of a task run's file. */
export function taskRunFileUri(
  scope: ExecutionFilesScope,
  taskId: string,
  taskRunId: string,
  name: string,
): string {
  return `${executionPrefix(scope)}/tasks/${uriSegment(taskId)}/${uriSegment(taskRunId)}/${uriSegment(name)}`;
}

/** The URI of an execution input's file. */
export function inputFileUri(scope: ExecutionFilesScope, inputId: string, name: string): string {
  return `${executionPrefix(scope)}/inputs/${uriSegment(inputId)}/${uriSegment(name)}`;
}

/** The folder URI that holds a namespace's files. */
export function namespaceFilesRoot(namespace: string): string {
  return `${namespacePrefix(namespace)}/_files`;
}

/** The URI of a namespace file (`path` relative, `/`-separated, never leaving the namespace). */
export function namespaceFileUri(namespace: string, path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..'))
    throw new StorageUriError(path, 'a namespace file path must name a file inside the namespace');
  return `${namespaceFilesRoot(namespace)}/${parts.map(uriSegment).join('/')}`;
}

/**
 * The storage-relative path a URI names (decoded, `.`/`..` resolved, `/`-separated, no leading
 * slash): the key every backend files it under. Refuses other schemes, relative URIs, bad
 * %-escapes, NUL bytes and anything that resolves to the root or above it.
 */
export function storagePath(uri: string): string {
  if (!uri.startsWith(STORAGE_SCHEME)) throw new StorageUriError(uri, `it must start with ${STORAGE_SCHEME}`);
  let path: string;
  try {
    path = decodeURIComponent(uri.slice(STORAGE_SCHEME.length));
  } catch {
    throw new StorageUriError(uri, 'it holds a malformed %-escape');
  }
  if (!path.startsWith('/')) throw new StorageUriError(uri, 'the path must be absolute (kestra:///…)');
  if (path.includes('\0')) throw new StorageUriError(uri, 'it holds a NUL byte');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.pop() === undefined) throw new StorageUriError(uri, 'it points outside the storage');
    } else parts.push(part);
  }
  if (parts.length === 0) throw new StorageUriError(uri, 'it points outside the storage');
  return parts.join('/');
}

/**
 * The folder URI of the files a task keeps from one execution of its flow to the next
 * (WorkingDirectory's `cache`): `<flow folder>/_cache/<taskId>[/<loop value key>]`. Flow ids
 * start with a letter or digit, so `_cache` cannot be a flow's `executions` or another flow.
 */
export function taskCachePrefix(
  scope: { namespace: string; flowId: string },
  taskId: string,
  valueKey?: string,
): string {
  const base = `${namespacePrefix(scope.namespace)}/${uriSegment(scope.flowId)}/_cache/${uriSegment(taskId)}`;
  return valueKey === undefined ? base : `${base}/${uriSegment(valueKey)}`;
}

/** The URI of a storage-relative path below a listed prefix, as `list` returns it. */
export function childUri(prefix: string, relativePath: string): string {
  return `${prefix}/${relativePath.split('/').map(uriSegment).join('/')}`;
}
