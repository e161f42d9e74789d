/**
 * The permissions of a data folder: closed to other users. Script tasks of a worker running as
 * root run as other users (plugins/scripts/run/identity.ts); they may pass through the folder
 * and `work/` to their own working directory, and read nothing else: not the store
 * (`windhover.db`), the internal storage (`storage/`), the lock, or another task's directory.
 */
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ErrorCodes, WindhoverError } from '../../errors.js';

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

/** Whether users other than the owner may pass through a folder and every folder above it. */
async function passableByOthers(dir: string): Promise<boolean> {
  for (let folder = dir; ; folder = dirname(folder)) {
    const info = await stat(folder).catch(() => undefined);
    if (!info || (info.mode & 0o001) === 0) return false;
    if (dirname(folder) === folder) return true;
  }
}

/**
 * Where the task working directories of a data folder go. In the folder (`work/`), unless the
 * worker runs as root and a folder above the data folder is closed to other users (a data
 * folder under `/root`): its scripts, which run as other users, could not reach their working
 * directories there, so they go to a folder of the machine's temporary folder named after the
 * data folder (the same on every start, so a WorkingDirectory resumed after a crash finds its
 * files). That folder must be root's own: one made by anyone else is refused.
 */
export async function workRootFor(dataDir: string): Promise<string> {
  const inside = join(dataDir, WORK_FOLDER);
  if (process.getuid?.() !== 0 || (await passableByOthers(dataDir))) return inside;
  const temporary = tmpdir();
  if (!(await passableByOthers(temporary))) return inside;
  const name = `windhover-work-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
  const root = join(temporary, name);
  await mkdir(root, { mode: PASS_THROUGH }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const info = await lstat(root);
  if (!info.isDirectory() || info.uid !== 0)
    throw new WindhoverError(
      ErrorCodes.CONFIG_INVALID,
      `${root} (the working directories of ${dataDir}) is not a folder of root's: remove it, or give a data folder other users may pass through`,
    );
  await setMode(root, PASS_THROUGH);
  return root;
}
