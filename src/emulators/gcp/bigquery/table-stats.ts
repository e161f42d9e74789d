/**
 * numRows and numBytes of tables. Rows are counted by DuckDB; bytes are estimated from the
 * schema (BigQuery's per-type sizes, 16 bytes for a text or bytes value), since DuckDB does not
 * report a table's size. External tables weigh what their objects weigh.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableMeta } from './catalog.js';
import { filesOf } from './external.js';
import { canonicalType, modeOf } from './schema.js';
import type { BigQueryService } from './service.js';
import type { BigQueryField } from './sql/translate.js';
import { duckdbTableName } from './warehouse.js';

const typeBytes: Record<string, number> = {
  INTEGER: 8,
  FLOAT: 8,
  NUMERIC: 16,
  BIGNUMERIC: 32,
  BOOLEAN: 1,
  DATE: 8,
  DATETIME: 8,
  TIME: 8,
  TIMESTAMP: 8,
  INTERVAL: 16,
};

/** The estimated size of one row of these fields. */
export function estimatedRowBytes(fields: readonly BigQueryField[]): number {
  let bytes = 0;
  for (const field of fields) {
    const type = canonicalType(field.type);
    const one = type === 'RECORD' ? estimatedRowBytes(field.fields ?? []) : (typeBytes[type] ?? 16);
    bytes += modeOf(field) === 'REPEATED' ? one * 2 : one;
  }
  return bytes;
}

/** True when the table has DuckDB storage (a native table with a schema). */
export function hasStorage(table: TableMeta): boolean {
  return table.type === 'TABLE' && table.fields.length > 0;
}

/** The rows of a native table (0 for views, external tables and tables without a schema). */
export async function rowCount(connection: DuckDBConnection, table: TableMeta): Promise<number> {
  if (!hasStorage(table)) return 0;
  const reader = await connection.runAndReadAll(`SELECT count(*) FROM ${duckdbTableName(table)}`);
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

/** numRows and numBytes of a table, as tables.get reports them. */
export async function tableSize(
  connection: DuckDBConnection,
  table: TableMeta,
): Promise<{ numRows: number; numBytes: number }> {
  const numRows = await rowCount(connection, table);
  return { numRows, numBytes: numRows * estimatedRowBytes(table.fields) };
}

/** The bytes a query reading this table processes (estimated for native tables). */
export async function bytesRead(
  service: BigQueryService,
  connection: DuckDBConnection,
  table: TableMeta,
): Promise<number> {
  if (table.type === 'EXTERNAL' && table.externalDataConfiguration !== undefined) {
    try {
      return filesOf(service.objects, table.externalDataConfiguration.sourceUris).bytes;
    } catch {
      return 0;
    }
  }
  return (await tableSize(connection, table)).numBytes;
}
