import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { ErrorCodes, WindhoverError } from '../../errors.js';

/**
 * One process per data folder: its executor recovers what is unfinished there, which two
 * processes must not both do. A lock left by a dead process (a crash) is taken over.
 */
export function lockDataFolder(path: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSafe(path));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new WindhoverError(
          ErrorCodes.DATA_LOCKED,
          `The data folder is in use by process ${owner} (${path}); stop it, or use another folder with --data`,
        );
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new WindhoverError(ErrorCodes.DATA_LOCKED, `Could not lock the data folder (${path})`);
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
