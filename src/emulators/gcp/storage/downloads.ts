/**
 * Object downloads (`alt=media` and `/download/storage/v1/...`): streamed from the blob file,
 * with `Range` (206), the `x-goog-hash` the official clients validate whole downloads against,
 * and gzip objects served as stored when the client accepts gzip (decompressed otherwise).
 */
import { createReadStream, openSync, type ReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ObjectRecord } from './catalog.js';
import { StorageApiError, objectNotFound } from './errors.js';
import type { LocalStorageStore } from './local-store.js';

/** An inclusive byte range, or undefined for the whole object. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges, or another unit: answered with the whole object, as HTTP allows.
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0)
      throw new StorageApiError('requestedRangeNotSatisfiable', `Requested range not satisfiable: ${header}`);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) {
    throw new StorageApiError(
      'requestedRangeNotSatisfiable',
      `Requested range not satisfiable: ${header} (object size ${size}).`,
    );
  }
  return { start, end };
}

function setObjectHeaders(reply: FastifyReply, record: ObjectRecord): void {
  reply.header('x-goog-hash', `crc32c=${record.crc32c},md5=${record.md5Hash}`);
  reply.header('x-goog-generation', String(record.generation));
  reply.header('x-goog-metageneration', String(record.metageneration));
  reply.header('x-goog-stored-content-encoding', record.contentEncoding ?? 'identity');
  reply.header('x-goog-stored-content-length', String(record.size));
  reply.header('x-goog-storage-class', record.storageClass);
  reply.header('etag', `"${record.md5Hash}"`);
  reply.header('last-modified', new Date(record.updated).toUTCString());
  reply.header('accept-ranges', 'bytes');
  reply.header('content-type', record.contentType ?? 'application/octet-stream');
  if (record.contentDisposition !== undefined) reply.header('content-disposition', record.contentDisposition);
  if (record.contentLanguage !== undefined) reply.header('content-language', record.contentLanguage);
  if (record.cacheControl !== undefined) reply.header('cache-control', record.cacheControl);
}

/**
 * A stream of the blob's bytes, opened now: an overwrite or delete of the object after this
 * point unlinks the file but the open descriptor still reads this generation to the end.
 */
function openBlob(record: ObjectRecord, path: string, range?: { start: number; end: number }): ReadStream {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    // Replaced or deleted between reading the catalog and opening its file.
    if ((error as { code?: string }).code === 'ENOENT') throw objectNotFound(record.bucket, record.name);
    throw error;
  }
  return createReadStream('', { fd, autoClose: true, highWaterMark: 1024 * 1024, ...(range ?? {}) });
}

/** Answers a media download of `record`. */
export function sendObjectMedia(
  request: FastifyRequest,
  reply: FastifyReply,
  store: LocalStorageStore,
  record: ObjectRecord,
): FastifyReply {
  setObjectHeaders(reply, record);
  const path = store.blobPath(record);
  const acceptsGzip = /\bgzip\b/i.test(String(request.headers['accept-encoding'] ?? ''));
  if (record.contentEncoding === 'gzip' && !acceptsGzip) {
    // Decompressive transcoding, as Google does for clients that do not accept gzip: the
    // length is unknown and ranges do not apply.
    return reply.code(200).send(openBlob(record, path).pipe(createGunzip()));
  }
  if (record.contentEncoding === 'gzip') reply.header('content-encoding', 'gzip');
  const range = parseRange(request.headers.range, record.size);
  if (range === undefined) {
    reply.header('content-length', String(record.size));
    if (request.method === 'HEAD') return reply.code(200).send();
    return reply.code(200).send(record.size === 0 ? '' : openBlob(record, path));
  }
  reply.header('content-range', `bytes ${range.start}-${range.end}/${record.size}`);
  reply.header('content-length', String(range.end - range.start + 1));
  if (request.method === 'HEAD') return reply.code(206).send();
  return reply.code(206).send(openBlob(record, path, range));
}
