/**
 * Namespace files (the files tasks read with `namespaceFiles` and the namespace tasks), with
 * Kestra's paths: content, directory listing, stats, search, upload (multipart `fileContent`),
 * move and delete. Files live in the internal storage under `kestra:///<ns as path>/_files/`;
 * a directory is any path with files below it (there are no empty directories).
 */
import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { InternalStorage } from '../../storage/contract.js';
import type { ServerDeps } from '../deps.js';
import { queryParameters } from '../openapi.js';
import { namespaceFilePath, namespaceParam } from './namespace-param.js';
import { uploadedFile } from './uploads.js';

/** Kestra's `FileAttributes` of a namespace file or directory. */
export interface FileAttributesView {
  fileName: string;
  type: 'File' | 'Directory';
  size: number;
  /** Epoch milliseconds; absent for directories. */
  lastModifiedTime?: number;
  creationTime?: number;
  metadata: Record<string, string>;
}

interface NamespaceRoute {
  Params: { namespace: string };
  Querystring: { path?: string; q?: string; from?: string; to?: string };
}

const TAGS = ['Files'];
const PATH = queryParameters({ path: 'The path in the namespace, such as /scripts/main.py' });
const DIRECTORY = queryParameters({ path: 'The directory (the root when absent)' });

/** The files of one namespace, by `/`-separated relative path. */
class NamespaceFiles {
  constructor(
    private readonly storage: InternalStorage,
    readonly namespace: string,
  ) {}

  uri(path: string): string {
    return this.storage.namespaceFileUri(this.namespace, path);
  }

  /** Every file path of the namespace, sorted. */
  async all(): Promise<string[]> {
    const root = this.storage.namespaceFilesRoot(this.namespace);
    const uris = await this.storage.list(root);
    return uris.map((uri) =>
      uri
        .slice(root.length + 1)
        .split('/')
        .map(decodeURIComponent)
        .join('/'),
    );
  }

  /** What a path is: a file, a directory (files below it, or the root), or nothing. */
  async kindOf(path: string, files?: readonly string[]): Promise<'File' | 'Directory' | undefined> {
    if (path === '') return 'Directory';
    const list = files ?? (await this.all());
    if (list.includes(path)) return 'File';
    return list.some((file) => file.startsWith(`${path}/`)) ? 'Directory' : undefined;
  }

  async fileAttributes(path: string): Promise<FileAttributesView> {
    const fileName = path.slice(path.lastIndexOf('/') + 1);
    const local = await stat(await this.storage.localPath(this.uri(path)));
    return {
      fileName,
      type: 'File',
      size: local.size,
      lastModifiedTime: local.mtimeMs,
      creationTime: local.birthtimeMs || local.ctimeMs,
      metadata: {},
    };
  }

  notFound(path: string): WindhoverError {
    return new WindhoverError(
      ErrorCodes.NAMESPACE_FILE_NOT_FOUND,
      `No namespace file or directory /${path} in namespace ${this.namespace}`,
      { namespace: this.namespace, path: `/${path}` },
    );
  }
}

/** The files of a directory (recursive), relative to the namespace root. */
function filesBelow(files: readonly string[], dir: string): string[] {
  return dir === '' ? [...files] : files.filter((file) => file.startsWith(`${dir}/`));
}

