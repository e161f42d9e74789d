/**
 * One emulator per data folder: a second one would clean the first's uploads in progress at
 * start-up and cannot open its DuckDB file. The engine's lock file rule, on `emulator.lock`.
 */
import { join } from 'node:path';
import { lockDataFolder } from '../../engine/runtime/data-lock.js';

/** Locks `dataDir` for this emulator; returns the unlock function (WH_DATA_LOCKED when taken). */
export function lockEmulatorData(dataDir: string): () => void {
  return lockDataFolder(join(dataDir, 'emulator.lock'), `The emulator's data folder ${dataDir}`);
}
