/**
 * Query and Queries on PostgreSQL: statements run in order on one connection (in a transaction
 * for Queries, and for a Query with `afterSQL`), with Kestra's outputs for `fetchType`. FETCH_ONE
 * and STORE read through a portal (pg-query-stream), `fetchSize` rows per round trip, so a large
 * result never sits in memory.
 */
import { Readable } from 'node:stream';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { TaskFailure } from '../../../api.js';
import type { TaskContext, TaskOutcome } from '../../../api.js';
import { fetchTypeOf, rowsToOutputs } from '../../run/fetch-output.js';
import type { FetchType } from '../../run/fetch-output.js';
import { bindNamedParameters } from '../../run/named-parameters.js';
import { splitStatements } from '../../run/statements.js';
import { withPgConnection } from './connection.js';

/**
 * Rows read per round trip at most, whatever `fetchSize` says. Measured with a 1,000,000-row
 * STORE of 18 text columns (bench/postgres-copy.ts): batches of 1,000–2,000 rows kept RSS growth
 * under 15 MB, batches of 5,000–10,000 grew it by 130–180 MB (rows held long enough to leave
 * V8's young generation), and were no faster: local round trips are cheap.
 */
const MAX_BATCH_ROWS = 1000;

interface StatementResult {
  /** The statement returned a result set (a SELECT, a RETURNING…), even an empty one. */
  hasRows: boolean;
  outputs: Record<string, unknown>;
}

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
  statement: { sql: string; values: unknown[] },
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

const parametersOf = (props: Record<string, unknown>) =>
  props.parameters as Readonly<Record<string, unknown>> | undefined;

/**
 * Runs a PostgreSQL Query (`many` false: outputs of the last statement that returned rows) or
 * Queries (`many` true: `outputs`, one entry per statement that returned rows).
 */
export async function runPgQueries(
  ctx: TaskContext,
  props: Record<string, unknown>,
  many: boolean,
): Promise<TaskOutcome> {
  const statements = splitStatements(typeof props.sql === 'string' ? props.sql : '');
  if (statements.length === 0)
    throw new TaskFailure(
      'Property `sql` holds no SQL statement (only blanks or comments); give the SQL to run',
    );
  const fetchType = fetchTypeOf(props);
  const fetchSize = typeof props.fetchSize === 'number' && props.fetchSize > 0 ? props.fetchSize : 10_000;
  const parameters = parametersOf(props);
  // Bound before connecting: a wrong parameter fails without opening a connection.
  const bound = statements.map((sql) => bindNamedParameters(sql, parameters, 'dollar'));
  const afterSql =
    typeof props.afterSQL === 'string' && props.afterSQL.trim() !== '' ? props.afterSQL : undefined;
  const after = afterSql === undefined ? undefined : bindNamedParameters(afterSql, parameters, 'dollar');
  const transaction = many ? props.transaction !== false : after !== undefined;

  return withPgConnection(ctx, props, async ({ client, target }) => {
    ctx.logger.debug(
      `Running ${bound.length} statement(s) on PostgreSQL ${target}${transaction ? ' in a transaction' : ''}`,
    );
    const results: Record<string, unknown>[] = [];
    if (transaction) await client.query('BEGIN');
    try {
      for (const [index, statement] of bound.entries()) {
        const fileName = many && bound.length > 1 ? `result-${index + 1}.ion` : 'result.ion';
        const result = await runStatement(ctx, client, statement, fetchType, fetchSize, fileName);
        if (result.hasRows) results.push(result.outputs);
      }
      if (after) await client.query({ text: after.sql, values: after.values });
      if (transaction) await client.query('COMMIT');
    } catch (error) {
      if (transaction) await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
    if (many) return { outputs: { outputs: fetchType === 'NONE' ? [] : results } };
    return { outputs: results.length > 0 ? results[results.length - 1]! : {} };
  });
}
