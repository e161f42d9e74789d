/**
 * Object uploads at `/upload/storage/v1/b/{bucket}/o`: `uploadType=media` (the body is the
 * object), `multipart` (JSON metadata + media, streamed) and `resumable` (a session opened by a
 * POST, then PUT chunks with `Content-Range`, answered 308 with `Range` until the last one).
 * Session bytes go to a file of their own and become the object only when complete.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UploadRecord } from './catalog.js';
import { StorageApiError } from './errors.js';
import { DigestAccumulator, digestFile, type BlobDigest } from './hashing.js';
import {
  baseUrlOf,
  objectFieldsOf,
  optionalString,
  parseJsonObject,
  preconditionsOf,
  queryOf,
  readJsonBody,
} from './http.js';
import type { LocalStorageStore } from './local-store.js';
import { checkPreconditions, verifyExpectedHashes, type Preconditions } from './rules.js';
import { MultipartRelatedReader, multipartBoundary } from './multipart.js';
import { objectResource } from './resources.js';

/** `x-goog-hash: crc32c=…,md5=…` as a map. */
function parseGoogHash(header: string | string[] | undefined): { md5Hash?: string; crc32c?: string } {
  const result: { md5Hash?: string; crc32c?: string } = {};
  for (const value of Array.isArray(header) ? header : header ? [header] : []) {
    for (const pair of value.split(',')) {
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const key = pair.slice(0, eq).trim().toLowerCase();
      const hash = pair.slice(eq + 1).trim();
      if (key === 'md5') result.md5Hash = hash;
      if (key === 'crc32c') result.crc32c = hash;
    }
  }
  return result;
}

/** Hashes a resource declared itself (`md5Hash`, `crc32c` in upload metadata). */
function declaredHashes(body: Record<string, unknown>): { md5Hash?: string; crc32c?: string } {
  const result: { md5Hash?: string; crc32c?: string } = {};
  const md5 = optionalString(body, 'md5Hash');
  const crc = optionalString(body, 'crc32c');
  if (md5 !== undefined) result.md5Hash = md5;
  if (crc !== undefined) result.crc32c = crc;
  return result;
}

function objectNameOf(query: Record<string, string>, body: Record<string, unknown>): string {
  const name = query.name ?? optionalString(body, 'name');
  if (name === undefined || name === '')
    throw new StorageApiError(
      'required',
      'Required: the object name (the name query parameter or the name field of the metadata).',
    );
  return name;
}

/** Handles the resumable sessions of one store; keeps running hashes of sessions in progress. */
export class UploadHandler {
  /** Hashes of the bytes of each session so far, while its chunks arrive in order. */
  private readonly runningDigests = new Map<string, DigestAccumulator>();

  constructor(private readonly store: LocalStorageStore) {}

  private sessionFile(id: string): string {
    return join(this.store.tempDir(), `upload-${id}`);
  }

  /** POST /upload/storage/v1/b/{bucket}/o */
  async post(request: FastifyRequest<{ Params: { bucket: string } }>, reply: FastifyReply): Promise<unknown> {
    const query = queryOf(request);
    const bucket = request.params.bucket;
    const uploadType = query.uploadType ?? 'media';
    const preconditions = preconditionsOf(query);
    const base = baseUrlOf(request);
    if (uploadType === 'media') {
      const name = objectNameOf(query, {});
      const contentType = request.headers['content-type'];
      const fields = contentType ? { contentType } : {};
      const record = await this.store.writeObject(
        bucket,
        name,
        request.raw,
        fields,
        preconditions,
        [],
        parseGoogHash(request.headers['x-goog-hash']),
      );
      return reply.code(200).send(objectResource(record, base));
    }
    if (uploadType === 'multipart') {
      const reader = new MultipartRelatedReader(
        request.raw,
        multipartBoundary(request.headers['content-type']),
      );
      const metadataPart = await reader.readMetadataPart();
      const metadata = metadataPart.body.trim() === '' ? {} : parseJsonObject(metadataPart.body);
      const mediaHeaders = await reader.readMediaHeaders();
      const name = objectNameOf(query, metadata);
      const fields = objectFieldsOf(metadata);
      if (fields.contentType === undefined && mediaHeaders['content-type'])
        fields.contentType = mediaHeaders['content-type'];
      const expected = { ...declaredHashes(metadata), ...parseGoogHash(request.headers['x-goog-hash']) };
      const record = await this.store.writeObject(
        bucket,
        name,
        reader.media(),
        fields,
        preconditions,
        [],
        expected,
      );
      return reply.code(200).send(objectResource(record, base));
    }
    if (uploadType === 'resumable') {
      if (query.upload_id !== undefined) return this.put(request, reply);
      return this.openSession(request, reply, bucket, query, preconditions, base);
    }
    throw new StorageApiError(
      'invalid',
      `Unknown uploadType: ${uploadType} (use media, multipart or resumable).`,
    );
  }

