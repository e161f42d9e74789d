/**
 * One emulator per data folder: a second one would clean the first's uploads in progress at
 * start-up and cannot open its DuckDB file. A lock file holds the owner's pid; a lock left by
 * a process that is gone (a crash, a kill -9) is taken over. (The engine has the same rule for
 * its data folder; the emulator keeps its own copy, as it imports nothing of the engine.)
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, WindhoverError } from '../../errors.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(path: string): number {
  try {
    return Number(readFileSync(path, 'utf8').trim());
  } catch {
    return 0;
  }
}

/** Locks `dataDir` for this emulator; returns the unlock function (WH_DATA_LOCKED when taken). */
export function lockEmulatorData(dataDir: string): () => void {
  const path = join(dataDir, 'emulator.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(path);
      // The same pid is a stale lock of an earlier emulator in this process that was not closed.
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new WindhoverError(
          ErrorCodes.DATA_LOCKED,
          `the emulator's data folder ${dataDir} is in use by process ${owner}: stop that emulator, or use another folder with --data`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new WindhoverError(ErrorCodes.DATA_LOCKED, `could not lock the emulator's data folder ${dataDir}`);
}
