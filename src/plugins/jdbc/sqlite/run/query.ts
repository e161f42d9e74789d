/**
 * Query and Queries on SQLite (better-sqlite3): the database file of the URL (relative paths in
 * the working directory, `sqliteFile` copied in first), statements through the shared runner.
 * better-sqlite3 is synchronous: a kill or timeout takes effect between rows of a result, not
 * inside one long statement.
 */
import Database from 'better-sqlite3';
import type { TaskContext, TaskOutcome } from '../../../api.js';
import { TaskFailure } from '../../../api.js';
import { fileDatabaseLocation, keepDatabaseFile } from '../../run/database-file.js';
import { rowsToOutputs } from '../../run/fetch-output.js';
import { runQueryTask } from '../../run/run-queries.js';
import type { SqlSession } from '../../run/run-queries.js';

/** A bound value as better-sqlite3 takes it (it refuses booleans and objects). */
function sqliteValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}

/** Rows of a reading statement, yielding to the event loop every so often (so aborts are seen). */
async function* rowsOf(
  ctx: TaskContext,
  iterator: IterableIterator<unknown>,
): AsyncGenerator<Record<string, unknown>> {
  let count = 0;
  try {
    for (const row of iterator) {
      if (++count % 1000 === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (ctx.signal.aborted) throw new TaskFailure('Killed while reading rows');
      }
      yield row as Record<string, unknown>;
    }
  } finally {
    iterator.return?.();
  }
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
    let db: Database.Database;
    try {
      db = new Database(location.memory ? ':memory:' : location.path);
    } catch (error) {
      throw new TaskFailure(
        `SQLite could not open \`${location.path ?? ':memory:'}\`: ${(error as Error).message}`,
      );
    }
    const session: SqlSession = {
      target: `SQLite ${location.path ?? ':memory:'}`,
      run: async (statement, fetchType, fileName) => {
        const stmt = db.prepare(statement.sql);
        const values = statement.values.map(sqliteValue);
        if (!stmt.reader) {
          stmt.run(values);
          return { hasRows: false, outputs: {} };
        }
        const iterator = stmt.iterate(values);
        if (fetchType === 'NONE') {
          iterator.next();
          iterator.return?.();
          return { hasRows: true, outputs: {} };
        }
        return {
          hasRows: true,
          outputs: await rowsToOutputs(ctx, fetchType, rowsOf(ctx, iterator), { fileName }),
        };
      },
      begin: () => Promise.resolve(void db.exec('BEGIN')),
      commit: () => Promise.resolve(void db.exec('COMMIT')),
      rollback: () => Promise.resolve(void (db.inTransaction ? db.exec('ROLLBACK') : undefined)),
    };
    try {
      const outcome = await work(session);
      db.close();
      const kept = await keepDatabaseFile(ctx, location, props.outputDbFile);
      return { ...outcome, outputs: { ...outcome.outputs, ...kept } };
    } catch (error) {
      if (db.open) db.close();
      const code = (error as { code?: unknown }).code;
      if (error instanceof Error && typeof code === 'string' && code.startsWith('SQLITE_'))
        throw new TaskFailure(`SQLite: ${error.message} (${code})`);
      throw error;
    }
  });
}
