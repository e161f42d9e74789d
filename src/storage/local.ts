import { createReadStream, createWriteStream } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExecutionFilesScope, InternalStorage } from './contract.js';
import { StorageFileNotFound, StorageUriError } from './contract.js';

const SCHEME = 'kestra://';

/** Internal storage on local disk: `kestra:///a/b` is the file `<root>/a/b`. */
export class LocalStorage implements InternalStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  taskRunFileUri(scope: ExecutionFilesScope, taskId: string, taskRunId: string, name: string): string {
    return `${this.executionPrefix(scope)}/tasks/${segment(taskId)}/${segment(taskRunId)}/${segment(name)}`;
  }

  inputFileUri(scope: ExecutionFilesScope, inputId: string, name: string): string {
    return `${this.executionPrefix(scope)}/inputs/${segment(inputId)}/${segment(name)}`;
  }

  namespaceFileUri(namespace: string, path: string): string {
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.length === 0 || parts.includes('..'))
      throw new StorageUriError(path, 'a namespace file path must name a file inside the namespace');
    return `${this.namespaceFilesRoot(namespace)}/${parts.map(segment).join('/')}`;
  }

  namespaceFilesRoot(namespace: string): string {
    return `${namespacePrefix(namespace)}/_files`;
  }

  async list(prefix: string): Promise<string[]> {
    const base = prefix.replace(/\/+$/, '');
    const dir = this.pathOf(base);
    const files = await listFiles(dir);
    return files.map((f) => `${base}/${relative(dir, f).split(sep).map(segment).join('/')}`);
  }

  private executionPrefix(scope: ExecutionFilesScope): string {
    return `${namespacePrefix(scope.namespace)}/${segment(scope.flowId)}/executions/${segment(scope.executionId)}`;
  }

  /** The local path of a URI, refusing anything that leaves the root. */
  pathOf(uri: string): string {
    if (!uri.startsWith(SCHEME)) throw new StorageUriError(uri, `it must start with ${SCHEME}`);
    let path: string;
    try {
      path = decodeURIComponent(uri.slice(SCHEME.length));
    } catch {
      throw new StorageUriError(uri, 'it holds a malformed %-escape');
    }
    if (!path.startsWith('/')) throw new StorageUriError(uri, 'the path must be absolute (kestra:///…)');
    const full = resolve(this.root, `.${path}`);
    const rel = relative(this.root, full);
    if (rel === '' || rel.startsWith('..') || rel.split(sep).includes('..'))
      throw new StorageUriError(uri, 'it points outside the storage');
    return full;
  }

  async put(uri: string, content: Buffer | string | Readable): Promise<number> {
    const path = this.pathOf(uri);
    await mkdir(dirname(path), { recursive: true });
    if (typeof content === 'string' || Buffer.isBuffer(content)) await writeFile(path, content);
    else await pipeline(content, createWriteStream(path));
    return (await stat(path)).size;
  }

  async putLocalFile(uri: string, localPath: string): Promise<number> {
    const path = this.pathOf(uri);
    await mkdir(dirname(path), { recursive: true });
    await copyFile(localPath, path);
    return (await stat(path)).size;
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
    return (await fileStat(this.pathOf(uri))) !== undefined;
  }

  async size(uri: string): Promise<number> {
    const info = await fileStat(this.pathOf(uri));
    if (!info) throw new StorageFileNotFound(uri);
    return info.size;
  }

  async delete(uri: string): Promise<boolean> {
    const path = this.pathOf(uri);
    if (!(await fileStat(path))) return false;
    await rm(path, { force: true });
    return true;
  }

  async purgeExecution(scope: ExecutionFilesScope): Promise<string[]> {
    const prefix = this.executionPrefix(scope);
    const dir = this.pathOf(prefix);
    const files = await this.list(prefix);
    await rm(dir, { recursive: true, force: true });
    return files;
  }

  private async existingPath(uri: string): Promise<string> {
    const path = this.pathOf(uri);
    const info = await fileStat(path);
    if (!info || !info.isFile()) throw new StorageFileNotFound(uri);
    return path;
  }
}

/** `kestra:///company/team` for `company.team`. */
function namespacePrefix(namespace: string): string {
  return `${SCHEME}/${namespace.split('.').map(segment).join('/')}`;
}

/** A path segment of a URI: `/` and `%` escaped so that ids cannot add levels. */
function segment(value: string): string {
  return encodeURIComponent(value).replace(/\*/g, '%2A');
}

async function fileStat(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
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
