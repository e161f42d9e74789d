/**
 * How the Cloud Storage object tasks run: Upload, Download, Downloads, Copy, Delete, DeleteList
 * and List, on the official client (see ../../clients.ts for auth and endpoints).
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TaskFailure } from '../../../api.js';
import type { TaskContext, TaskOutcome } from '../../../api.js';
import { allowedLocalFile } from '../../../local-files.js';
import { gcpConnection, gcpTaskFailure, storageClient } from '../../clients.js';
import {
  actionOf,
  archiveBlobs,
  copyObject,
  downloadBlobs,
  downloadObject,
  gsUri,
  listBlobs,
  parseGsUri,
} from './objects.js';
import type { ListOptions } from './objects.js';

/**
 * Uploads at least this large go as resumable uploads (a session, then the bytes streamed in one
 * request); smaller ones as one multipart request. Either way nothing is left behind on failure:
 * an unfinished resumable session creates no object.
 */
export const RESUMABLE_THRESHOLD = 5 * 1024 * 1024;

/** The file to upload: a `kestra://` URI, or a path (relative ones from the working directory). */
async function uploadSource(
  ctx: TaskContext,
  from: unknown,
): Promise<{ size: number; open: () => Promise<Readable> }> {
  const text = typeof from === 'string' ? from.trim() : '';
  if (!text)
    throw new TaskFailure(
      '`from` is empty: give a `kestra://` URI (e.g. `{{ outputs.download.uri }}`) or a file path',
    );
  if (text.startsWith('kestra://')) {
    if (!(await ctx.storage.exists(text))) {
      throw new TaskFailure(`\`from\`: no file at \`${text}\` in internal storage`);
    }
    return { size: await ctx.storage.size(text), open: () => ctx.storage.readStream(text) };
  }
  const { path, size } = await allowedLocalFile(ctx, text, 'from');
  return { size, open: () => Promise.resolve(createReadStream(path)) };
}

/** `to`, or `bucket` + a relative `to` (the course notes' form, when `to` was an expression). */
function uploadTarget(props: Record<string, unknown>): string {
  const to = typeof props.to === 'string' ? props.to.trim() : '';
  const bucket = typeof props.bucket === 'string' ? props.bucket.trim() : '';
  if (!bucket || to.startsWith('gs://')) return to;
  return `gs://${bucket.replace(/^gs:\/\//, '').replace(/\/+$/, '')}/${to.replace(/^\/+/, '')}`;
}

/** Upload: streams a file to a `gs://` object. */
export async function runUpload(ctx: TaskContext, props: Record<string, unknown>): Promise<TaskOutcome> {
  const target = parseGsUri(uploadTarget(props), 'to');
  if (!target.path || target.path.endsWith('/')) {
    throw new TaskFailure(
      `\`to\` must name an object, not a bucket or folder: \`${gsUri(target.bucket, target.path)}\``,
    );
  }
  const source = await uploadSource(ctx, props.from);
  const storage = await storageClient(ctx, gcpConnection(props));
  const metadata: Record<string, string> = {};
  for (const key of ['contentType', 'contentEncoding', 'contentDisposition', 'cacheControl']) {
    if (typeof props[key] === 'string' && props[key] !== '') metadata[key] = props[key];
  }
  const resumable = source.size >= RESUMABLE_THRESHOLD;
  const file = storage.bucket(target.bucket).file(target.path);
  ctx.logger.debug(
    `uploading ${source.size} bytes to ${gsUri(target.bucket, target.path)} (${resumable ? 'resumable' : 'multipart'})`,
  );
  try {
    await pipeline(
      await source.open(),
      file.createWriteStream({
        resumable,
        // Checked with MD5, Node's native hash: the client's default, CRC32C, is a JavaScript
        // loop that held a 200 MB upload to 135 MB/s where MD5 allows 207 (bench:gcp-upload).
        // A mismatch still deletes the object.
        validation: 'md5',
        metadata,
        ...(metadata.contentType ? { contentType: metadata.contentType } : {}),
      }),
      { signal: ctx.signal },
    );
  } catch (error) {
    throw gcpTaskFailure(error, storage);
  }
  return { outputs: { uri: gsUri(target.bucket, target.path) } };
}

/** Download: one object into internal storage. */
export async function runDownload(ctx: TaskContext, props: Record<string, unknown>): Promise<TaskOutcome> {
  const from = parseGsUri(props.from, 'from');
  if (!from.path)
    throw new TaskFailure(`\`from\` must name an object, not only a bucket: \`${String(props.from)}\``);
  const storage = await storageClient(ctx, gcpConnection(props));
  const uri = await downloadObject(ctx, storage, storage.bucket(from.bucket).file(from.path));
  return { outputs: { bucket: from.bucket, path: from.path, uri } };
}

