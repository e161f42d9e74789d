/**
 * The storage emulator's store: buckets and objects on local disk (blob files + a SQLite
 * catalog), with Cloud Storage's rules (generations, metagenerations, preconditions, 409 on
 * deleting a non-empty bucket). It is the `ObjectStore` the BigQuery emulator reads and writes
 * `gs://` objects through. The HTTP routes (routes.ts, uploads.ts) only translate to and from it.
 */
import { randomUUID } from 'node:crypto';
import { constants as fsConstants, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { copyFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { StorageCatalog, type BucketRecord, type ObjectRecord } from './catalog.js';
import { StorageApiError, bucketNotFound, objectNotFound } from './errors.js';
import { digestFile, writeHashedFile, type BlobDigest } from './hashing.js';
import {
  DEFAULT_PAGE_SIZE,
  decodePageToken,
  encodePageToken,
  listObjectPage,
  prefixSuccessor,
  type ListObjectsQuery,
  type ObjectPage,
} from './listing.js';
import {
  checkPreconditions,
  cleanMetadata,
  validateObjectName,
  verifyExpectedHashes,
  type Preconditions,
} from './rules.js';
import type { ObjectStore, StoredObject } from './object-store.js';

/** Object fields a client may set (on upload, copy or patch). */
export interface WritableObjectFields {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  storageClass?: string;
  /** Custom metadata; on patch a `null` value removes the key. */
  metadata?: Record<string, string | null> | null;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;
/** How long an unfinished resumable session is kept, as Google does. */
const SESSION_LIFETIME_MS = 7 * 24 * 3600 * 1000;

/** Cloud Storage on local disk under `<dataDir>/storage/`. */
export class LocalStorageStore implements ObjectStore {
  readonly catalog: StorageCatalog;
  private readonly blobDir: string;
  private readonly tmpDir: string;

  constructor(dataDir: string) {
    const root = join(dataDir, 'storage');
    this.blobDir = join(root, 'blobs');
    this.tmpDir = join(root, 'tmp');
    mkdirSync(this.blobDir, { recursive: true });
    mkdirSync(this.tmpDir, { recursive: true });
    this.catalog = new StorageCatalog(join(root, 'catalog.sqlite'));
    this.removeLeftovers();
  }

  /**
   * Start-up cleaning after a crash or a kill: temporary files of uploads cut short, resumable
   * sessions older than Google keeps them (a week) or without their file, session files without
   * a session, and blobs no object points at (written, but the catalog never took them).
   */
  private removeLeftovers(): void {
    const weekAgo = new Date(Date.now() - SESSION_LIFETIME_MS).toISOString();
    const sessions = new Set<string>();
    for (const session of this.catalog.listUploads()) {
      const file = join(this.tmpDir, `upload-${session.id}`);
      if (session.created < weekAgo || !existsSync(file)) {
        this.catalog.deleteUpload(session.id);
        rmSync(file, { force: true });
      } else {
        sessions.add(`upload-${session.id}`);
      }
    }
    for (const entry of readdirSync(this.tmpDir)) {
      if (entry.endsWith('.part') || (entry.startsWith('upload-') && !sessions.has(entry))) {
        rmSync(join(this.tmpDir, entry), { force: true });
      }
    }
    const referenced = this.catalog.allBlobs();
    for (const entry of readdirSync(this.blobDir)) {
      if (!referenced.has(entry)) rmSync(join(this.blobDir, entry), { force: true });
    }
  }

  close(): void {
    this.catalog.close();
  }

  // ---- ObjectStore (for the BigQuery emulator) ----

  tempDir(): string {
    return this.tmpDir;
  }

  hasBucket(bucket: string): boolean {
    return this.catalog.getBucket(bucket) !== undefined;
  }

  matchUris(uris: readonly string[]): StoredObject[] {
    const found: StoredObject[] = [];
    for (const uri of uris) {
      const match = /^gs:\/\/([^/]+)\/(.*)$/.exec(uri);
      if (!match) continue;
      const bucket = match[1]!;
      const pattern = match[2]!;
      const star = pattern.indexOf('*');
      if (star < 0) {
        const record = this.catalog.getObject(bucket, pattern);
        if (record) found.push(this.stored(record));
        continue;
      }
      const prefix = pattern.slice(0, star);
      const suffix = pattern.slice(star + 1);
      const successor = prefixSuccessor(prefix);
      for (const record of this.catalog.iterateObjects(bucket, prefix, successor)) {
        if (record.name.length >= prefix.length + suffix.length && record.name.endsWith(suffix)) {
          found.push(this.stored(record));
        }
      }
    }
    return found;
  }

  async putFile(
    bucket: string,
    name: string,
    file: string,
    metadata?: { contentType?: string },
  ): Promise<StoredObject> {
    const digest = await digestFile(file);
    const fields: WritableObjectFields = {};
    if (metadata?.contentType !== undefined) fields.contentType = metadata.contentType;
    const record = await this.commitBlob(bucket, name, file, digest, fields, {});
    return this.stored(record);
  }

  /** The file holding an object's bytes. */
  blobPath(record: ObjectRecord): string {
    return join(this.blobDir, record.blob);
  }

  /** A fresh temporary file name (removed at start-up if left behind). */
  tempFile(): string {
    return join(this.tmpDir, `${randomUUID()}.part`);
  }

  private stored(record: ObjectRecord): StoredObject {
    const stored: StoredObject = {
      bucket: record.bucket,
      name: record.name,
      generation: String(record.generation),
      size: record.size,
      path: this.blobPath(record),
    };
    if (record.contentType !== undefined) stored.contentType = record.contentType;
    if (record.contentEncoding !== undefined) stored.contentEncoding = record.contentEncoding;
    return stored;
  }

  // ---- buckets ----

  createBucket(input: {
    name: string;
    projectId: string;
    location?: string;
    storageClass?: string;
    labels?: Record<string, string>;
    settings?: Record<string, unknown>;
  }): BucketRecord {
    if (!BUCKET_NAME.test(input.name) || input.name.includes('..')) {
      throw new StorageApiError(
        'invalid',
        `Invalid bucket name: '${input.name}'. Use 3-63 lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit.`,
      );
    }
    return this.catalog.transaction(() => {
      if (this.catalog.getBucket(input.name)) {
        throw new StorageApiError(
          'conflict',
          `Your previous request to create the named bucket succeeded and you already own it: ${input.name}`,
        );
      }
      const now = new Date().toISOString();
      const record: BucketRecord = {
        name: input.name,
        projectId: input.projectId,
        location: (input.location ?? 'US').toUpperCase(),
        storageClass: (input.storageClass ?? 'STANDARD').toUpperCase(),
        labels: input.labels ?? {},
        settings: input.settings ?? {},
        metageneration: 1,
        created: now,
        updated: now,
      };
      this.catalog.putBucket(record);
      return record;
    });
  }

  getBucket(name: string): BucketRecord {
    const bucket = this.catalog.getBucket(name);
    if (!bucket) throw bucketNotFound(name);
    return bucket;
  }

  patchBucket(
    name: string,
    patch: {
      storageClass?: string;
      labels?: Record<string, string | null> | null;
      /** Settings to replace; a `null` value removes one. */
      settings?: Record<string, unknown>;
    },
  ): BucketRecord {
    return this.catalog.transaction(() => {
      const bucket = this.getBucket(name);
      const labels = patch.labels === null ? {} : { ...bucket.labels };
      if (patch.labels) {
        for (const [key, value] of Object.entries(patch.labels)) {
          if (value === null) delete labels[key];
          else labels[key] = String(value);
        }
      }
      const settings = { ...bucket.settings };
      for (const [key, value] of Object.entries(patch.settings ?? {})) {
        if (value === null) delete settings[key];
        else settings[key] = value;
      }
      const updated: BucketRecord = {
        ...bucket,
        storageClass: patch.storageClass?.toUpperCase() ?? bucket.storageClass,
        labels,
        settings,
        metageneration: bucket.metageneration + 1,
        updated: new Date().toISOString(),
      };
      this.catalog.putBucket(updated);
      return updated;
    });
  }

  listBuckets(query: { prefix?: string; pageToken?: string; maxResults?: number }): {
    items: BucketRecord[];
    nextPageToken?: string;
  } {
    const limit = Math.max(1, Math.min(query.maxResults ?? DEFAULT_PAGE_SIZE, DEFAULT_PAGE_SIZE));
    const startAfter = query.pageToken === undefined ? '' : decodePageToken(query.pageToken);
    const rows = this.catalog.listBuckets(query.prefix ?? '', startAfter, limit + 1);
    const items = rows.slice(0, limit);
    const page: { items: BucketRecord[]; nextPageToken?: string } = { items };
    if (rows.length > limit) page.nextPageToken = encodePageToken(items[items.length - 1]!.name);
    return page;
  }

  deleteBucket(name: string): void {
    this.catalog.transaction(() => {
      this.getBucket(name);
      if (this.catalog.bucketHasObjects(name)) {
        throw new StorageApiError('conflict', `The bucket you tried to delete is not empty: ${name}`);
      }
      this.catalog.deleteBucket(name);
    });
  }

  // ---- objects ----

  /** The live object, checked against preconditions; 404 when missing or of another generation. */
  getObject(
    bucket: string,
    name: string,
    options: { generation?: string; preconditions?: Preconditions } = {},
  ): ObjectRecord {
    this.getBucket(bucket);
    const record = this.catalog.getObject(bucket, name);
    if (!record) throw objectNotFound(bucket, name);
    if (options.generation !== undefined && String(record.generation) !== options.generation) {
      throw objectNotFound(bucket, `${name}#${options.generation}`);
    }
    checkPreconditions(record, options.preconditions ?? {});
    return record;
  }

  /**
   * Stores a stream as a new generation of `bucket/name`. Checks the bucket and the
   * preconditions before reading a byte, streams to a temporary file, and only then (checking
   * the preconditions again) makes it the object; a failed stream leaves no object.
   */
  async writeObject(
    bucket: string,
    name: string,
    source: Readable | AsyncIterable<Buffer>,
    fields: WritableObjectFields,
    preconditions: Preconditions,
    transforms: ((input: AsyncIterable<Buffer>) => AsyncGenerator<Buffer>)[] = [],
    expected: { md5Hash?: string; crc32c?: string } = {},
  ): Promise<ObjectRecord> {
    validateObjectName(name);
    this.getBucket(bucket);
    checkPreconditions(this.catalog.getObject(bucket, name), preconditions);
    const file = this.tempFile();
    const digest = await writeHashedFile(source, file, transforms);
    try {
      verifyExpectedHashes(digest, expected);
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
    return this.commitBlob(bucket, name, file, digest, fields, preconditions);
  }

  /**
   * Makes a finished local file the new generation of `bucket/name` (the file is moved into the
   * blob folder). The old generation's blob is removed after the catalog points at the new one.
   */
  async commitBlob(
    bucket: string,
    name: string,
    file: string,
    digest: BlobDigest,
    fields: WritableObjectFields,
    preconditions: Preconditions,
  ): Promise<ObjectRecord> {
    validateObjectName(name);
    const blob = randomUUID();
    const blobPath = join(this.blobDir, blob);
    try {
      await rename(file, blobPath);
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
    let replaced: ObjectRecord | undefined;
    let record: ObjectRecord;
    try {
      record = this.catalog.transaction(() => {
        const bucketRecord = this.getBucket(bucket);
        replaced = this.catalog.getObject(bucket, name);
        checkPreconditions(replaced, preconditions);
        const now = new Date().toISOString();
        const next: ObjectRecord = {
          bucket,
          name,
          generation: this.catalog.nextGeneration(),
          metageneration: 1,
          size: digest.size,
          md5Hash: digest.md5Hash,
          crc32c: digest.crc32c,
          storageClass: fields.storageClass?.toUpperCase() ?? bucketRecord.storageClass,
          created: now,
          updated: now,
          blob,
          contentType: fields.contentType ?? 'application/octet-stream',
        };
        if (fields.contentEncoding !== undefined) next.contentEncoding = fields.contentEncoding;
        if (fields.contentDisposition !== undefined) next.contentDisposition = fields.contentDisposition;
        if (fields.contentLanguage !== undefined) next.contentLanguage = fields.contentLanguage;
        if (fields.cacheControl !== undefined) next.cacheControl = fields.cacheControl;
        const metadata = cleanMetadata(fields.metadata);
        if (metadata !== undefined) next.metadata = metadata;
        this.catalog.putObject(next);
        return next;
      });
    } catch (error) {
      await rm(blobPath, { force: true });
      throw error;
    }
    if (replaced) await rm(this.blobPath(replaced), { force: true });
    return record;
  }

  /** Copies an object (bytes and, unless overridden, its fields) to a new generation of `target`. */
  async copyObject(
    source: { bucket: string; name: string; generation?: string; preconditions: Preconditions },
    target: { bucket: string; name: string; preconditions: Preconditions },
    overrides: WritableObjectFields | undefined,
  ): Promise<ObjectRecord> {
    const from = this.getObject(source.bucket, source.name, {
      generation: source.generation,
      preconditions: source.preconditions,
    });
    this.getBucket(target.bucket);
    validateObjectName(target.name);
    checkPreconditions(this.catalog.getObject(target.bucket, target.name), target.preconditions);
    const file = this.tempFile();
    // A clone where the file system can, a copy elsewhere: never through memory.
    await copyFile(this.blobPath(from), file, fsConstants.COPYFILE_FICLONE);
    const fields: WritableObjectFields =
      overrides && Object.keys(overrides).length > 0
        ? overrides
        : {
            contentType: from.contentType,
            contentEncoding: from.contentEncoding,
            contentDisposition: from.contentDisposition,
            contentLanguage: from.contentLanguage,
            cacheControl: from.cacheControl,
            metadata: from.metadata ?? null,
            storageClass: from.storageClass,
          };
    return this.commitBlob(
      target.bucket,
      target.name,
      file,
      { size: from.size, md5Hash: from.md5Hash, crc32c: from.crc32c },
      fields,
      target.preconditions,
    );
  }

  /**
   * Renames an object within its bucket in one catalog step (the bytes stay where they are):
   * the `moveTo` the client's `moveFileAtomic` calls.
   */
  async moveObject(
    bucket: string,
    source: { name: string; preconditions: Preconditions },
    target: { name: string; preconditions: Preconditions },
  ): Promise<ObjectRecord> {
    validateObjectName(target.name);
    let replaced: ObjectRecord | undefined;
    const moved = this.catalog.transaction(() => {
      const from = this.getObject(bucket, source.name, { preconditions: source.preconditions });
      replaced = this.catalog.getObject(bucket, target.name);
      checkPreconditions(replaced, target.preconditions);
      const now = new Date().toISOString();
      const next: ObjectRecord = {
        ...from,
        name: target.name,
        generation: this.catalog.nextGeneration(),
        metageneration: 1,
        created: now,
        updated: now,
      };
      this.catalog.deleteObject(bucket, source.name);
      this.catalog.putObject(next);
      return next;
    });
    if (replaced && replaced.blob !== moved.blob) await rm(this.blobPath(replaced), { force: true });
    return moved;
  }

  /** Changes an object's fields (not its bytes): a new metageneration of the same generation. */
  patchObject(
    bucket: string,
    name: string,
    patch: WritableObjectFields,
    preconditions: Preconditions,
    replace = false,
  ): ObjectRecord {
    return this.catalog.transaction(() => {
      const current = this.getObject(bucket, name, { preconditions });
      const next: ObjectRecord = {
        ...current,
        metageneration: current.metageneration + 1,
        updated: new Date().toISOString(),
      };
      const simple = [
        'contentType',
        'contentEncoding',
        'contentDisposition',
        'contentLanguage',
        'cacheControl',
      ] as const;
      for (const key of simple) {
        if (key in patch) {
          const value = patch[key];
          if (value === null || value === undefined) delete next[key];
          else next[key] = String(value);
        } else if (replace) {
          delete next[key];
        }
      }
      if ('metadata' in patch || replace) {
        const base = replace || patch.metadata === null ? {} : { ...(current.metadata ?? {}) };
        const merged: Record<string, string | null> = { ...base, ...(patch.metadata ?? {}) };
        const metadata = cleanMetadata(merged);
        if (metadata === undefined) delete next.metadata;
        else next.metadata = metadata;
      }
      if (next.contentType === undefined) next.contentType = 'application/octet-stream';
      this.catalog.putObject(next);
      return next;
    });
  }

  /** Deletes the live object (after checking preconditions) and its blob. */
  async deleteObject(
    bucket: string,
    name: string,
    options: { generation?: string; preconditions?: Preconditions } = {},
  ): Promise<void> {
    const record = this.catalog.transaction(() => {
      const current = this.getObject(bucket, name, options);
      this.catalog.deleteObject(bucket, name);
      return current;
    });
    await rm(this.blobPath(record), { force: true });
  }

  /** One page of a bucket's objects, with `delimiter` folding names into `prefixes`. */
  listObjects(bucket: string, query: ListObjectsQuery): ObjectPage {
    this.getBucket(bucket);
    return listObjectPage(this.catalog, bucket, query);
  }
}
