import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { ErrorCodes, WindhoverError } from '../../errors.js';

/**
 * One process per data folder: its executor recovers what is unfinished there, which two
 * processes must not both do (and the GCP emulator cleans its uploads in progress). A lock left
 * by a dead process (a crash) is taken over. `folder` names the folder in messages.
 */
export function lockDataFolder(path: string, folder = 'The data folder'): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSafe(path));
      // Our own pid: a stale lock of an earlier, unclosed instance in this process.
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new WindhoverError(
          ErrorCodes.DATA_LOCKED,
          `${folder} is in use by process ${owner} (${path}); stop it, or use another folder with --data`,
        );
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new WindhoverError(ErrorCodes.DATA_LOCKED, `${folder} could not be locked (${path})`);
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
