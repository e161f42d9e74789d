/**
 * Query and Queries on SQLite (better-sqlite3 on a worker thread, see thread.ts): the database
 * file of the URL (relative paths in the working directory, `sqliteFile` copied in first),
 * statements through the shared runner. A kill or timeout fails the task at once; a statement
 * in the middle of its work finishes on its thread before the file is released.
 */
import type { TaskContext, TaskOutcome } from '../../../api.js';
import { TaskFailure } from '../../../api.js';
import { fileDatabaseLocation, keepDatabaseFile } from '../../run/database-file.js';
import { rowsToOutputs } from '../../run/fetch-output.js';
import { runQueryTask } from '../../run/run-queries.js';
import type { SqlSession } from '../../run/run-queries.js';
import { SqliteError, SqliteThread } from './thread.js';

/** A bound value as better-sqlite3 takes it (it refuses booleans and objects). */
function sqliteValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}

/** Rejects when the task is aborted, so a statement that keeps its thread busy does not hold the task. */
function abortPromise(ctx: TaskContext, target: string): { promise: Promise<never>; dispose: () => void } {
  let onAbort: (() => void) | undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    onAbort = () =>
      reject(new TaskFailure(`The statement on ${target} was stopped: the task was killed or timed out`));
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => {});
  return { promise, dispose: () => onAbort && ctx.signal.removeEventListener('abort', onAbort) };
}

/** Runs a SQLite Query (`many` false) or Queries (`many` true). */
export async function runSqliteQueries(
  ctx: TaskContext,
  props: Record<string, unknown>,
  many: boolean,
): Promise<TaskOutcome> {
  return runQueryTask(ctx, props, many, { style: 'question' }, async (work) => {
    const location = await fileDatabaseLocation(ctx, props.url, {
      stored: props.sqliteFile,
      storedName: 'database.sqlite',
    });
    const target = `SQLite ${location.path ?? ':memory:'}`;
    let thread: SqliteThread;
    try {
      thread = await SqliteThread.open(location.memory ? ':memory:' : location.path);
    } catch (error) {
      throw new TaskFailure(
        `SQLite could not open \`${location.path ?? ':memory:'}\`: ${(error as Error).message}`,
      );
    }
    const aborted = abortPromise(ctx, target);
    // Every wait on the thread also ends when the task is aborted.
    const watched = <T>(pending: Promise<T>): Promise<T> => Promise.race([pending, aborted.promise]);
    async function* watchedRows(rows: AsyncGenerator<Record<string, unknown>>) {
      try {
        for (;;) {
          const next = await watched(rows.next());
          if (next.done) return;
          yield next.value;
        }
      } finally {
        await rows.return(undefined).catch(() => {});
      }
    }
    const session: SqlSession = {
      target,
      run: async (statement, fetchType, fileName) => {
        const result = await watched(
          thread.run(statement.sql, statement.values.map(sqliteValue), fetchType !== 'NONE'),
        );
        if (!result.rows) return { hasRows: result.hasRows, outputs: {} };
        return {
          hasRows: true,
          outputs: await rowsToOutputs(ctx, fetchType, watchedRows(result.rows), { fileName }),
        };
      },
      begin: () => watched(thread.exec('BEGIN')),
      commit: () => watched(thread.exec('COMMIT')),
      rollback: () => watched(thread.exec('ROLLBACK')),
    };
    try {
      const outcome = await work(session);
      await watched(thread.close());
      const kept = await keepDatabaseFile(ctx, location, props.outputDbFile);
      return { ...outcome, outputs: { ...outcome.outputs, ...kept } };
    } catch (error) {
      void thread.terminate();
      if (error instanceof SqliteError)
        throw new TaskFailure(`SQLite: ${error.message}${error.code ? ` (${error.code})` : ''}`);
      throw error;
    } finally {
      aborted.dispose();
    }
  });
}
