/**
 * The errors of the translator, shaped as BigQuery reports them: a reason (`invalidQuery`,
 * `notFound`, `duplicate`), a message ending in ` at [line:column]` as BigQuery's do, and the
 * 1-based line and column of the construct in the original SQL.
 */

/** The reasons BigQuery gives for the errors a statement can raise before it runs. */
export type BigQuerySqlErrorReason = 'invalidQuery' | 'notFound' | 'duplicate';

/** A position in the original SQL, 1-based. */
export interface SqlPosition {
  line: number;
  column: number;
}

/** A BigQuery-shaped error: reason, message, 1-based line and column of the construct in the original SQL. */
export class BigQuerySqlError extends Error {
  override readonly name = 'BigQuerySqlError';
  constructor(
    readonly reason: BigQuerySqlErrorReason,
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(line > 0 ? `${message} at [${line}:${column}]` : message);
  }
}

/** An `invalidQuery` error at a position: the message says what is wrong there. */
export function invalidQuery(message: string, at: SqlPosition): BigQuerySqlError {
  return new BigQuerySqlError('invalidQuery', message, at.line, at.column);
}

/** The error for a construct BigQuery has and this emulator does not translate. */
export function unsupported(construct: string, at: SqlPosition): BigQuerySqlError {
  return invalidQuery(`Windhover's emulator does not support ${construct}`, at);
}
