/**
 * The Cloud Storage JSON API as an encapsulated Fastify plugin: buckets, objects (metadata,
 * list, patch, delete, copyTo, rewriteTo, compose), media downloads and uploads. It parses no
 * request bodies itself (uploads stay streams; JSON bodies are read by the handlers that take
 * them) and answers errors in Google's JSON shape. The JSON routes are served both under
 * `/storage/v1` and at the root, because the official Node client, given only
 * `STORAGE_EMULATOR_HOST=http://host:port`, calls `http://host:port/b/...`.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sendObjectMedia } from './downloads.js';
import { StorageApiError, googleErrorBody } from './errors.js';
import { writeHashedFile } from './hashing.js';
import {
  baseUrlOf,
  decodeSegment,
  objectFieldsOf,
  optionalCount,
  optionalString,
  optionalStringMap,
  preconditionsOf,
  queryOf,
  rawPathOf,
  readJsonBody,
} from './http.js';
import type { LocalStorageStore, WritableObjectFields } from './local-store.js';
import { bucketResource, objectResource } from './resources.js';
import { UploadHandler } from './uploads.js';

/** Options of the storage plugin. */
export interface StorageRoutesOptions {
  store: LocalStorageStore;
  /** Default project for bucket inserts without `?project=`. */
  defaultProject?: string;
}

type BucketParams = { Params: { bucket: string } };

/**
 * Bucket fields the emulator keeps and echoes without acting on them (no versioning, lifecycle
 * or retention is applied), so clients that set them read back what they set.
 */
const ECHOED_BUCKET_SETTINGS = [
  'versioning',
  'billing',
  'lifecycle',
  'defaultEventBasedHold',
  'iamConfiguration',
  'retentionPolicy',
  'softDeletePolicy',
  'cors',
  'website',
  'logging',
  'encryption',
  'autoclass',
  'rpo',
  'customPlacementConfig',
  'hierarchicalNamespace',
] as const;

function bucketSettingsOf(body: Record<string, unknown>): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const key of ECHOED_BUCKET_SETTINGS) if (key in body) settings[key] = body[key];
  return settings;
}

/** The object path after `/b/{bucket}/o/`, split into its name and an optional action. */
interface ObjectPath {
  bucket: string;
  name: string;
  action?:
    | { kind: 'copyTo' | 'rewriteTo'; bucket: string; name: string }
    | { kind: 'moveTo'; name: string }
    | { kind: 'compose' };
}

const OBJECT_PATH = /^(?:\/storage\/v1|\/download\/storage\/v1)?\/b\/([^/]+)\/o\/(.+)$/;

function parseObjectPath(request: FastifyRequest): ObjectPath {
  const match = OBJECT_PATH.exec(rawPathOf(request));
  if (!match) throw new StorageApiError('invalid', 'Invalid object path.');
  const bucket = decodeSegment(match[1]!);
  const rest = match[2]!;
  const action = /^(.+?)\/(copyTo|rewriteTo)\/b\/([^/]+)\/o\/(.+)$/.exec(rest);
  if (action && request.method === 'POST') {
    return {
      bucket,
      name: decodeSegment(action[1]!),
      action: {
        kind: action[2] as 'copyTo' | 'rewriteTo',
        bucket: decodeSegment(action[3]!),
        name: decodeSegment(action[4]!),
      },
    };
  }
  const move = /^(.+?)\/moveTo\/o\/(.+)$/.exec(rest);
  if (move && request.method === 'POST') {
    return {
      bucket,
      name: decodeSegment(move[1]!),
      action: { kind: 'moveTo', name: decodeSegment(move[2]!) },
    };
  }
  if (request.method === 'POST' && rest.endsWith('/compose')) {
    return { bucket, name: decodeSegment(rest.slice(0, -'/compose'.length)), action: { kind: 'compose' } };
  }
  return { bucket, name: decodeSegment(rest) };
}

