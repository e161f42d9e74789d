/**
 * Reading rows a page at a time (tabledata.list, and the results of queries, which are kept in a
 * table as BigQuery keeps them in an anonymous one) and tabledata.insertAll.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { invalid } from './errors.js';
import { etagOf, indexOfPageToken, pageTokenOf, wholeNumber } from './paging.js';
import { formatRow, rowJsonSize, timestampFormatOf } from './rows.js';
import type { Row, TimestampFormat } from './rows.js';
import { requireTable } from './service.js';
import type { BigQueryService } from './service.js';
import type { BigQueryField } from './sql/translate.js';
import { rowCount } from './table-stats.js';
import { duckdbTableName, quoteIdent } from './warehouse.js';
import type { TableId } from './warehouse.js';

/** At most this many rows in one page when the client does not say. */
const defaultPageRows = 100_000;
/** Pages are cut near BigQuery's 10 MB response limit. */
const pageBytes = 10 * 1024 * 1024;

/** One page of rows and where the next one starts. */
export interface RowPage {
  rows: Row[];
  totalRows: number;
  nextIndex?: number;
}

/** Reads rows `start…` of a table (up to `maxRows`, or a default cut at about 10 MB). */
export async function readPage(
  connection: DuckDBConnection,
  table: TableId,
  fields: readonly BigQueryField[],
  options: { start: number; maxRows?: number; format: TimestampFormat; totalRows: number },
): Promise<RowPage> {
  const { start, totalRows } = options;
  if (fields.length === 0 || start >= totalRows) return { rows: [], totalRows };
  const limit = options.maxRows ?? defaultPageRows;
  if (limit === 0)
    return start < totalRows ? { rows: [], totalRows, nextIndex: start } : { rows: [], totalRows };
  const columns = fields.map((field) => quoteIdent(field.name)).join(', ');
  const reader = await connection.runAndReadAll(
    `SELECT ${columns} FROM ${duckdbTableName(table)} LIMIT ${limit} OFFSET ${start}`,
  );
  const rows: Row[] = [];
  let bytes = 0;
  for (const values of reader.getRows()) {
    const row = formatRow(values, fields, options.format);
    bytes += rowJsonSize(row);
    // The first row always goes, however large; later ones stop at the size limit.
    if (rows.length > 0 && options.maxRows === undefined && bytes > pageBytes) break;
    rows.push(row);
  }
  const next = start + rows.length;
  return next < totalRows ? { rows, totalRows, nextIndex: next } : { rows, totalRows };
}

/** The fields `selectedFields` keeps (top-level names, comma-separated), in the table's order. */
export function selectFields(fields: readonly BigQueryField[], selected: unknown): BigQueryField[] {
  if (typeof selected !== 'string' || selected.trim() === '') return [...fields];
  const names = new Set(selected.split(',').map((name) => name.trim().split('.')[0]!.toLowerCase()));
  return fields.filter((field) => names.has(field.name.toLowerCase()));
}

/** The paging parameters of tabledata.list / getQueryResults. */
export function pagingOf(query: Record<string, unknown>): {
  start: number;
  maxRows?: number;
  format: TimestampFormat;
} {
  const start =
    query.pageToken !== undefined && query.pageToken !== ''
      ? indexOfPageToken(query.pageToken)
      : wholeNumber(query.startIndex, 'startIndex', 0);
  const maxRows = query.maxResults === undefined ? undefined : wholeNumber(query.maxResults, 'maxResults', 0);
  const format = timestampFormatOf({
    useInt64Timestamp: query['formatOptions.useInt64Timestamp'],
    timestampOutputFormat: query['formatOptions.timestampOutputFormat'],
  });
  return maxRows === undefined ? { start, format } : { start, maxRows, format };
}

/** tabledata.list. */
export async function listTableData(
  service: BigQueryService,
  ref: TableId,
  query: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const table = requireTable(service, ref);
  if (table.type !== 'TABLE') throw invalid(`Cannot list a table of type ${table.type}.`);
  const paging = pagingOf(query);
  const fields = selectFields(table.fields, query.selectedFields);
  const page = await service.warehouse.withConnection(async (connection) => {
    const totalRows = await rowCount(connection, table);
    return readPage(connection, table, fields, { ...paging, totalRows });
  });
  const list: Record<string, unknown> = { kind: 'bigquery#tableDataList', totalRows: String(page.totalRows) };
  if (page.rows.length > 0) list.rows = page.rows;
  if (page.nextIndex !== undefined) list.pageToken = pageTokenOf(page.nextIndex);
  list.etag = etagOf({ totalRows: page.totalRows, modified: table.lastModifiedTime });
  return list;
}