/** Registers the namespace-files routes. */
export function registerNamespaceFileRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const filesOf = (namespace: unknown) => new NamespaceFiles(deps.storage, namespaceParam(namespace));

  app.get<NamespaceRoute>(
    '/namespaces/:namespace/files',
    { schema: { summary: 'Get the content of a namespace file (?path=)', tags: TAGS, querystring: PATH } },
    async (request, reply) => {
      const files = filesOf(request.params.namespace);
      const path = namespaceFilePath(request.query.path, 'path');
      if ((await files.kindOf(path)) !== 'File') throw files.notFound(path);
      const stream = await deps.storage.readStream(files.uri(path));
      return reply.type('application/octet-stream').send(stream);
    },
  );

  app.get<NamespaceRoute>(
    '/namespaces/:namespace/files/stats',
    {
      schema: {
        summary: 'Get the attributes of a namespace file or directory (?path=)',
        tags: TAGS,
        querystring: DIRECTORY,
      },
    },
    async (request) => {
      const files = filesOf(request.params.namespace);
      const path = namespaceFilePath(request.query.path, 'path', { root: true });
      const all = await files.all();
      const kind = await files.kindOf(path, all);
      if (kind === undefined) throw files.notFound(path);
      if (kind === 'File') return files.fileAttributes(path);
      return {
        fileName: path.slice(path.lastIndexOf('/') + 1),
        type: 'Directory',
        size: filesBelow(all, path).length,
        metadata: {},
      } satisfies FileAttributesView;
    },
  );

  app.get<NamespaceRoute>(
    '/namespaces/:namespace/files/directory',
    {
      schema: {
        summary: 'List a directory of namespace files (?path=, the root by default)',
        tags: TAGS,
        querystring: DIRECTORY,
      },
    },
    async (request) => {
      const files = filesOf(request.params.namespace);
      const path = namespaceFilePath(request.query.path, 'path', { root: true });
      const all = await files.all();
      const kind = await files.kindOf(path, all);
      // The root of a namespace without files is an empty directory, not a 404.
      if (kind === undefined && path !== '') throw files.notFound(path);
      if (kind === 'File')
        throw new WindhoverError(ErrorCodes.REQUEST_INVALID, `/${path} is a file, not a directory`);
      const base = path === '' ? '' : `${path}/`;
      const children = new Map<string, 'File' | 'Directory'>();
      for (const file of filesBelow(all, path)) {
        const rest = file.slice(base.length);
        const slash = rest.indexOf('/');
        children.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? 'File' : 'Directory');
      }
      const out: FileAttributesView[] = [];
      for (const [name, type] of children) {
        out.push(
          type === 'File'
            ? await files.fileAttributes(`${base}${name}`)
            : {
                fileName: name,
                type,
                size: filesBelow(all, `${base}${name}`).length,
                metadata: {},
              },
        );
      }
      return out;
    },
  );

  app.get<NamespaceRoute>(
    '/namespaces/:namespace/files/search',
    {
      schema: {
        summary: 'Find namespace files whose path contains ?q=',
        tags: TAGS,
        querystring: queryParameters({ q: 'Text the path contains (any case)' }),
      },
    },
    async (request) => {
      const files = filesOf(request.params.namespace);
      const query = (request.query.q ?? '').toLowerCase();
      return (await files.all()).filter((path) => path.toLowerCase().includes(query)).map((p) => `/${p}`);
    },
  );

  app.post<NamespaceRoute>(
    '/namespaces/:namespace/files',
    {
      schema: {
        summary: 'Upload a namespace file (?path=; multipart form with the file as `fileContent`)',
        tags: TAGS,
        querystring: PATH,
      },
    },
    async (request) => {
      const files = filesOf(request.params.namespace);
      const path = namespaceFilePath(request.query.path, 'path');
      if ((await files.kindOf(path)) === 'Directory')
        throw new WindhoverError(ErrorCodes.REQUEST_INVALID, `/${path} is a directory; give a file path`);
      const uri = files.uri(path);
      let written = false;
      let touched = false;
      try {
        for await (const part of request.parts()) {
          if (part.type !== 'file') continue;
          if (part.fieldname !== 'fileContent' || written) {
            part.file.resume();
            continue;
          }
          touched = true;
          await deps.storage.put(uri, uploadedFile(part.file));
          // Past maxUploadSize the stream just ends early: the cut file must not stay.
          if (part.file.truncated)
            throw new WindhoverError(
              ErrorCodes.BODY_TOO_LARGE,
              'The uploaded file is too large for this server (see server.maxUploadSize in docs/configuration.md).',
            );
          written = true;
        }
      } catch (error) {
        // A file cut short (too large, client gone) is not left half written.
        if (touched) await deps.storage.delete(uri).catch(() => false);
        throw error;
      }
      if (!written)
        throw new WindhoverError(
          ErrorCodes.REQUEST_INVALID,
          'No file in the request: send a multipart form with the file in the field `fileContent`',
        );
      return files.fileAttributes(path);
    },
  );

  app.put<NamespaceRoute>(
    '/namespaces/:namespace/files',
    {
      schema: {
        summary: 'Move a namespace file or directory (?from=&to=)',
        tags: TAGS,
        querystring: queryParameters({
          from: 'The file or directory to move',
          to: 'Its new path (must not exist)',
        }),
      },
    },
    async (request, reply) => {
      const files = filesOf(request.params.namespace);
      const from = namespaceFilePath(request.query.from, 'from');
      const to = namespaceFilePath(request.query.to, 'to');
      const all = await files.all();
      const kind = await files.kindOf(from, all);
      if (kind === undefined) throw files.notFound(from);
      if (to === from || to.startsWith(`${from}/`))
        throw new WindhoverError(ErrorCodes.REQUEST_INVALID, `Cannot move /${from} into itself (/${to})`);
      if ((await files.kindOf(to, all)) !== undefined)
        throw new WindhoverError(
          ErrorCodes.REQUEST_INVALID,
          `/${to} exists already in namespace ${files.namespace}: delete it first, or choose another name`,
        );
      const moves = kind === 'File' ? [from] : filesBelow(all, from);
      for (const source of moves) {
        const target = `${to}${source.slice(from.length)}`;
        await deps.storage.put(files.uri(target), await deps.storage.readStream(files.uri(source)));
        await deps.storage.delete(files.uri(source));
      }
      return reply.status(204).send();
    },
  );

  app.delete<NamespaceRoute>(
    '/namespaces/:namespace/files',
    {
      schema: {
        summary: 'Delete a namespace file, or a directory and every file in it (?path=)',
        tags: TAGS,
        querystring: PATH,
      },
    },
    async (request, reply) => {
      const files = filesOf(request.params.namespace);
      const path = namespaceFilePath(request.query.path, 'path');
      const all = await files.all();
      const kind = await files.kindOf(path, all);
      if (kind === undefined) throw files.notFound(path);
      for (const file of kind === 'File' ? [path] : filesBelow(all, path))
        await deps.storage.delete(files.uri(file));
      return reply.status(204).send();
    },
  );
}
