/**
 * The namespace calls of the UI: the KV store (typed entries, TTL) and namespace files (see
 * src/server/routes/kv.ts and namespace-files.ts), and the flows that make namespaces known.
 */
import { api, apiFetch } from './client';
import type { Page } from './types';

export const KV_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'] as const;
export type KvType = (typeof KV_TYPES)[number];

/** One entry of a namespace's KV list. */
export interface KvEntry {
  namespace: string;
  key: string;
  type: KvType;
  description?: string;
  creationDate: string;
  updateDate: string;
  expirationDate?: string;
}

/** A stored value with its type. */
export interface KvValue {
  type: KvType;
  value: unknown;
}

/** A flow as the lists show it (no source). */
export interface FlowSummary {
  id: string;
  namespace: string;
  revision: number;
  description?: string;
  disabled?: boolean;
}

/** A namespace file or directory. */
export interface FileEntry {
  fileName: string;
  type: 'File' | 'Directory';
  size: number;
  lastModifiedTime?: number;
}

const ns = (namespace: string) => `/namespaces/${encodeURIComponent(namespace)}`;

/** The KV entries of a namespace. */
export function listKv(namespace: string, signal?: AbortSignal): Promise<KvEntry[]> {
  return api(`${ns(namespace)}/kv`, signal ? { signal } : {});
}

/** The typed value of a key. */
export function getKv(namespace: string, key: string): Promise<KvValue> {
  return api(`${ns(namespace)}/kv/${encodeURIComponent(key)}`);
}

/**
 * Writes a value. The server types the text body the way Kestra does (see docs/api.md), so the
 * text given here must already be the encoding of the wanted type (see kvText in the KV tab).
 */
export async function putKv(
  namespace: string,
  key: string,
  text: string,
  options: { ttl?: string; description?: string } = {},
): Promise<KvEntry> {
  const headers: Record<string, string> = {};
  if (options.ttl) headers.ttl = options.ttl;
  if (options.description) headers.description = options.description;
  const response = await apiFetch(`${ns(namespace)}/kv/${encodeURIComponent(key)}`, {
    method: 'PUT',
    body: text,
    contentType: 'text/plain',
    headers,
  });
  return (await response.json()) as KvEntry;
}

/** Deletes keys; answers those that existed. */
export function deleteKv(namespace: string, keys: readonly string[]): Promise<{ keys: string[] }> {
  return api(`${ns(namespace)}/kv`, { method: 'DELETE', body: { keys } });
}

/** The flows of every namespace (one large page: enough to list the namespaces). */
export function listAllFlows(signal?: AbortSignal): Promise<Page<FlowSummary>> {
  return api('/flows/search', { query: { size: 1000 }, ...(signal ? { signal } : {}) });
}

/** The flows of one namespace (not its children). */
export function listNamespaceFlows(namespace: string, signal?: AbortSignal): Promise<FlowSummary[]> {
  return api(`/flows/${encodeURIComponent(namespace)}`, signal ? { signal } : {});
}

/** The entries of a directory of namespace files ('' is the root). */
export function listDirectory(namespace: string, path: string, signal?: AbortSignal): Promise<FileEntry[]> {
  return api(`${ns(namespace)}/files/directory`, {
    query: { path: path ? `/${path}` : undefined },
    ...(signal ? { signal } : {}),
  });
}

/** The attributes of a namespace file (its size before opening it). */
export function fileStats(namespace: string, path: string): Promise<FileEntry> {
  return api(`${ns(namespace)}/files/stats`, { query: { path: `/${path}` } });
}

/** The text of a namespace file. */
export async function readFile(namespace: string, path: string): Promise<string> {
  const response = await apiFetch(`${ns(namespace)}/files`, { query: { path: `/${path}` } });
  return response.text();
}

/** Writes a namespace file (created or replaced). */
export function writeFile(namespace: string, path: string, content: Blob | string): Promise<FileEntry> {
  const form = new FormData();
  const blob = typeof content === 'string' ? new Blob([content], { type: 'text/plain' }) : content;
  form.append('fileContent', blob, path.slice(path.lastIndexOf('/') + 1));
  return api(`${ns(namespace)}/files`, { method: 'POST', query: { path: `/${path}` }, body: form });
}

/** Moves (renames) a file or directory. */
export function moveFile(namespace: string, from: string, to: string): Promise<void> {
  return api(`${ns(namespace)}/files`, { method: 'PUT', query: { from: `/${from}`, to: `/${to}` } });
}

/** Deletes a file, or a directory with everything in it. */
export function deleteFile(namespace: string, path: string): Promise<void> {
  return api(`${ns(namespace)}/files`, { method: 'DELETE', query: { path: `/${path}` } });
}
