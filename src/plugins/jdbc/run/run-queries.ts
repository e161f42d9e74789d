/**
 * What every Query and Queries task does, whatever the database: split the SQL, bind `:name`
 * parameters before connecting, run the statements in order (in a transaction for Queries and
 * for a Query with `afterSQL`), and give Kestra's outputs. Each database supplies a session
 * that runs one statement and reports its rows.
 */
import { TaskFailure } from '../../api.js';
import type { TaskContext, TaskOutcome } from '../../api.js';
import { fetchTypeOf } from './fetch-output.js';
import type { FetchType } from './fetch-output.js';
import { bindNamedParameters } from './named-parameters.js';
import type { SqlDialect } from './sql-scanner.js';
import { splitStatements } from './statements.js';

/** A statement with its positional values. */
export interface BoundStatement {
  sql: string;
  values: unknown[];
}

/** What running one statement gave. */
export interface StatementResult {
  /** The statement returned a result set (a SELECT, a RETURNING…), even an empty one. */
  hasRows: boolean;
  /** Its outputs for `fetchType` (empty when it has no rows). */
  outputs: Record<string, unknown>;
}

/** One connection of a database, as the query runner uses it. */
export interface SqlSession {
  /** Runs a statement; `fileName` names the STORE file. */
  run(statement: BoundStatement, fetchType: FetchType, fileName: string): Promise<StatementResult>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Where it is connected, for logs (`host:port/db as user`, a file path). */
  target: string;
}

/** How a database's query tasks differ. */
export interface QueryDialect {
  /** Placeholders of its driver. */
  style: 'dollar' | 'question';
  /** Its SQL lexical rules (MySQL: backslash escapes, `#` comments). */
  sql?: SqlDialect;
}

/**
 * Runs a Query (`many` false: the outputs of the last statement that returned rows) or Queries
 * (`many` true: `outputs`, one entry per statement that returned rows) on a session that
 * `withSession` opens and closes.
 */
export async function runQueryTask(
  ctx: TaskContext,
  props: Record<string, unknown>,
  many: boolean,
  dialect: QueryDialect,
  withSession: (work: (session: SqlSession) => Promise<TaskOutcome>) => Promise<TaskOutcome>,
): Promise<TaskOutcome> {
  const statements = splitStatements(typeof props.sql === 'string' ? props.sql : '', dialect.sql);
  if (statements.length === 0)
    throw new TaskFailure(
      'Property `sql` holds no SQL statement (only blanks or comments); give the SQL to run',
    );
  const fetchType = fetchTypeOf(props);
  const parameters = props.parameters as Readonly<Record<string, unknown>> | undefined;
  // Bound before connecting: a wrong parameter fails without opening a connection.
  const bind = (sql: string) => bindNamedParameters(sql, parameters, dialect.style, dialect.sql);
  const bound = statements.map(bind);
  const afterSql =
    typeof props.afterSQL === 'string' && props.afterSQL.trim() !== '' ? props.afterSQL : undefined;
  const after = afterSql === undefined ? undefined : bind(afterSql);
  const transaction = many ? props.transaction !== false : after !== undefined;

  return withSession(async (session) => {
    ctx.logger.debug(
      `Running ${bound.length} statement(s) on ${session.target}${transaction ? ' in a transaction' : ''}`,
    );
    const results: Record<string, unknown>[] = [];
    if (transaction) await session.begin();
    try {
      for (const [index, statement] of bound.entries()) {
        const fileName = many && bound.length > 1 ? `result-${index + 1}.ion` : 'result.ion';
        const result = await session.run(statement, fetchType, fileName);
        if (result.hasRows) results.push(result.outputs);
      }
      if (after) await session.run(after, 'NONE', 'after.ion');
      if (transaction) await session.commit();
    } catch (error) {
      if (transaction) await session.rollback().catch(() => {});
      throw error;
    }
    if (many) return { outputs: { outputs: fetchType === 'NONE' ? [] : results } };
    return { outputs: results.length > 0 ? results[results.length - 1]! : {} };
  });
}
