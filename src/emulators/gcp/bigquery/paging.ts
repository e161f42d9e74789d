/**
 * Page tokens and sizes for the list calls (datasets, tables, jobs, rows): a token is the index
 * of the next item, opaque to clients.
 */
import { createHash } from 'node:crypto';
import { invalid, textOf } from './errors.js';

/** The token of the page starting at `index`. */
export function pageTokenOf(index: number): string {
  return Buffer.from(`i${index}`).toString('base64url');
}

/** The index a page token starts at (0 without one). */
export function indexOfPageToken(token: unknown): number {
  if (token === undefined || token === null || token === '') return 0;
  const decoded = Buffer.from(textOf(token), 'base64url').toString();
  const index = /^i(\d+)$/.exec(decoded)?.[1];
  if (index === undefined) throw invalid(`Invalid page token: ${textOf(token)}`);
  return Number(index);
}

/** A non-negative whole number from a query parameter, or `fallback` when absent. */
export function wholeNumber(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw invalid(`Invalid value for ${name}: ${textOf(value)}`);
  return number;
}

/** A page of `items` and the token of the next one. */
export function pageOf<T>(
  items: readonly T[],
  query: { maxResults?: unknown; pageToken?: unknown },
  defaultSize: number,
): { page: T[]; nextPageToken?: string } {
  const start = indexOfPageToken(query.pageToken);
  const size = wholeNumber(query.maxResults, 'maxResults', defaultSize) || defaultSize;
  const page = items.slice(start, start + size);
  return start + size < items.length ? { page, nextPageToken: pageTokenOf(start + size) } : { page };
}

/** An etag for a resource (changes when it does). */
export function etagOf(resource: unknown): string {
  return createHash('md5').update(JSON.stringify(resource)).digest('base64');
}
