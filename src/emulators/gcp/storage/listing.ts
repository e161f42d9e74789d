/**
 * Object listings: prefixes, delimiters folding names into `prefixes`, `matchGlob`, offsets and
 * opaque page tokens, read from the catalog in name order with skips past folded prefixes.
 */
import type { ObjectRecord, StorageCatalog } from './catalog.js';
import { StorageApiError } from './errors.js';
import { compileGlob } from './glob.js';

/** Most items (and prefixes) in one page, as Google pages. */
export const DEFAULT_PAGE_SIZE = 1000;

/** Parameters of an object listing. */
export interface ListObjectsQuery {
  prefix?: string;
  delimiter?: string;
  pageToken?: string;
  maxResults?: number;
  startOffset?: string;
  endOffset?: string;
  includeTrailingDelimiter?: boolean;
  /** Only names matching this glob (see glob.ts). */
  matchGlob?: string;
}

/** One page of an object listing. */
export interface ObjectPage {
  items: ObjectRecord[];
  prefixes: string[];
  nextPageToken?: string;
}

/** The smallest string greater than every string starting with `prefix` (in UTF-8 byte order). */
export function prefixSuccessor(prefix: string): string | undefined {
  const codePoints = Array.from(prefix);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!.codePointAt(0)!;
    let next = last + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
    if (next <= 0x10ffff) return codePoints.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

/** An opaque page token for a listing that resumes at `from` (inclusive). */
export function encodePageToken(from: string): string {
  return Buffer.from(JSON.stringify({ from }), 'utf8').toString('base64url');
}

/** The resume point of a page token (a 400 when it is not one of ours). */
export function decodePageToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { from?: unknown };
    if (typeof parsed.from === 'string') return parsed.from;
  } catch {
    // falls through to the error below
  }
  throw new StorageApiError('invalid', 'Invalid pageToken: pass the nextPageToken of the previous page.');
}

/** One page of a bucket's objects, with `delimiter` folding names into `prefixes`. */
export function listObjectPage(catalog: StorageCatalog, bucket: string, query: ListObjectsQuery): ObjectPage {
  const prefix = query.prefix ?? '';
  const delimiter = query.delimiter ?? '';
  const limit = Math.max(1, Math.min(query.maxResults ?? DEFAULT_PAGE_SIZE, DEFAULT_PAGE_SIZE));
  let from = prefix;
  if (query.startOffset !== undefined && query.startOffset > from) from = query.startOffset;
  if (query.pageToken !== undefined) {
    const token = decodePageToken(query.pageToken);
    if (token > from) from = token;
  }
  let before = prefix === '' ? undefined : prefixSuccessor(prefix);
  if (query.endOffset !== undefined && (before === undefined || query.endOffset < before))
    before = query.endOffset;
  const glob = query.matchGlob === undefined ? undefined : compileGlob(query.matchGlob);
  if (glob && glob.literalPrefix.length > prefix.length) {
    // Every match starts with the glob's literal text: scan only there.
    if (!glob.literalPrefix.startsWith(prefix)) return { items: [], prefixes: [] };
    if (glob.literalPrefix > from) from = glob.literalPrefix;
    const end = prefixSuccessor(glob.literalPrefix);
    if (end !== undefined && (before === undefined || end < before)) before = end;
  }

  const items: ObjectRecord[] = [];
  const prefixes: string[] = [];
  const page: ObjectPage = { items, prefixes };
  // Restarts the catalog scan after each folded prefix, so a "folder" of 10,000 objects costs
  // one row, not 10,000.
  for (;;) {
    let restartAt: string | undefined;
    for (const record of catalog.iterateObjects(bucket, from, before)) {
      if (glob && !glob.regExp.test(record.name)) continue;
      if (items.length + prefixes.length >= limit) {
        page.nextPageToken = encodePageToken(record.name);
        return page;
      }
      if (delimiter !== '') {
        const cut = record.name.indexOf(delimiter, prefix.length);
        if (cut >= 0) {
          const folded = record.name.slice(0, cut + delimiter.length);
          prefixes.push(folded);
          if (query.includeTrailingDelimiter && record.name === folded) items.push(record);
          // After the folder; past the last possible name, nothing is left.
          restartAt = prefixSuccessor(folded) ?? '';
          break;
        }
      }
      items.push(record);
    }
    if (restartAt === undefined || restartAt === '') return page;
    from = restartAt;
  }
}
