/**
 * The rows of one mysql2 query as an async iterable, with backpressure: the connection is paused
 * while rows wait to be read, so a large result (STORE) never sits in memory.
 */
import type { Readable } from 'node:stream';
import type mysql from 'mysql2';

/** Rows buffered before the connection is paused, and the level at which it resumes. */
const HIGH_WATER = 1000;
const LOW_WATER = 100;

/** A running statement: its rows, and whether it returned a result set at all. */
export interface RunningQuery {
  rows: AsyncIterable<Record<string, unknown>>;
  /** True once a result set's columns arrived (a SELECT, even with no rows). */
  readonly hasRows: boolean;
  /** Reads (and drops) what is left and waits for the statement to end; rejects on its error. */
  finish(): Promise<void>;
}

/** A result row, as opposed to the OK packet of a statement that returns no rows. */
function isRow(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && value.constructor?.name !== 'ResultSetHeader';
}

/**
 * Starts `sql` on `connection`. `cut` rejects when the connection was cut after an abort (mysql2
 * then never ends the query), and ends the rows with that error.
 */
export function startQuery(
  connection: mysql.PoolConnection,
  statement: { sql: string; values: unknown[] },
  cut: Promise<never>,
  infileStreamFactory?: (path: string) => Readable,
): RunningQuery {
  const queue: Record<string, unknown>[] = [];
  let hasRows = false;
  let done = false;
  let failure: Error | undefined;
  let discard = false;
  let paused = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };

  const query = connection.query({
    sql: statement.sql,
    values: statement.values,
    ...(infileStreamFactory ? { infileStreamFactory } : {}),
  });
  query.on('fields', (fields: unknown) => {
    if (Array.isArray(fields)) hasRows = true;
  });
  query.on('result', (row: unknown) => {
    if (!isRow(row) || discard) return;
    queue.push(row);
    if (queue.length >= HIGH_WATER && !paused) {
      paused = true;
      connection.pause();
    }
    notify();
  });
  query.on('error', (error: Error) => {
    failure ??= error;
    done = true;
    notify();
  });
  query.on('end', () => {
    done = true;
    notify();
  });
  cut.catch((error: Error) => {
    failure ??= error;
    done = true;
    notify();
  });

  const resume = () => {
    if (paused) {
      paused = false;
      connection.resume();
    }
  };
  const waitForEvent = () => new Promise<void>((resolve) => (wake = resolve));

  const finish = async (): Promise<void> => {
    discard = true;
    queue.length = 0;
    resume();
    while (!done) await waitForEvent();
    if (failure !== undefined) throw failure;
  };

  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    try {
      for (;;) {
        const row = queue.shift();
        if (row !== undefined) {
          if (queue.length <= LOW_WATER) resume();
          yield row;
          continue;
        }
        if (failure !== undefined) throw failure;
        if (done) return;
        await waitForEvent();
      }
    } finally {
      // Stopped early (FETCH_ONE) or failed: the rest is read and dropped, so the connection is free.
      await finish().catch(() => {});
    }
  }

  return {
    rows: rows(),
    get hasRows() {
      return hasRows;
    },
    finish,
  };
}
