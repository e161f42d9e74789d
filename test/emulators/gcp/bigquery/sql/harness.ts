/**
 * The translator's test bench: one in-memory DuckDB (session time zone UTC, as the emulator
 * sets it), a TranslateContext mapping `proj.ds.name` to the DuckDB table `"proj.ds"."name"`
 * (and external tables to a read expression), and a runner that translates a BigQuery script,
 * runs every statement, and returns the last query's rows as plain values.
 */
import {
  DuckDBArrayValue,
  DuckDBBlobValue,
  DuckDBInstance,
  DuckDBListValue,
  DuckDBStructValue,
} from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import {
  BigQuerySqlError,
  translateScript,
} from '../../../../../src/emulators/gcp/bigquery/sql/translate.js';
import type {
  TableRef,
  TranslateContext,
  TranslatedStatement,
} from '../../../../../src/emulators/gcp/bigquery/sql/translate.js';
import { bigQueryTypeOf } from '../../../../../src/emulators/gcp/bigquery/sql/types.js';

export const PROJECT = 'proj';
export const DATASET = 'ds';

/** A value as a test compares it: integers as numbers, BYTES as `0x…` hex, lists, structs as objects, the rest as DuckDB writes them. */
export function plain(value: DuckDBValue): unknown {
  if (value === null) return null;
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof DuckDBBlobValue) return `0x${Buffer.from(value.bytes).toString('hex')}`;
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(plain);
  if (value instanceof DuckDBStructValue)
    return Object.fromEntries(Object.entries(value.entries).map(([k, v]) => [k, plain(v)]));
  return String(value);
}

export interface RunResult {
  rows: unknown[][];
  columns: string[];
  /** The type BigQuery would report for each column (REST names: INTEGER, FLOAT, TIMESTAMP…). */
  types: string[];
  statements: TranslatedStatement[];
}

export interface Harness {
  connection: DuckDBConnection;
  ctx: TranslateContext;
  /** External tables the context knows: name → the DuckDB table expression reading it. */
  external: Map<string, string>;
  run(sql: string): Promise<RunResult>;
  close(): void;
}

/** One DuckDB and context for a test file. */
export async function createHarness(): Promise<Harness> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  await connection.run(`CREATE SCHEMA "${PROJECT}.${DATASET}"`);
  await connection.run(`CREATE SCHEMA "other.ds2"`);
  await connection.run(`CREATE SCHEMA "my-project-1.ds"`);
  await connection.run(`CREATE TABLE "my-project-1.ds"."t" (x BIGINT)`);
  const external = new Map<string, string>();
  const name = (ref: TableRef) => `"${ref.projectId}.${ref.datasetId}"."${ref.tableId}"`;
  const ctx: TranslateContext = {
    defaultProjectId: PROJECT,
    defaultDatasetId: DATASET,
    tableSource: (ref) => {
      const source = external.get(ref.tableId);
      if (source !== undefined) return source;
      if (ref.tableId.startsWith('missing'))
        throw new BigQuerySqlError(
          'notFound',
          `Not found: Table ${ref.projectId}:${ref.datasetId}.${ref.tableId}`,
          0,
          0,
        );
      return name(ref);
    },
    tableName: name,
  };
  return {
    connection,
    ctx,
    external,
    async run(sql) {
      const statements = translateScript(sql, ctx);
      let last: RunResult = { rows: [], columns: [], types: [], statements };
      for (const statement of statements) {
        const texts =
          statement.kind === 'query' || statement.kind === 'dml'
            ? [statement.sql]
            : 'sql' in statement
              ? statement.sql
              : [];
        for (const text of texts) {
          const reader = await connection.runAndReadAll(text);
          if (statement.kind === 'query') {
            last = {
              rows: reader.getRows().map((row) => row.map(plain)),
              columns: reader.columnNames(),
              types: reader.columnTypes().map((type) => bigQueryTypeOf(type.toString()).type),
              statements,
            };
          }
        }
      }
      return last;
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** The error translating `sql` raises (the test fails if none). */
export function translationError(harness: Harness, sql: string): BigQuerySqlError {
  try {
    translateScript(sql, harness.ctx);
  } catch (error) {
    if (error instanceof BigQuerySqlError) return error;
    throw error;
  }
  throw new Error(`expected an error translating: ${sql}`);
}
