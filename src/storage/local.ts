import { createReadStream, createWriteStream } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExecutionFilesScope, InternalStorage } from './contract.js';
import { StorageFileNotFound, StoragePathError } from './contract.js';
import {
  childUri,
  executionPrefix,
  inputFileUri,
  namespaceFileUri,
  namespaceFilesRoot,
  storagePath,
  taskRunFileUri,
} from './uri.js';

/** Internal storage on local disk: `kestra:///a/b` is the file `<root>/a/b`. */
export class LocalStorage implements InternalStorage {
  readonly root: string;
  /** The root's real path (made on first use), against which every path is checked. */
  private realRoot: Promise<string> | undefined;

  constructor(root: string) {
    this.root = resolve(root);
  }

  taskRunFileUri(scope: ExecutionFilesScope, taskId: string, taskRunId: string, name: string): string {
    return taskRunFileUri(scope, taskId, taskRunId, name);
  }

  inputFileUri(scope: ExecutionFilesScope, inputId: string, name: string): string {
    return inputFileUri(scope, inputId, name);
  }

  namespaceFileUri(namespace: string, path: string): string {
    return namespaceFileUri(namespace, path);
  }

  namespaceFilesRoot(namespace: string): string {
    return namespaceFilesRoot(namespace);
  }

  async list(prefix: string): Promise<string[]> {
    const base = prefix.replace(/\/+$/, '');
    const dir = this.pathOf(base);
    const files = await withStoragePath(prefix, () => listFiles(dir));
    return files.map((f) => childUri(base, relative(dir, f).split(sep).join('/'))).sort();
  }

  /** The local path of a URI, refusing anything that leaves the root. */
  pathOf(uri: string): string {
    return join(this.root, ...storagePath(uri).split('/'));
  }

  async put(uri: string, content: Buffer | string | Readable): Promise<number> {
    const path = await this.checkedPath(uri);
    return withStoragePath(uri, async () => {
      await mkdir(dirname(path), { recursive: true });
      return this.replaceAtomically(path, async (temp) => {
        if (typeof content === 'string' || Buffer.isBuffer(content)) await writeFile(temp, content);
        else await pipeline(content, createWriteStream(temp));
      });
    });
  }

  async putLocalFile(uri: string, localPath: string): Promise<number> {
    const path = await this.checkedPath(uri);
    return withStoragePath(uri, async () => {
      await mkdir(dirname(path), { recursive: true });
      return this.replaceAtomically(path, (temp) => copyFile(localPath, temp));
    });
  }

  /**
   * The local path of a URI, refusing one that passes through a symbolic link: the deepest
   * part of it that exists must really be where the URI says, inside the root. (Links made in
   * the data folder by hand or by a script would otherwise lead reads and writes elsewhere.)
   */
  private async checkedPath(uri: string): Promise<string> {
    const path = this.pathOf(uri);
    const realRoot = await (this.realRoot ??= mkdir(this.root, { recursive: true }).then(() =>
      realpath(this.root),
    ));
    for (let existing = path; existing.length > this.root.length; existing = dirname(existing)) {
      let real: string;
      try {
        real = await realpath(existing);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') continue;
        throw storagePathError(uri, error);
      }
      if (real !== join(realRoot, relative(this.root, existing)))
        throw new StoragePathError(
          uri,
          'it passes through a symbolic link, which internal storage does not follow',
        );
      break;
    }
    return path;
  }

  /**
   * Writes a temporary file, then renames it over `path`: readers and concurrent writers of the
   * same URI see a whole file (the last rename wins), never two writes interleaved.
   */
  private async replaceAtomically(path: string, write: (temp: string) => Promise<void>): Promise<number> {
    const tempDir = join(this.root, '.tmp'); // inside the root: same filesystem, so rename is atomic
    await mkdir(tempDir, { recursive: true });
    const temp = join(tempDir, randomUUID());
    try {
      await write(temp);
      const { size } = await stat(temp);
      await rename(temp, path);
      return size;
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async readStream(uri: string): Promise<Readable> {
    const path = await this.existingPath(uri);
    return createReadStream(path);
  }

  async readBuffer(uri: string): Promise<Buffer> {
    return readFile(await this.existingPath(uri));
  }

  localPath(uri: string): Promise<string> {
    return this.existingPath(uri);
  }

  async exists(uri: string): Promise<boolean> {
    return (await fileStat(await this.checkedPath(uri), uri)) !== undefined;
  }

  async size(uri: string): Promise<number> {
    const info = await fileStat(await this.checkedPath(uri), uri);
    if (!info) throw new StorageFileNotFound(uri);
    return info.size;
  }

  async delete(uri: string): Promise<boolean> {
    const path = await this.checkedPath(uri);
    if (!(await fileStat(path, uri))) return false;
    await rm(path, { force: true });
    return true;
  }

  async purgeExecution(scope: ExecutionFilesScope): Promise<string[]> {
    const prefix = executionPrefix(scope);
    const dir = this.pathOf(prefix);
    const files = await this.list(prefix);
    await rm(dir, { recursive: true, force: true });
    return files;
  }

  private async existingPath(uri: string): Promise<string> {
    const path = await this.checkedPath(uri);
    const info = await fileStat(path, uri);
    if (!info || !info.isFile()) throw new StorageFileNotFound(uri);
    return path;
  }
}

/** The file's stat; undefined when nothing is there (or a file stands where a folder would). */
async function fileStat(path: string, uri: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw storagePathError(uri, error);
  }
}

/** Why the disk refused a path, said of its URI (a system error's message holds the local path). */
function storagePathError(uri: string, error: unknown): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENAMETOOLONG':
      return new StoragePathError(uri, 'a name in it is too long for the disk (at most 255 bytes per name)');
    case 'EEXIST':
    case 'ENOTDIR':
      return new StoragePathError(uri, 'a file stands where one of its folders would be');
    case 'EISDIR':
      return new StoragePathError(uri, 'a folder of that name exists');
    case 'ELOOP':
      return new StoragePathError(uri, 'it passes through a loop of symbolic links');
    default:
      return error;
  }
}

/** Runs a write, turning the disk's refusals of the path into StoragePathErrors. */
async function withStoragePath<T>(uri: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw storagePathError(uri, error);
  }
}

async function listFiles(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
  const out: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else out.push(full);
  }
  return out.sort();
}
