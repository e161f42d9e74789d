/**
 * What the Cloud Storage tasks share: `gs://` URIs, Kestra's `Blob` shape of an object, listing
 * a prefix as Kestra's List does (direct children or everything below, files and/or
 * "directories", a regex on the full URI), downloading objects to internal storage, and the
 * MOVE/DELETE that Downloads and the trigger apply to what they downloaded.
 */
import { posix } from 'node:path';
import type { File, Storage } from '@google-cloud/storage';
import { TaskFailure } from '../../../api.js';
import type { TaskContext } from '../../../api.js';
import { gcpTaskFailure } from '../../clients.js';

/** A `gs://bucket/path` URI, split. */
export interface GsLocation {
  bucket: string;
  /** The object name or prefix inside the bucket (no leading `/`; may be empty). */
  path: string;
}

/** Kestra's `io.kestra.plugin.gcp.gcs.models.Blob`: an object (or a "directory" prefix). */
export type BlobInfo = Record<string, unknown> & { uri: string; bucket: string; name: string; size: number };

export const LISTING_TYPES = ['DIRECTORY', 'RECURSIVE'] as const;
export const LIST_FILTERS = ['FILES', 'DIRECTORY', 'BOTH'] as const;
export const ACTIONS = ['MOVE', 'DELETE', 'NONE'] as const;

