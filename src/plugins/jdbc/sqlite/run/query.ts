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
    // A kill or timeout fails what waits on the thread at once (one listener, not one per row).
    const onAbort = () =>
      thread.abort(
        new TaskFailure(`The statement on ${target} was stopped: the task was killed or timed out`),
      );
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
    const session: SqlSession = {
      target,
      run: async (statement, fetchType, fileName) => {
        const result = await thread.run(
          statement.sql,
          statement.values.map(sqliteValue),
          fetchType !== 'NONE',
        );
        if (!result.rows) return { hasRows: result.hasRows, outputs: {} };
        return {
          hasRows: true,
          outputs: await rowsToOutputs(ctx, fetchType, result.rows, { fileName }),
        };
      },
      begin: () => thread.exec('BEGIN'),
      commit: () => thread.exec('COMMIT'),
      rollback: () => thread.exec('ROLLBACK'),
    };
    try {
      const outcome = await work(session);
      await thread.close();
      const kept = await keepDatabaseFile(ctx, location, props.outputDbFile);
      return { ...outcome, outputs: { ...outcome.outputs, ...kept } };
    } catch (error) {
      void thread.terminate();
      if (error instanceof SqliteError)
        throw new TaskFailure(`SQLite: ${error.message}${error.code ? ` (${error.code})` : ''}`);
      throw error;
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
  });
}
