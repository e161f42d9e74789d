/**
 * WAL checkpoints on a worker thread. A checkpoint copies the WAL into the database file and
 * syncs it to disk — tens of milliseconds on a slow disk. Done by the connection that commits,
 * it lands inside one step every few hundred; done here, on its own connection, it never
 * blocks a commit (PASSIVE checkpoints wait for no one). The same thread keeps the log text
 * index up to date (log-text-index.ts), a short transaction at a time.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { keepMemoryModeAcross } from '../../memory-mode.js';
import {
  INDEX_LOG_TEXT_SOURCE,
  TEXT_INDEX_BACKLOG,
  TEXT_INDEX_CHUNK,
  TEXT_INDEX_SQL,
} from './log-text-index.js';

/** WAL pages at which the committing connection checkpoints anyway (if this thread falls behind). */
export const BACKSTOP_CHECKPOINT_PAGES = 20_000;

// The worker's code: CommonJS, given the path of better-sqlite3 so it needs no resolution of its own.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: 5000 });
let busy = false;
const checkpoint = () => {
  if (busy) return;
  busy = true;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage({ error: String(error) }); }
  busy = false;
};
${INDEX_LOG_TEXT_SOURCE}
let indexing = false;
let lastNewest = -1;
const indexText = () => {
  if (indexing) return;
  indexing = true;
  try {
    // While lines are being written, indexing would take the write lock from them: it waits for
    // a quiet tick, unless the lines not indexed yet (which a search reads directly) pile up.
    const newest = db.prepare(${JSON.stringify(TEXT_INDEX_SQL.newest)}).get().newest;
    const writing = newest !== lastNewest;
    lastNewest = newest;
    const progress = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'logs_text_progress'").get()
      ? db.prepare(${JSON.stringify(TEXT_INDEX_SQL.progress)}).get().indexed
      : newest;
    if (newest <= progress || (writing && newest - progress < workerData.textBacklog)) return;
    // Up to 10 chunks a tick; each its own transaction, so commits get the lock in between.
    for (let i = 0; i < 10 && indexLogText(db, workerData.textChunk) > 0; i++);
  } catch (error) {
    parentPort.postMessage({ error: 'log text index: ' + String(error) });
  } finally {
    indexing = false;
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
const textTimer = setInterval(indexText, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  clearInterval(textTimer);
  checkpoint();
  db.close();
  parentPort.postMessage('stopped');
});
`;

/** The checkpoint thread of a store, as the store holds it. */
export interface Checkpointer {
  /** True once the thread has been started (CHECKPOINTER_START_DELAY_MS after the store opened). */
  started(): boolean;
  stop(): Promise<void>;
}

/**
 * How long a store runs before its checkpoint thread starts. A thread costs ~40 ms of CPU to start
 * (an isolate and better-sqlite3 again) and a command that opens the store for a moment (`windhover
 * run` of a short flow, `executions list`) ends before it would checkpoint anything: closing the
 * last connection checkpoints the WAL anyway. Until the thread starts, the committing connection's
 * backstop (BACKSTOP_CHECKPOINT_PAGES) still bounds the WAL.
 */
export const CHECKPOINTER_START_DELAY_MS = 1000;

/**
 * Checkpoints the database file `path` every `intervalMs` on a worker thread, started once the
 * store has been open `startDelayMs`.
 */
export function startCheckpointer(
  path: string,
  intervalMs = 250,
  startDelayMs = CHECKPOINTER_START_DELAY_MS,
): Checkpointer {
  let worker: Worker | undefined;
  const starting = setTimeout(() => {
    worker = startCheckpointThread(path, intervalMs);
  }, startDelayMs);
  starting.unref();
  return {
    started: () => worker !== undefined,
    stop: async () => {
      clearTimeout(starting);
      if (worker) await stopCheckpointThread(worker);
    },
  };
}

function startCheckpointThread(path: string, intervalMs: number): Worker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, intervalMs, driver, textChunk: TEXT_INDEX_CHUNK, textBacklog: TEXT_INDEX_BACKLOG },
  });
  worker.unref();
  keepMemoryModeAcross(worker);
  worker.on('message', (message: unknown) => {
    if (message && typeof message === 'object' && 'error' in message)
      console.error(`sqlite checkpoint failed: ${String(message.error)}`);
  });
  worker.on('error', (error) => console.error(`sqlite checkpointer stopped: ${error.message}`));
  return worker;
}

/** Asks the thread for a last checkpoint and waits for it to close its connection (at most 5 s). */
function stopCheckpointThread(worker: Worker): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      void worker.terminate().finally(resolve);
    };
    const timer = setTimeout(done, 5000);
    worker.once('message', (message) => {
      if (message !== 'stopped') return;
      clearTimeout(timer);
      done();
    });
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.postMessage('stop');
  });
}