/** The listing options of List, Downloads, DeleteList and the trigger. */
export function listOptionsOf(props: Record<string, unknown>): ListOptions {
  const options: ListOptions = {
    listingType: props.listingType === 'RECURSIVE' ? 'RECURSIVE' : 'DIRECTORY',
    regExp: props.regExp,
  };
  if (props.allVersions === true) options.allVersions = true;
  if (typeof props.maxFiles === 'number') options.limit = props.maxFiles;
  return options;
}

/** Downloads: every object of a listing into internal storage, then MOVE/DELETE/NONE. */
export async function runDownloads(ctx: TaskContext, props: Record<string, unknown>): Promise<TaskOutcome> {
  const from = parseGsUri(props.from, 'from');
  const { action, moveDirectory } = actionOf(props);
  const storage = await storageClient(ctx, gcpConnection(props));
  const listed = await listBlobs(storage, from, { ...listOptionsOf(props), filter: 'FILES' });
  const blobs = await downloadBlobs(ctx, storage, listed);
  await archiveBlobs(ctx, storage, listed, action, moveDirectory);
  ctx.logger.info(`downloaded ${blobs.length} object(s) from ${gsUri(from.bucket, from.path)}`);
  return {
    outputs: { blobs, outputFiles: Object.fromEntries(blobs.map((blob) => [blob.name, blob.uri])) },
  };
}

/** Copy: one object to another `gs://` path; `delete: true` moves it. */
export async function runCopy(ctx: TaskContext, props: Record<string, unknown>): Promise<TaskOutcome> {
  const from = parseGsUri(props.from, 'from');
  const to = parseGsUri(props.to, 'to');
  if (!from.path) throw new TaskFailure('`from` must name an object, not only a bucket');
  if (!to.path) to.path = from.path.split('/').pop()!;
  else if (to.path.endsWith('/')) to.path += from.path.split('/').pop()!;
  const storage = await storageClient(ctx, gcpConnection(props));
  await copyObject(storage, from, to, props.delete === true);
  return { outputs: { uri: gsUri(to.bucket, to.path) } };
}

/** Whether an error is Google's 404. */
function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 404;
}

/** Delete: one object; a missing one is fine unless `errorOnMissing`. */
export async function runDelete(ctx: TaskContext, props: Record<string, unknown>): Promise<TaskOutcome> {
  const uri = parseGsUri(props.uri, 'uri');
  if (!uri.path) throw new TaskFailure('`uri` must name an object, not only a bucket (see DeleteBucket)');
  const storage = await storageClient(ctx, gcpConnection(props));
  const shown = gsUri(uri.bucket, uri.path);
  try {
    await storage.bucket(uri.bucket).file(uri.path).delete();
  } catch (error) {
    if (!isNotFound(error)) throw gcpTaskFailure(error, storage);
    if (props.errorOnMissing === true) throw new TaskFailure(`notFound: no object ${shown} to delete`);
    ctx.logger.debug(`${shown} does not exist: nothing to delete`);
    return { outputs: { uri: shown, deleted: false } };
  }
  return { outputs: { uri: shown, deleted: true } };
}

/** DeleteList: every object of a listing (files only), `concurrent` at a time. */
export async function runDeleteList(ctx: TaskContext, props: Record<string, unknown>): Promise<TaskOutcome> {
  const from = parseGsUri(props.from, 'from');
  const storage = await storageClient(ctx, gcpConnection(props));
  const blobs = await listBlobs(storage, from, { ...listOptionsOf(props), filter: 'FILES' });
  const parallel = typeof props.concurrent === 'number' && props.concurrent > 1 ? props.concurrent : 1;
  let count = 0;
  let size = 0;
  for (let start = 0; start < blobs.length; start += parallel) {
    const batch = blobs.slice(start, start + parallel);
    const deleted = await Promise.all(
      batch.map(async (blob) => {
        try {
          await storage.bucket(blob.bucket).file(blob.name).delete();
          return blob.size;
        } catch (error) {
          if (isNotFound(error)) return undefined;
          throw gcpTaskFailure(error, storage);
        }
      }),
    );
    for (const bytes of deleted) {
      if (bytes === undefined) continue;
      count++;
      size += bytes;
    }
  }
  if (count === 0 && props.errorOnEmpty === true) {
    throw new TaskFailure(`no object to delete under ${gsUri(from.bucket, from.path)}`);
  }
  ctx.logger.info(`deleted ${count} object(s), ${size} bytes`);
  return { outputs: { count, size } };
}

/** List: the objects (and directories) under a prefix. */
export async function runList(ctx: TaskContext, props: Record<string, unknown>): Promise<TaskOutcome> {
  const from = parseGsUri(props.from, 'from');
  const storage = await storageClient(ctx, gcpConnection(props));
  const filter = props.filter === 'FILES' || props.filter === 'DIRECTORY' ? props.filter : 'BOTH';
  const blobs = await listBlobs(storage, from, { ...listOptionsOf(props), filter });
  ctx.logger.debug(`found ${blobs.length} blob(s) under ${gsUri(from.bucket, from.path)}`);
  return { outputs: { blobs } };
}