  private async openSession(
    request: FastifyRequest,
    reply: FastifyReply,
    bucket: string,
    query: Record<string, string>,
    preconditions: Preconditions,
    base: string,
  ): Promise<unknown> {
    const body = await readJsonBody(request);
    const name = objectNameOf(query, body);
    this.store.getBucket(bucket);
    checkPreconditions(this.store.catalog.getObject(bucket, name), preconditions);
    const resource: Record<string, unknown> = { ...body };
    const uploadContentType = request.headers['x-upload-content-type'];
    if (resource.contentType === undefined && typeof uploadContentType === 'string')
      resource.contentType = uploadContentType;
    const id = randomUUID().replaceAll('-', '');
    writeFileSync(this.sessionFile(id), '');
    this.store.catalog.putUpload({
      id,
      bucket,
      name,
      resource,
      preconditions: { ...preconditions },
      received: 0,
      created: new Date().toISOString(),
    });
    this.runningDigests.set(id, new DigestAccumulator());
    const location =
      `${base}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable` +
      `&name=${encodeURIComponent(name)}&upload_id=${id}`;
    return reply.code(200).header('location', location).header('x-guploader-uploadid', id).send();
  }

  private session(query: Record<string, string>): UploadRecord {
    const id = query.upload_id;
    const session = id === undefined ? undefined : this.store.catalog.getUpload(id);
    if (!session) {
      throw new StorageApiError(
        'notFound',
        `No resumable upload session ${id ?? ''}: it was completed, cancelled, or never opened.`,
      );
    }
    return session;
  }

  /** PUT (or POST) to a session URI: a chunk, the last chunk, or a status query. */
  async put(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const query = queryOf(request);
    const session = this.session(query);
    const range = parseContentRange(request.headers['content-range']);
    const file = this.sessionFile(session.id);
    if (!existsSync(file))
      throw new StorageApiError(
        'notFound',
        `The resumable upload session ${session.id} lost its data; start a new upload.`,
      );

    if (range.kind === 'status') {
      // Drain whatever body came with it (none is expected).
      for await (const chunk of request.raw) void chunk;
      if (range.total !== undefined && range.total === session.received)
        return this.finish(request, reply, session);
      return this.incomplete(reply, session.received);
    }

    if (range.start > session.received) {
      throw new StorageApiError(
        'invalid',
        `Content-Range starts at byte ${range.start} but the session has only ${session.received} bytes; resume from byte ${session.received}.`,
      );
    }
    const skip = session.received - range.start;
    const accumulator = skip === 0 ? this.runningDigests.get(session.id) : undefined;
    if (skip !== 0) this.runningDigests.delete(session.id);
    const source = skip > 0 ? skipBytes(skip)(request.raw) : (request.raw as AsyncIterable<Buffer>);
    const cutOff = await appendToFile(source, file, accumulator);
    session.received = statSync(file).size;
    this.store.catalog.putUpload(session);
    // A cut-off chunk: what reached the file stays, so the client can resume from there.
    if (cutOff !== undefined) throw cutOff;
    if (range.end !== undefined && session.received !== range.end + 1) {
      throw new StorageApiError(
        'invalid',
        `The chunk held ${session.received - range.start} bytes but Content-Range said ${range.end - range.start + 1}.`,
      );
    }
    const total = range.total ?? (range.end === undefined ? session.received : undefined);
    if (total !== undefined && session.received >= total) {
      if (session.received > total)
        throw new StorageApiError(
          'invalid',
          `The upload has ${session.received} bytes, more than the declared ${total}.`,
        );
      return this.finish(request, reply, session);
    }
    return this.incomplete(reply, session.received);
  }