/** Registers the storage routes; see the file comment. */
export function storageRoutes(options: StorageRoutesOptions): FastifyPluginAsync {
  const { store } = options;
  const uploads = new UploadHandler(store);
  const defaultProject = options.defaultProject ?? 'windhover-emulator';

  return (app: FastifyInstance) => {
    app.removeAllContentTypeParsers();
    // Bodies stay unread on request.raw: handlers stream uploads and read JSON themselves.
    app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

    app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
      if (error instanceof StorageApiError) {
        return reply.code(error.status).send(googleErrorBody(error.status, error.reason, error.message));
      }
      const status = error.statusCode;
      if (status !== undefined && status >= 400 && status < 500) {
        return reply.code(status).send(googleErrorBody(status, 'invalid', error.message));
      }
      if (
        error.code === 'ECONNRESET' ||
        error.code === 'ERR_STREAM_PREMATURE_CLOSE' ||
        error.message === 'aborted'
      ) {
        // The client went away mid-request: nothing to answer.
        request.log.debug({ err: error }, 'storage request aborted by the client');
        return reply.code(400).send(googleErrorBody(400, 'invalid', 'The request body ended early.'));
      }
      request.log.error({ err: error }, 'storage emulator error');
      return reply
        .code(500)
        .send(googleErrorBody(500, 'internalError', 'Internal error in the storage emulator; see its log.'));
    });

    const objectGet = async (request: FastifyRequest, reply: FastifyReply) => {
      const query = queryOf(request);
      const path = parseObjectPath(request);
      const record = store.getObject(path.bucket, path.name, {
        generation: query.generation,
        preconditions: preconditionsOf(query),
      });
      const isDownload = rawPathOf(request).startsWith('/download/') || query.alt === 'media';
      if (isDownload) return sendObjectMedia(request, reply, store, record);
      return objectResource(record, baseUrlOf(request));
    };

    for (const prefix of ['/storage/v1', '']) {
      // ---- buckets ----
      app.get(`${prefix}/b`, (request) => {
        const query = queryOf(request);
        const listQuery: { prefix?: string; pageToken?: string; maxResults?: number } = {};
        if (query.prefix !== undefined) listQuery.prefix = query.prefix;
        if (query.pageToken !== undefined) listQuery.pageToken = query.pageToken;
        const max = optionalCount(query, 'maxResults');
        if (max !== undefined) listQuery.maxResults = max;
        const page = store.listBuckets(listQuery);
        const base = baseUrlOf(request);
        const body: Record<string, unknown> = {
          kind: 'storage#buckets',
          items: page.items.map((b) => bucketResource(b, base)),
        };
        if (page.nextPageToken !== undefined) body.nextPageToken = page.nextPageToken;
        return body;
      });

      app.post(`${prefix}/b`, async (request) => {
        const query = queryOf(request);
        const body = await readJsonBody(request);
        const name = optionalString(body, 'name');
        if (name === undefined) throw new StorageApiError('required', 'Required: the bucket name.');
        const input: Parameters<LocalStorageStore['createBucket']>[0] = {
          name,
          projectId: query.project ?? defaultProject,
          settings: bucketSettingsOf(body),
        };
        const location = optionalString(body, 'location');
        const storageClass = optionalString(body, 'storageClass');
        if (location !== undefined) input.location = location;
        if (storageClass !== undefined) input.storageClass = storageClass;
        const labels = optionalStringMap(body, 'labels');
        if (labels)
          input.labels = Object.fromEntries(
            Object.entries(labels).filter((e): e is [string, string] => e[1] !== null),
          );
        return bucketResource(store.createBucket(input), baseUrlOf(request));
      });

      app.get<BucketParams>(`${prefix}/b/:bucket`, (request) =>
        bucketResource(store.getBucket(request.params.bucket), baseUrlOf(request)),
      );

      const bucketPatch = async (request: FastifyRequest<BucketParams>) => {
        const body = await readJsonBody(request);
        const patch: Parameters<LocalStorageStore['patchBucket']>[1] = { settings: bucketSettingsOf(body) };
        const storageClass = optionalString(body, 'storageClass');
        if (storageClass !== undefined) patch.storageClass = storageClass;
        const labels = optionalStringMap(body, 'labels');
        if (labels !== undefined) patch.labels = labels;
        return bucketResource(store.patchBucket(request.params.bucket, patch), baseUrlOf(request));
      };
      app.patch<BucketParams>(`${prefix}/b/:bucket`, bucketPatch);
      app.put<BucketParams>(`${prefix}/b/:bucket`, bucketPatch);

      app.delete<BucketParams>(`${prefix}/b/:bucket`, (request, reply) => {
        store.deleteBucket(request.params.bucket);
        return reply.code(204).send();
      });

      // ---- objects ----
      app.get<BucketParams>(`${prefix}/b/:bucket/o`, (request) => {
        const query = queryOf(request);
        const listQuery: Parameters<LocalStorageStore['listObjects']>[1] = {};
        for (const key of [
          'prefix',
          'delimiter',
          'pageToken',
          'startOffset',
          'endOffset',
          'matchGlob',
        ] as const) {
          if (query[key] !== undefined && query[key] !== '') listQuery[key] = query[key];
        }
        const max = optionalCount(query, 'maxResults');
        if (max !== undefined) listQuery.maxResults = max;
        if (query.includeTrailingDelimiter === 'true') listQuery.includeTrailingDelimiter = true;
        const page = store.listObjects(request.params.bucket, listQuery);
        const base = baseUrlOf(request);
        const body: Record<string, unknown> = { kind: 'storage#objects' };
        if (page.prefixes.length > 0) body.prefixes = page.prefixes;
        body.items = page.items.map((o) => objectResource(o, base));
        if (page.nextPageToken !== undefined) body.nextPageToken = page.nextPageToken;
        return body;
      });

      app.get(`${prefix}/b/:bucket/o/*`, objectGet);

      const objectPatch = (replace: boolean) => async (request: FastifyRequest) => {
        const query = queryOf(request);
        const path = parseObjectPath(request);
        const body = await readJsonBody(request);
        const record = store.patchObject(
          path.bucket,
          path.name,
          objectFieldsOf(body),
          preconditionsOf(query),
          replace,
        );
        return objectResource(record, baseUrlOf(request));
      };
      app.patch(`${prefix}/b/:bucket/o/*`, objectPatch(false));
      app.put(`${prefix}/b/:bucket/o/*`, objectPatch(true));

      app.delete(`${prefix}/b/:bucket/o/*`, async (request, reply) => {
        const query = queryOf(request);
        const path = parseObjectPath(request);
        await store.deleteObject(path.bucket, path.name, {
          generation: query.generation,
          preconditions: preconditionsOf(query),
        });
        return reply.code(204).send();
      });

      app.post(`${prefix}/b/:bucket/o/*`, async (request) => {
        const query = queryOf(request);
        const path = parseObjectPath(request);
        const body = await readJsonBody(request);
        const base = baseUrlOf(request);
        if (path.action?.kind === 'copyTo' || path.action?.kind === 'rewriteTo') {
          const overrides: WritableObjectFields = objectFieldsOf(body);
          const record = await store.copyObject(
            {
              bucket: path.bucket,
              name: path.name,
              generation: query.sourceGeneration,
              preconditions: preconditionsOf(query, 'Source'),
            },
            { bucket: path.action.bucket, name: path.action.name, preconditions: preconditionsOf(query) },
            Object.keys(overrides).length > 0 ? overrides : undefined,
          );
          const resource = objectResource(record, base);
          if (path.action.kind === 'copyTo') return resource;
          return {
            kind: 'storage#rewriteResponse',
            totalBytesRewritten: String(record.size),
            objectSize: String(record.size),
            done: true,
            resource,
          };
        }
        if (path.action?.kind === 'moveTo') {
          const record = await store.moveObject(
            path.bucket,
            { name: path.name, preconditions: preconditionsOf(query, 'Source') },
            { name: path.action.name, preconditions: preconditionsOf(query) },
          );
          return objectResource(record, base);
        }
        if (path.action?.kind === 'compose') {
          const sources = body.sourceObjects;
          if (!Array.isArray(sources) || sources.length === 0 || sources.length > 32) {
            throw new StorageApiError(
              'invalid',
              'compose needs sourceObjects: 1 to 32 objects of the same bucket.',
            );
          }
          const records = sources.map((source: unknown) => {
            const entry = (source ?? {}) as {
              name?: unknown;
              generation?: string | number;
              objectPreconditions?: { ifGenerationMatch?: string | number };
            };
            if (typeof entry.name !== 'string')
              throw new StorageApiError('invalid', 'Each of sourceObjects needs a name.');
            const wanted = entry.objectPreconditions?.ifGenerationMatch;
            const preconditions = wanted === undefined ? {} : { ifGenerationMatch: String(wanted) };
            const generation = entry.generation === undefined ? undefined : String(entry.generation);
            return store.getObject(path.bucket, entry.name, { generation, preconditions });
          });
          const file = store.tempFile();
          const concatenated = Readable.from(
            (async function* () {
              for (const record of records)
                yield* createReadStream(store.blobPath(record), {
                  highWaterMark: 1024 * 1024,
                }) as AsyncIterable<Buffer>;
            })(),
          );
          const digest = await writeHashedFile(concatenated, file);
          const destination = (body.destination ?? {}) as Record<string, unknown>;
          const fields = objectFieldsOf(destination);
          if (fields.contentType === undefined && records[0]?.contentType !== undefined)
            fields.contentType = records[0].contentType;
          const record = await store.commitBlob(
            path.bucket,
            path.name,
            file,
            digest,
            fields,
            preconditionsOf(query),
          );
          return objectResource(record, base);
        }
        throw new StorageApiError('invalid', 'Unknown object action: use copyTo, rewriteTo or compose.');
      });
    }

    // ---- media downloads and uploads ----
    app.get('/download/storage/v1/b/:bucket/o/*', objectGet);
    app.post<BucketParams>('/upload/storage/v1/b/:bucket/o', (request, reply) =>
      uploads.post(request, reply),
    );
    app.put<BucketParams>('/upload/storage/v1/b/:bucket/o', (request, reply) => uploads.put(request, reply));
    app.delete<BucketParams>('/upload/storage/v1/b/:bucket/o', (request, reply) =>
      uploads.cancel(request, reply),
    );
    return Promise.resolve();
  };
}
