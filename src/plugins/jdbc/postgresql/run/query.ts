/**
 * Query and Queries on PostgreSQL: statements run in order on one connection (in a transaction
 * for Queries, and for a Query with `afterSQL`), with Kestra's outputs for `fetchType`. FETCH_ONE
 * and STORE read through a portal (pg-query-stream), `fetchSize` rows per round trip, so a large
 * result never sits in memory.
 */
import { Readable } from 'node:stream';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import type { TaskContext, TaskOutcome } from '../../../api.js';
import { rowsToOutputs } from '../../run/fetch-output.js';
import type { FetchType } from '../../run/fetch-output.js';
import { runQueryTask } from '../../run/run-queries.js';
import type { BoundStatement, StatementResult } from '../../run/run-queries.js';
import { withPgConnection } from './connection.js';

/**
 * Rows read per round trip at most, whatever `fetchSize` says. Measured with a 1,000,000-row
 * STORE of 18 text columns (bench/postgres-copy.ts): batches of 1,000–2,000 rows kept RSS growth
 * under 15 MB, batches of 5,000–10,000 grew it by 130–180 MB (rows held long enough to leave
 * V8's young generation), and were no faster: local round trips are cheap.
 */
const MAX_BATCH_ROWS = 1000;

/** The columns pg-cursor saw (its RowDescription), which tell whether a statement returns rows. */
function streamFields(stream: QueryStream): readonly unknown[] {
  // pg-query-stream keeps pg-cursor's result on `cursor._result`; its types do not say so.
  const cursor = (stream as unknown as { cursor?: { _result?: { fields?: unknown[] } } }).cursor;
  return cursor?._result?.fields ?? [];
}

/** Runs one statement and gives the outputs of its rows for `fetchType`. */
async function runStatement(
  ctx: TaskContext,
  client: pg.PoolClient,
  statement: BoundStatement,
  fetchType: FetchType,
  fetchSize: number,
  fileName: string,
): Promise<StatementResult> {
  if (fetchType === 'NONE' || fetchType === 'FETCH') {
    const answer = (await client.query({ text: statement.sql, values: statement.values })) as
      pg.QueryResult | pg.QueryResult[];
    const result = Array.isArray(answer) ? answer[answer.length - 1]! : answer;
    const hasRows = result.fields.length > 0;
    if (!hasRows || fetchType === 'NONE') return { hasRows, outputs: {} };
    return { hasRows, outputs: await rowsToOutputs(ctx, 'FETCH', Readable.from(result.rows)) };
  }
  const stream = client.query(
    new QueryStream(statement.sql, statement.values, { batchSize: Math.min(fetchSize, MAX_BATCH_ROWS) }),
  );
  const outputs = await rowsToOutputs(ctx, fetchType, stream, { fileName });
  const hasRows = streamFields(stream).length > 0;
  if (!hasRows && typeof outputs.uri === 'string') await ctx.storage.delete(outputs.uri);
  return { hasRows, outputs: hasRows ? outputs : {} };
}

/**
 * Runs a PostgreSQL Query (`many` false: outputs of the last statement that returned rows) or
 * Queries (`many` true: `outputs`, one entry per statement that returned rows).
 */
export async function runPgQueries(
  ctx: TaskContext,
  props: Record<string, unknown>,
  many: boolean,
): Promise<TaskOutcome> {
  const fetchSize = typeof props.fetchSize === 'number' && props.fetchSize > 0 ? props.fetchSize : 10_000;
  return runQueryTask(ctx, props, many, { style: 'dollar' }, (work) =>
    withPgConnection(ctx, props, ({ client, target }) =>
      work({
        target: `PostgreSQL ${target}`,
        run: (statement, fetchType, fileName) =>
          runStatement(ctx, client, statement, fetchType, fetchSize, fileName),
        begin: async () => void (await client.query('BEGIN')),
        commit: async () => void (await client.query('COMMIT')),
        rollback: async () => void (await client.query('ROLLBACK')),
      }),
    ),
  );
}