  private incomplete(reply: FastifyReply, received: number): FastifyReply {
    if (received > 0) reply.header('range', `bytes=0-${received - 1}`);
    return reply.code(308).send();
  }

  private async finish(
    request: FastifyRequest,
    reply: FastifyReply,
    session: UploadRecord,
  ): Promise<unknown> {
    const file = this.sessionFile(session.id);
    const running = this.runningDigests.get(session.id);
    this.runningDigests.delete(session.id);
    const digest: BlobDigest = running ? running.digest() : await digestFile(file);
    const expected = {
      ...declaredHashes(session.resource),
      ...parseGoogHash(request.headers['x-goog-hash']),
    };
    this.store.catalog.deleteUpload(session.id);
    try {
      verifyExpectedHashes(digest, expected);
      const record = await this.store.commitBlob(
        session.bucket,
        session.name,
        file,
        digest,
        objectFieldsOf(session.resource),
        session.preconditions,
      );
      return await reply.code(200).send(objectResource(record, baseUrlOf(request)));
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
  }

  /** DELETE on a session URI: cancels it (Google answers 499). */
  async cancel(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const session = this.session(queryOf(request));
    this.store.catalog.deleteUpload(session.id);
    this.runningDigests.delete(session.id);
    await rm(this.sessionFile(session.id), { force: true });
    return reply.code(499).send();
  }
}

type ContentRange =
  { kind: 'status'; total?: number } | { kind: 'bytes'; start: number; end?: number; total?: number };

/**
 * `Content-Range` of a resumable PUT: `bytes a-b/N`, `bytes a-b/*`, `bytes a-*\/N|*` (to the end
 * of this request), `bytes *\/N|*` (a status query). No header: the whole object in one request.
 */
export function parseContentRange(header: string | undefined): ContentRange {
  if (header === undefined || header.trim() === '') return { kind: 'bytes', start: 0 };
  const match = /^bytes\s+(?:(\*)|(\d+)-(\d+|\*))\/(\d+|\*|undefined)$/i.exec(header.trim());
  if (!match) throw new StorageApiError('invalid', `Invalid Content-Range header: ${header}`);
  // The official client writes `/undefined` for an unknown total in one code path: same as `*`.
  const total = match[4] === '*' || match[4] === 'undefined' ? undefined : Number(match[4]);
  if (match[1] === '*') return total === undefined ? { kind: 'status' } : { kind: 'status', total };
  const start = Number(match[2]);
  const range: ContentRange = { kind: 'bytes', start };
  if (match[3] !== '*') {
    range.end = Number(match[3]);
    if (range.end < start) throw new StorageApiError('invalid', `Invalid Content-Range header: ${header}`);
  }
  if (total !== undefined) range.total = total;
  return range;
}

/**
 * Appends a request's bytes to a session file, feeding `accumulator`. Unlike a pipeline, a
 * request cut off mid-way does not discard what was already received: the file is flushed and
 * the request's error returned (not thrown) for the caller to answer after recording the size.
 */
async function appendToFile(
  source: AsyncIterable<Buffer>,
  file: string,
  accumulator: DigestAccumulator | undefined,
): Promise<Error | undefined> {
  const out = createWriteStream(file, { flags: 'a' });
  let cutOff: Error | undefined;
  try {
    for await (const chunk of source) {
      accumulator?.update(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } catch (error) {
    cutOff = error instanceof Error ? error : new Error(String(error));
  }
  await new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.end(() => resolve());
  });
  return cutOff;
}

/** Drops the first `count` bytes of a stream (bytes of a re-sent chunk the session already has). */
function skipBytes(count: number): (input: AsyncIterable<Buffer>) => AsyncGenerator<Buffer> {
  return async function* (input) {
    let remaining = count;
    for await (const chunk of input) {
      if (remaining >= chunk.length) {
        remaining -= chunk.length;
        continue;
      }
      yield remaining > 0 ? chunk.subarray(remaining) : chunk;
      remaining = 0;
    }
  };
}