/** Splits a `gs://bucket/path` URI; anything else is a task error naming the property. */
export function parseGsUri(value: unknown, property: string): GsLocation {
  const text = typeof value === 'string' ? value.trim() : '';
  const match = /^gs:\/\/([^/]+)\/?(.*)$/.exec(text);
  if (!match) {
    const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
    throw new TaskFailure(
      `\`${property}\` must be a \`gs://bucket/path\` URI, got ${text ? `\`${shown}\`` : 'nothing'}`,
    );
  }
  return { bucket: match[1]!, path: match[2]! };
}

/** The `gs://` URI of an object. */
export function gsUri(bucket: string, name: string): string {
  return `gs://${bucket}/${name}`;
}

/** A user regex matched against a whole `gs://` URI, as Java's `String.matches` does. */
export function fullMatcher(regExp: unknown, property = 'regExp'): ((uri: string) => boolean) | undefined {
  if (typeof regExp !== 'string' || regExp === '') return undefined;
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${regExp})$`, 's');
  } catch (error) {
    throw new TaskFailure(
      `\`${property}\` is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (uri) => pattern.test(uri);
}

const optionalNumber = (value: unknown) =>
  value === undefined || value === null || value === '' ? undefined : Number(value);

/** Kestra's Blob of an object's metadata (the JSON API's object resource). */
export function blobOf(bucket: string, metadata: Record<string, unknown>): BlobInfo {
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const blob: BlobInfo = {
    uri: gsUri(bucket, name),
    bucket,
    name,
    size: optionalNumber(metadata.size) ?? 0,
    isDirectory: false,
  };
  const copy = (to: string, from: string, convert: (value: unknown) => unknown = (v) => v) => {
    const value = metadata[from];
    if (value !== undefined && value !== null) blob[to] = convert(value);
  };
  copy('generatedId', 'id');
  copy('selfLink', 'selfLink');
  copy('mediaLink', 'mediaLink');
  copy('etag', 'etag');
  copy('md5', 'md5Hash');
  copy('crc32c', 'crc32c');
  copy('generation', 'generation', String);
  copy('metaGeneration', 'metageneration', Number);
  copy('contentType', 'contentType');
  copy('contentEncoding', 'contentEncoding');
  copy('contentDisposition', 'contentDisposition');
  copy('contentLanguage', 'contentLanguage');
  copy('cacheControl', 'cacheControl');
  copy('metadata', 'metadata');
  copy('storageClass', 'storageClass');
  copy('createTime', 'timeCreated');
  copy('updateTime', 'updated');
  copy('deleteTime', 'timeDeleted');
  copy('customTime', 'customTime');
  copy('timeStorageClassUpdated', 'timeStorageClassUpdated');
  copy('componentCount', 'componentCount', Number);
  copy('kmsKeyName', 'kmsKeyName');
  copy('eventBasedHold', 'eventBasedHold');
  copy('temporaryHold', 'temporaryHold');
  copy('retentionExpirationTime', 'retentionExpirationTime');
  return blob;
}

/** A "directory" (a common prefix of a DIRECTORY listing) as Kestra shows it. */
function directoryBlob(bucket: string, prefix: string): BlobInfo {
  return { uri: gsUri(bucket, prefix), bucket, name: prefix, size: 0, isDirectory: true };
}

export interface ListOptions {
  listingType?: (typeof LISTING_TYPES)[number];
  filter?: (typeof LIST_FILTERS)[number];
  regExp?: unknown;
  allVersions?: boolean;
  /** Stop after this many matching entries (Downloads' and the trigger's `maxFiles`). */
  limit?: number;
}

/**
 * Lists `from` as Kestra's List does: DIRECTORY = the direct children (objects and the common
 * prefixes, as directories), RECURSIVE = every object below; then `filter` and `regExp` (on the
 * whole `gs://` URI).
 */
export async function listBlobs(
  storage: Storage,
  from: GsLocation,
  options: ListOptions = {},
): Promise<BlobInfo[]> {
  const recursive = options.listingType === 'RECURSIVE';
  const filter = options.filter ?? 'BOTH';
  const matches = fullMatcher(options.regExp);
  const bucket = storage.bucket(from.bucket);
  const out: BlobInfo[] = [];
  const keep = (blob: BlobInfo) => {
    if (filter === 'FILES' && blob.isDirectory) return;
    if (filter === 'DIRECTORY' && !blob.isDirectory) return;
    if (matches && !matches(blob.uri)) return;
    out.push(blob);
  };
  let pageToken: string | undefined;
  try {
    do {
      const [files, , response] = await bucket.getFiles({
        autoPaginate: false,
        maxResults: 1000,
        ...(from.path ? { prefix: from.path } : {}),
        ...(recursive ? {} : { delimiter: '/' }),
        ...(options.allVersions ? { versions: true } : {}),
        ...(pageToken ? { pageToken } : {}),
      });
      const page = (response ?? {}) as { prefixes?: unknown; nextPageToken?: unknown };
      for (const file of files) keep(blobOf(from.bucket, file.metadata));
      if (Array.isArray(page.prefixes)) {
        for (const prefix of page.prefixes) keep(directoryBlob(from.bucket, String(prefix)));
      }
      pageToken =
        typeof page.nextPageToken === 'string' && page.nextPageToken ? page.nextPageToken : undefined;
    } while (pageToken && (options.limit === undefined || out.length < options.limit));
  } catch (error) {
    throw gcpTaskFailure(error, storage);
  }
  return options.limit === undefined ? out : out.slice(0, options.limit);
}

/** A name for a downloaded object in internal storage: its base name, made unique in the run. */
function storedName(name: string, taken: Set<string>): string {
  const base = posix.basename(name) || 'object';
  let candidate = base;
  for (let n = 1; taken.has(candidate); n++) candidate = `${n}_${base}`;
  taken.add(candidate);
  return candidate;
}

/** Streams one object into internal storage; returns its `kestra://` URI. */
export async function downloadObject(
  ctx: TaskContext,
  storage: Storage,
  file: File,
  taken: Set<string> = new Set(),
): Promise<string> {
  try {
    // The metadata first: a missing object is a clear error, not an empty file.
    const [metadata] = await file.getMetadata();
    // MD5 (native) where the object has one, as an upload's; composite objects have only CRC32C.
    const validation = metadata.md5Hash ? 'md5' : 'crc32c';
    return await ctx.storage.putFile(storedName(file.name, taken), file.createReadStream({ validation }));
  } catch (error) {
    throw gcpTaskFailure(error, storage);
  }
}

/**
 * Downloads listed objects into internal storage; each blob gets its `kestra://` URI. With
 * `skipMissing`, an object deleted since the listing is left out rather than failing them all.
 */
export async function downloadBlobs(
  ctx: TaskContext,
  storage: Storage,
  blobs: BlobInfo[],
  options: { skipMissing?: boolean } = {},
): Promise<BlobInfo[]> {
  const taken = new Set<string>();
  const out: BlobInfo[] = [];
  for (const blob of blobs) {
    const file = storage.bucket(blob.bucket).file(blob.name);
    if (options.skipMissing) {
      const [exists] = await file.exists().catch((error: unknown) => {
        throw gcpTaskFailure(error, storage);
      });
      if (!exists) {
        ctx.logger.debug(`${blob.uri} was deleted since it was listed: left out`);
        continue;
      }
    }
    out.push({ ...blob, uri: await downloadObject(ctx, storage, file, taken) });
  }
  return out;
}

/** The destination of a moved object: `moveDirectory` + its base name (as Kestra moves them). */
export function moveTarget(moveDirectory: GsLocation, name: string): GsLocation {
  const directory = moveDirectory.path.replace(/\/+$/, '');
  return { bucket: moveDirectory.bucket, path: `${directory ? `${directory}/` : ''}${posix.basename(name)}` };
}

/** Copies an object, then deletes the source when `move` (Copy with `delete: true`). */
export async function copyObject(
  storage: Storage,
  from: GsLocation,
  to: GsLocation,
  move: boolean,
): Promise<void> {
  const source = storage.bucket(from.bucket).file(from.path);
  const destination: File = storage.bucket(to.bucket).file(to.path);
  try {
    await source.copy(destination);
    if (move) await source.delete();
  } catch (error) {
    throw gcpTaskFailure(error, storage);
  }
}

/** Applies `action` to objects that were downloaded: MOVE them into `moveDirectory`, DELETE them, or nothing. */
export async function archiveBlobs(
  ctx: TaskContext,
  storage: Storage,
  blobs: readonly BlobInfo[],
  action: string,
  moveDirectory: GsLocation | undefined,
): Promise<void> {
  if (action === 'DELETE') {
    for (const blob of blobs) {
      try {
        await storage.bucket(blob.bucket).file(blob.name).delete({ ignoreNotFound: true });
      } catch (error) {
        throw gcpTaskFailure(error, storage);
      }
    }
    ctx.logger.debug(`deleted ${blobs.length} object(s)`);
  } else if (action === 'MOVE' && moveDirectory) {
    for (const blob of blobs) {
      await copyObject(
        storage,
        { bucket: blob.bucket, path: blob.name },
        moveTarget(moveDirectory, blob.name),
        true,
      );
    }
    ctx.logger.debug(`moved ${blobs.length} object(s) to ${gsUri(moveDirectory.bucket, moveDirectory.path)}`);
  }
}

/** `action` and `moveDirectory`, checked: MOVE needs a `gs://` moveDirectory. */
export function actionOf(props: Record<string, unknown>): { action: string; moveDirectory?: GsLocation } {
  const action = typeof props.action === 'string' ? props.action : 'NONE';
  if (action !== 'MOVE') return { action };
  if (props.moveDirectory === undefined || props.moveDirectory === null || props.moveDirectory === '') {
    throw new TaskFailure(
      '`action: MOVE` needs `moveDirectory`, the `gs://bucket/dir/` to move the objects to',
    );
  }
  return { action, moveDirectory: parseGsUri(props.moveDirectory, 'moveDirectory') };
}
