/**
 * The files of a folder of a cloned repository, as the Sync tasks read them: regular files only
 * (a symbolic link could point anywhere on the worker, so it is skipped with a warning), the
 * `.git` folder left out, and what a `.kestraignore` at the folder's root lists left out too.
 */
import { lstat, readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
// `ignore` is CommonJS: under NodeNext its function is reached through `.default`.
import ignoreModule from 'ignore';
import { ErrorCodes, toIonText } from '../api.js';
import type { TaskContext } from '../api.js';
import { gitFailure } from './git-errors.js';

/** A file of the repository folder: its path relative to the folder (`a/b.sql`). */
export interface RepositoryFile {
  path: string;
  absolute: string;
}

/**
 * The folder `gitDirectory` of a clone; a missing one fails when `failOnMissing`, else it
 * holds no files (so that, with `delete`, everything else goes: Kestra's behaviour).
 */
export async function repositoryFolder(
  clone: string,
  gitDirectory: string,
  failOnMissing: boolean,
  shownUrl: string,
): Promise<string | undefined> {
  const parts = gitDirectory.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.includes('..'))
    throw gitFailure(
      ErrorCodes.GIT_FAILED,
      `Property \`gitDirectory\`: \`${gitDirectory}\` leaves the repository; give a folder inside it`,
    );
  const folder = join(clone, ...parts);
  const info = await lstat(folder).catch(() => undefined);
  if (info?.isDirectory()) return folder;
  if (failOnMissing)
    throw gitFailure(
      ErrorCodes.GIT_FAILED,
      `The folder \`${gitDirectory}\` is not in ${shownUrl}: check \`gitDirectory\` and \`branch\` (or set \`failOnMissingDirectory: false\`)`,
    );
  return undefined;
}

/** The files below `folder` (all depths, or only its own with `recursive: false`), sorted by path. */
export async function repositoryFiles(
  ctx: TaskContext,
  folder: string | undefined,
  options: { recursive: boolean },
): Promise<RepositoryFile[]> {
  if (!folder) return [];
  const ignoreFile = await readFile(join(folder, '.kestraignore'), 'utf8').catch(() => undefined);
  const ignored = ignoreFile === undefined ? undefined : ignoreModule.default().add(ignoreFile);
  const entries = await readdir(folder, { recursive: options.recursive, withFileTypes: true });
  const files: RepositoryFile[] = [];
  for (const entry of entries) {
    const absolute = join(entry.parentPath, entry.name);
    const path = relative(folder, absolute).split(sep).join('/');
    if (path === '.git' || path.startsWith('.git/') || path === '.kestraignore') continue;
    if (ignored?.ignores(path)) continue;
    if (entry.isSymbolicLink()) {
      ctx.logger.warn(`Skipped \`${path}\`: it is a symbolic link, and only regular files are synced`);
      continue;
    }
    if (entry.isFile()) files.push({ path, absolute });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The state of one synced item, as Kestra names them. */
export type SyncState = 'ADDED' | 'UPDATED' | 'UNCHANGED' | 'DELETED';

/** Stores rows as an ION file (one value a line, Kestra's diff files); answers its URI. */
export async function putIonRows(
  ctx: TaskContext,
  name: string,
  rows: ReadonlyArray<Record<string, unknown>>,
): Promise<string> {
  const text = rows.map((row) => toIonText(row)).join('\n');
  return ctx.storage.putFile(name, rows.length > 0 ? `${text}\n` : '');
}

/** A file's size, or undefined when it cannot be read. */
export async function fileSize(path: string): Promise<number | undefined> {
  return (await lstat(path).catch(() => undefined))?.size;
}
