/**
 * BigQuery standard SQL → DuckDB: the entry point of the translator and the shapes it shares
 * with the BigQuery API emulator. A script is tokenized, parsed statement by statement into a
 * small syntax tree, and each statement emitted as DuckDB SQL (or, for DDL the emulator must
 * record itself, as a description of what to create or drop). Whatever lies outside the subset
 * is refused with a `BigQuerySqlError` naming the construct and its position.
 *
 * The DuckDB connection that runs the translated SQL must use `SET TimeZone = 'UTC'`: BigQuery's
 * TIMESTAMP is an instant shown in UTC, translated as TIMESTAMPTZ, whose casts and truncations
 * follow the session time zone.
 */
import { emitStatement } from './emit-statement.js';
import { parseScript } from './parse-statement.js';

export { BigQuerySqlError } from './errors.js';

/** A table as BigQuery names it. */
export interface TableRef {
  projectId: string;
  datasetId: string;
  tableId: string;
}

/** A column of a BigQuery schema, as the REST API writes it (legacy type names: INTEGER, FLOAT, BOOLEAN, RECORD…). */
export interface BigQueryField {
  name: string;
  type: string;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  description?: string;
  fields?: BigQueryField[];
  /** NUMERIC(P[, S]) / BIGNUMERIC(P[, S]): the declared precision and scale, as the API writes them (text). */
  precision?: string;
  scale?: string;
  /** STRING(L) / BYTES(L): the declared maximum length (text). */
  maxLength?: string;
}

/** How the emulator resolves table names for the translator. */
export interface TranslateContext {
  defaultProjectId: string;
  defaultDatasetId?: string;
  /** How a table read in a query is written in DuckDB: a native table's quoted name, or for an external table a table expression such as `(SELECT … FROM read_csv([...], …))`. Throws BigQuerySqlError notFound for an unknown table. */
  tableSource(ref: TableRef): string;
  /** The quoted DuckDB name a native table is (or will be) stored under, for DDL and DML targets. */
  tableName(ref: TableRef): string;
}

/** A table's partitioning, in the REST API's words (`timePartitioning` or `rangePartitioning` of a table resource). */
export type TablePartitioning =
  | { timePartitioning: { type: 'HOUR' | 'DAY' | 'MONTH' | 'YEAR'; field?: string } }
  | { rangePartitioning: { field: string; range: { start: string; end: string; interval: string } } };

/** One statement of a script, translated. */
export type TranslatedStatement =
  /** SELECT / WITH: returns rows. */
  | { kind: 'query'; sql: string }
  | { kind: 'dml'; sql: string; target: TableRef; operation: 'INSERT' | 'UPDATE' | 'DELETE' | 'MERGE' }
  | {
      kind: 'createTable';
      target: TableRef;
      /** The DuckDB statements to run in order (a CREATE TABLE with a column list and AS SELECT is a CREATE then an INSERT). */
      sql: string[];
      /** The declared columns; absent for CREATE TABLE … AS SELECT without a column list (read the new table's columns). */
      schema?: BigQueryField[];
      ifNotExists: boolean;
      orReplace: boolean;
      asSelect: boolean;
      partitioning?: TablePartitioning;
      clustering?: string[];
      /** The table's OPTIONS(…): description, labels (as an object), friendly_name, expiration_timestamp… */
      options?: Record<string, unknown>;
    }
  | {
      kind: 'createExternalTable';
      target: TableRef;
      schema?: BigQueryField[];
      orReplace: boolean;
      ifNotExists: boolean;
      format: 'CSV' | 'PARQUET' | 'NEWLINE_DELIMITED_JSON';
      uris: string[];
      /** The other OPTIONS(…), keys as written in lower case: skip_leading_rows, ignore_unknown_values, compression, field_delimiter, allow_quoted_newlines… */
      options: Record<string, unknown>;
    }
  | { kind: 'dropTable'; target: TableRef; ifExists: boolean }
  | {
      kind: 'createView';
      target: TableRef;
      sql: string[];
      orReplace: boolean;
      ifNotExists?: boolean;
      options?: Record<string, unknown>;
    };

/** Translates a script (statements separated by `;`) to DuckDB, statement by statement. */
export function translateScript(sql: string, ctx: TranslateContext): TranslatedStatement[] {
  return parseScript(sql).map((statement) => emitStatement(statement, { ctx, ctes: [], aliases: [] }));
}
