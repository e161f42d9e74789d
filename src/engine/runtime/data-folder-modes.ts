/**
 * The permissions of a data folder: closed to other users. Script tasks of a worker running as
 * root run as other users (plugins/scripts/run/identity.ts); they may pass through the folder
 * and `work/` to their own working directory, and read nothing else: not the store
 * (`windhover.db`), the internal storage (`storage/`), the lock, or another task's directory.
 */
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The folder of task working directories in a data folder. */
export const WORK_FOLDER = 'work';

/** Mode of folders others may pass through without listing them: the data folder and `work/`. */
const PASS_THROUGH = 0o711;

/**
 * Closes a data folder to other users: the folder and `work/` can be passed through but not
 * listed, everything else in it loses its group and other permissions. With `localStorage`,
 * `storage/` is made now (mode 0700), before any file is written there.
 */
export async function closeDataFolder(dir: string, options: { localStorage: boolean }): Promise<void> {
  await setMode(dir, PASS_THROUGH);
  await mkdir(join(dir, WORK_FOLDER), { recursive: true, mode: PASS_THROUGH });
  await setMode(join(dir, WORK_FOLDER), PASS_THROUGH);
  if (options.localStorage) await mkdir(join(dir, 'storage'), { recursive: true, mode: 0o700 });
  for (const name of await readdir(dir)) {
    if (name === WORK_FOLDER) continue;
    await closeFile(join(dir, name));
  }
}

/**
 * Takes the group and other permissions off a file or folder (SQLite gives the journal files
 * it makes next to a database the database file's mode). Nothing when it does not exist.
 */
export async function closeFile(path: string): Promise<void> {
  const info = await lstat(path).catch(() => undefined);
  if (!info || info.isSymbolicLink()) return;
  if ((info.mode & 0o077) !== 0) await setMode(path, info.mode & 0o700);
}

/**
 * Sets a mode, as far as this process may: a folder another user owns (a worker that is not
 * root, on a folder shared with it) keeps its mode, as it did before modes were set here.
 */
async function setMode(path: string, mode: number): Promise<void> {
  await chmod(path, mode).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPERM') throw error;
  });
}
