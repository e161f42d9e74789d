/**
 * tabledata.insertAll (streaming inserts): each row is checked against the table's schema first
 * (unknown fields, missing REQUIRED ones, values of the wrong type), reported per row as BigQuery
 * does, then the good rows are written in one statement through DuckDB's JSON reader. Without
 * `skipInvalidRows`, one bad row stops the whole request (the others are reported `stopped`).
 */
import { rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { invalid } from './errors.js';
import { canonicalType, modeOf } from './schema.js';
import { requireTable, tableLabel } from './service.js';
import type { BigQueryService } from './service.js';
import { readExpression } from './sources.js';
import type { BigQueryField } from './sql/translate.js';
import { hasStorage } from './table-stats.js';
import { duckdbTableName, quoteIdent } from './warehouse.js';
import type { TableId } from './warehouse.js';

interface RowError {
  reason: string;
  location: string;
  debugInfo: string;
  message: string;
}

class ValueError extends Error {
  constructor(
    readonly location: string,
    message: string,
  ) {
    super(message);
  }
}

const integerText = /^[+-]?\d+$/;
const decimalText = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The microseconds of a TIMESTAMP given as epoch seconds (a number), as an ISO instant. */
function isoOfSeconds(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString();
}

function convertScalar(value: unknown, field: BigQueryField, path: string): unknown {
  const type = canonicalType(field.type);
  const bad = (what: string) =>
    new ValueError(path, `Cannot convert value to ${what} (bad value): ${JSON.stringify(value)}`);
  switch (type) {
    case 'INTEGER':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && integerText.test(value.trim())) return value.trim();
      throw bad('integer');
    case 'FLOAT':
      if (typeof value === 'number') return value;
      if (
        typeof value === 'string' &&
        (decimalText.test(value.trim()) || /^[+-]?(NaN|Infinity|inf)$/i.test(value.trim()))
      )
        return value.trim();
      throw bad('floating point');
    case 'NUMERIC':
    case 'BIGNUMERIC':
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      if (typeof value === 'string' && decimalText.test(value.trim())) return value.trim();
      throw bad('numeric');
    case 'BOOLEAN':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      if (value === 0 || value === 1) return value === 1;
      throw bad('boolean');
    case 'TIMESTAMP':
      if (typeof value === 'number') return isoOfSeconds(value);
      if (typeof value === 'string') return value.replace(/ UTC$/, 'Z');
      throw bad('timestamp');
    case 'RECORD': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('record');
      return convertRecord(value as Record<string, unknown>, field.fields ?? [], `${path}.`, false);
    }
    case 'JSON':
      return value;
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw bad(type.toLowerCase());
  }
}

function convertField(value: unknown, field: BigQueryField, path: string): unknown {
  const mode = modeOf(field);
  if (value === undefined || value === null) {
    if (mode === 'REQUIRED') throw new ValueError(path, `Missing required field: ${path}.`);
    return mode === 'REPEATED' ? [] : null;
  }
  if (mode === 'REPEATED') {
    if (!Array.isArray(value))
      throw new ValueError(path, `Non-array value specified for repeated field: ${path}.`);
    return value.map((item: unknown) => {
      if (item === null) throw new ValueError(path, `Repeated field ${path} cannot hold NULL.`);
      return convertScalar(item, field, path);
    });
  }
  if (Array.isArray(value) && canonicalType(field.type) !== 'JSON')
    throw new ValueError(path, `Array specified for non-repeated field: ${path}.`);
  return convertScalar(value, field, path);
}

function convertRecord(
  row: Record<string, unknown>,
  fields: readonly BigQueryField[],
  prefix: string,
  ignoreUnknownValues: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const byName = new Map(fields.map((field) => [field.name.toLowerCase(), field]));
  for (const key of Object.keys(row))
    if (!byName.has(key.toLowerCase()) && !ignoreUnknownValues)
      throw new ValueError(`${prefix}${key}`, `no such field: ${prefix}${key}.`);
  const lowered = new Map(Object.entries(row).map(([key, value]) => [key.toLowerCase(), value]));
  for (const field of fields)
    out[field.name] = convertField(lowered.get(field.name.toLowerCase()), field, `${prefix}${field.name}`);
  return out;
}

/** tabledata.insertAll. */
export async function insertAll(
  service: BigQueryService,
  ref: TableId,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const table = requireTable(service, ref);
  if (table.type !== 'TABLE')
    throw invalid(`Cannot insert rows into ${tableLabel(ref)}: it is a ${table.type}`);
  if (!hasStorage(table))
    throw invalid(`The table ${tableLabel(ref)} has no schema: set one before inserting rows`);
  if (body.templateSuffix !== undefined) throw invalid('templateSuffix is not supported by the emulator');
  if (!Array.isArray(body.rows)) throw invalid('Required parameter is missing: rows');
  const ignoreUnknownValues = body.ignoreUnknownValues === true;
  const skipInvalidRows = body.skipInvalidRows === true;

  const good: { index: number; json: Record<string, unknown> }[] = [];
  const errors: { index: number; errors: RowError[] }[] = [];
  body.rows.forEach((raw: unknown, index: number) => {
    const json = (raw as { json?: unknown } | null)?.json;
    try {
      if (typeof json !== 'object' || json === null || Array.isArray(json))
        throw new ValueError('', 'A row must have a json object');
      good.push({
        index,
        json: convertRecord(json as Record<string, unknown>, table.fields, '', ignoreUnknownValues),
      });
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      errors.push({
        index,
        errors: [{ reason: 'invalid', location: error.location, debugInfo: '', message: error.message }],
      });
    }
  });
  if (errors.length > 0 && !skipInvalidRows) {
    // Nothing is written: the good rows are reported as stopped, as BigQuery does.
    for (const row of good)
      errors.push({
        index: row.index,
        errors: [{ reason: 'stopped', location: '', debugInfo: '', message: '' }],
      });
    errors.sort((a, b) => a.index - b.index);
    return { kind: 'bigquery#tableDataInsertAllResponse', insertErrors: errors };
  }
  if (good.length > 0)
    await writeRows(
      service,
      table,
      good.map((row) => row.json),
    );
  const response: Record<string, unknown> = { kind: 'bigquery#tableDataInsertAllResponse' };
  if (errors.length > 0) response.insertErrors = errors;
  return response;
}

/** Writes converted rows through a newline-delimited JSON file. */
async function writeRows(
  service: BigQueryService,
  table: TableId & { fields: BigQueryField[] },
  rows: Record<string, unknown>[],
): Promise<void> {
  const file = join(service.tempDir, `insert-${randomUUID()}.json`);
  await writeFile(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  try {
    const columns = table.fields.map((field) => quoteIdent(field.name)).join(', ');
    const source = readExpression({ format: 'NEWLINE_DELIMITED_JSON', files: [file] }, table.fields);
    await service.warehouse.write(async (connection) => {
      await connection.run(
        `INSERT INTO ${duckdbTableName(table)} (${columns}) SELECT ${columns} FROM ${source}`,
      );
    });
    const meta = service.catalog.table(table);
    if (meta !== undefined) service.catalog.putTable({ ...meta, lastModifiedTime: Date.now() });
  } catch (error) {
    throw invalid(
      `Rows could not be written to ${tableLabel(table)}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  } finally {
    await rm(file, { force: true });
  }
}
