/**
 * Query and Queries on MySQL/MariaDB (mysql2): statements run in order on one pooled connection
 * (in a transaction for Queries and for a Query with `afterSQL`), rows read as they arrive with
 * the connection paused while they wait, and `inputFile` fed to `LOAD DATA LOCAL INFILE`.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { TaskFailure, toText } from '../../../api.js';
import type { TaskContext, TaskOutcome } from '../../../api.js';
import { rowsToOutputs } from '../../run/fetch-output.js';
import type { FetchType } from '../../run/fetch-output.js';
import { runQueryTask } from '../../run/run-queries.js';
import type { BoundStatement, StatementResult } from '../../run/run-queries.js';
import { execute, withMysqlConnection } from './connection.js';
import type { MysqlSession } from './connection.js';
import { startQuery } from './rows.js';

/** MySQL's lexical rules: backslash escapes in strings, `#` line comments. */
const MYSQL_SQL = { backslashEscapes: true, hashComments: true };

/** How a MySQL task gets its SQL: rendered by the engine already, or here (with `inputFile` known). */
export interface MysqlRunOptions {
  /** The SQL still holds its expressions (the task types render it late, for `{{ inputFile }}`). */
  renderSql: boolean;
}

/**
 * A bound value as mysql2 should send it: maps and lists as JSON text (mysql2 would write a map
 * as `key = value` pairs and a list as a value list), undefined as NULL.
 */
function mysqlValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Date))
    return JSON.stringify(value);
  return value;
}

/** The local file of `inputFile`, checked, or undefined when the task has none. */
async function inputFileOf(ctx: TaskContext, value: unknown): Promise<string | undefined> {
  if (value === undefined || value === null || value === '') return undefined;
  const uri = toText(value);
  if (!uri.startsWith('kestra://'))
    throw new TaskFailure(
      `Property \`inputFile\`: \`${uri}\` is not a \`kestra://\` URI; give the URI of a stored file, e.g. \`{{ outputs.download.uri }}\``,
    );
  if (!(await ctx.storage.exists(uri)))
    throw new TaskFailure(`Property \`inputFile\`: \`${uri}\` does not exist in internal storage`);
  return ctx.storage.localPath(uri);
}

/** Runs one statement and gives the outputs of its rows for `fetchType`. */
async function runStatement(
  ctx: TaskContext,
  session: MysqlSession,
  statement: BoundStatement,
  fetchType: FetchType,
  fileName: string,
  inputFile: string | undefined,
): Promise<StatementResult> {
  const factory = (path: string) => {
    // Only the task's own input file may be sent: the SQL must not read other local files.
    // (mysql2 reads the stream in a packet handler: fail through the stream, never by throwing.)
    if (inputFile === undefined || path !== inputFile) {
      const refused = new TaskFailure(
        `\`LOAD DATA LOCAL INFILE '${path}'\` reads a local file; give the file as \`inputFile\` (a \`kestra://\` URI) and write \`LOAD DATA LOCAL INFILE '{{ inputFile }}'\``,
      );
      return new Readable({ read() {} }).destroy(refused);
    }
    return createReadStream(path);
  };
  const running = startQuery(
    session.connection,
    { sql: statement.sql, values: statement.values.map(mysqlValue) },
    session.cut,
    factory,
  );
  if (fetchType === 'NONE') {
    await running.finish();
    return { hasRows: running.hasRows, outputs: {} };
  }
  let outputs: Record<string, unknown>;
  try {
    outputs = await rowsToOutputs(ctx, fetchType, running.rows, { fileName });
  } catch (error) {
    await running.finish().catch(() => {});
    throw error;
  }
  await running.finish();
  if (!running.hasRows && typeof outputs.uri === 'string') await ctx.storage.delete(outputs.uri);
  return { hasRows: running.hasRows, outputs: running.hasRows ? outputs : {} };
}

/**
 * Runs a MySQL Query (`many` false: outputs of the last statement that returned rows) or
 * Queries (`many` true: `outputs`, one entry per statement that returned rows).
 */
export async function runMysqlQueries(
  ctx: TaskContext,
  props: Record<string, unknown>,
  many: boolean,
  options: MysqlRunOptions,
): Promise<TaskOutcome> {
  const inputFile = await inputFileOf(ctx, props.inputFile);
  const sql =
    options.renderSql && typeof props.sql === 'string'
      ? await ctx.render(props.sql, { inputFile: inputFile ?? '' })
      : props.sql;
  return runQueryTask(ctx, { ...props, sql }, many, { style: 'question', sql: MYSQL_SQL }, (work) =>
    withMysqlConnection(ctx, props, (session) =>
      work({
        target: `MySQL ${session.target}`,
        run: (statement, fetchType, fileName) =>
          runStatement(ctx, session, statement, fetchType, fileName, inputFile),
        begin: () => execute(session.connection, 'START TRANSACTION'),
        commit: () => execute(session.connection, 'COMMIT'),
        rollback: () => execute(session.connection, 'ROLLBACK'),
      }),
    ),
  );
}
