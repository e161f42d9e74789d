/**
 * A SQLite database opened on a worker thread, for one task run: statements and rows go through
 * messages, rows in batches that the thread sends only when asked (so a large STORE never piles
 * up), and a kill or timeout frees the task at once. SQLite cannot be interrupted from outside
 * here: the thread is terminated, and a statement in the middle of its work finishes it before
 * the thread (and its lock on the file) goes away. Threads are kept idle for the next task run
 * (starting one costs ~25 ms, a task on a kept one ~0.5 ms).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { keepMemoryModeAcross } from '../../../../memory-mode.js';
import { SQLITE_THREAD_SOURCE } from './thread-source.js';

/** Rows per message from the thread. */
const BATCH_ROWS = 1000;
/** Idle threads kept for the next task runs, and how long one is kept. */
const MAX_IDLE_THREADS = 4;
const IDLE_MS = 30_000;

const idle: SqliteThread[] = [];

/** What the thread answers. */
type Answer =
  | { kind: 'done'; hasRows: boolean }
  | { kind: 'rows'; rows: Record<string, unknown>[]; last: boolean }
  | { kind: 'error'; message: string; code?: string };

/** A SQLite error from the thread, with SQLite's code (`SQLITE_ERROR`…). */
export class SqliteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SqliteError';
  }
}

/** A statement's result: rows to read (when it returns rows and they are wanted). */
export interface SqliteResult {
  hasRows: boolean;
  rows?: AsyncGenerator<Record<string, unknown>>;
}

/** A SQLite database on its own thread. */
export class SqliteThread {
  private readonly worker: Worker;
  private waiting: ((answer: Answer) => void) | undefined;
  private exited: Error | undefined;
  private aborted: Error | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  private constructor() {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(SQLITE_THREAD_SOURCE, { eval: true, workerData: { driver } });
    keepMemoryModeAcross(this.worker);
    this.worker.on('message', (answer: Answer) => this.deliver(answer));
    this.worker.on('error', (error) => this.stop(error));
    this.worker.on('exit', () => this.stop(new Error('The SQLite thread stopped')));
  }

  /** Opens the database at `path` (`:memory:` for one in memory) on a kept or new thread. */
  static async open(path: string): Promise<SqliteThread> {
    const thread = idle.pop() ?? new SqliteThread();
    clearTimeout(thread.idleTimer);
    // In use, the thread keeps the process alive: the task waits on it.
    thread.worker.ref();
    try {
      await thread.exec(path, 'open');
    } catch (error) {
      void thread.terminate();
      throw error;
    }
    return thread;
  }

  private deliver(answer: Answer): void {
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.(answer);
  }

  private stop(error: Error): void {
    this.exited ??= error;
    this.deliver({ kind: 'error', message: this.exited.message });
  }

  /**
   * Stops waiting for the thread (a kill or timeout): what waits on it fails with `error` at once,
   * and the thread is terminated (a statement in the middle of its work finishes first).
   */
  abort(error: Error): void {
    this.aborted ??= error;
    this.stop(error);
    void this.terminate();
  }

  /** The error of an answer: the abort's when the task was aborted, else SQLite's. */
  private failure(answer: { message: string; code?: string }): Error {
    return this.aborted ?? new SqliteError(answer.message, answer.code);
  }

  /** The thread's next answer. */
  private next(): Promise<Answer> {
    if (this.exited) return Promise.resolve({ kind: 'error', message: this.exited.message });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  private async expect<K extends Answer['kind']>(kind: K): Promise<Extract<Answer, { kind: K }>> {
    const answer = await this.next();
    if (answer.kind === 'error') throw this.failure(answer);
    if (answer.kind !== kind) throw new Error(`The SQLite thread answered ${answer.kind}, not ${kind}`);
    return answer as Extract<Answer, { kind: K }>;
  }

  /** Runs one statement; its rows are read through `rows` (all of them, or stopped early). */
  async run(sql: string, values: unknown[], readRows: boolean): Promise<SqliteResult> {
    const answer = this.next();
    this.worker.postMessage({
      op: 'run',
      sql,
      values,
      fetchType: readRows ? 'READ' : 'NONE',
      batch: BATCH_ROWS,
    });
    const first = await answer;
    if (first.kind === 'error') throw this.failure(first);
    if (first.kind === 'done') return { hasRows: first.hasRows };
    return { hasRows: true, rows: this.rowsFrom(first) };
  }

  private async *rowsFrom(first: { rows: Record<string, unknown>[]; last: boolean }) {
    let batch = first;
    let finished = false;
    try {
      for (;;) {
        yield* batch.rows;
        if (batch.last) {
          finished = true;
          return;
        }
        const answer = this.expect('rows');
        this.worker.postMessage({ op: 'more' });
        batch = await answer;
      }
    } finally {
      // Stopped early (FETCH_ONE) or failed downstream: the thread closes its cursor.
      if (!finished && !this.exited) this.worker.postMessage({ op: 'stop' });
    }
  }

  /** Runs SQL that returns nothing (BEGIN, COMMIT, ROLLBACK), or opens a database (`op` open). */
  async exec(text: string, op: 'exec' | 'open' = 'exec'): Promise<void> {
    const answer = this.expect('done');
    this.worker.postMessage(op === 'open' ? { op, path: text } : { op, sql: text });
    await answer;
  }

  /** Closes the database (its file is complete afterwards) and keeps the thread for a next task run. */
  async close(): Promise<void> {
    const answer = this.expect('done');
    this.worker.postMessage({ op: 'close' });
    try {
      await answer;
    } catch {
      await this.terminate();
      return;
    }
    if (this.exited || idle.length >= MAX_IDLE_THREADS) {
      await this.terminate();
      return;
    }
    this.worker.unref();
    this.idleTimer = setTimeout(() => {
      const index = idle.indexOf(this);
      if (index !== -1) idle.splice(index, 1);
      void this.terminate();
    }, IDLE_MS);
    this.idleTimer.unref();
    idle.push(this);
  }

  /** Ends the thread without waiting for the statement it runs (which finishes first). */
  async terminate(): Promise<void> {
    clearTimeout(this.idleTimer);
    this.exited ??= new Error('The SQLite task was stopped');
    this.worker.unref();
    await this.worker.terminate().catch(() => 0);
  }
}

/** Ends the idle threads (tests, shutdown). */
export async function closeIdleSqliteThreads(): Promise<void> {
  await Promise.all(idle.splice(0).map((thread) => thread.terminate()));
}
