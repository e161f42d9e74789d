/**
 * Reading files into tables: the DuckDB table expression that reads CSV, newline-delimited JSON,
 * Parquet or Avro files (load jobs, external tables, insertAll) with the columns of a BigQuery
 * schema, and the schema DuckDB detects when the job asks for `autodetect`. CSV columns are
 * matched by position, JSON and Parquet ones by name, as BigQuery does. The object store keeps
 * objects in files without extensions, so gzip is recognised by its first bytes.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { invalid } from './errors.js';
import { canonicalType, duckdbTypeOf, fieldOfDuckdbType, modeOf } from './schema.js';
import type { CsvOptions } from './catalog.js';
import type { BigQueryField } from './sql/translate.js';
import { quoteIdent, quoteLiteral } from './warehouse.js';

/** What to read and how, in the API's words. */
export interface SourceSpec {
  /** CSV (the default), NEWLINE_DELIMITED_JSON, PARQUET or AVRO. */
  format: string;
  /** Local files, in order. */
  files: string[];
  csv?: CsvOptions;
  /** GZIP when the job says the files are compressed; otherwise recognised per file. */
  compression?: string;
  ignoreUnknownValues?: boolean;
  maxBadRecords?: number;
}

/** The formats the emulator reads. */
export const readableFormats = ['CSV', 'NEWLINE_DELIMITED_JSON', 'PARQUET', 'AVRO'] as const;

/** The format name a job or table gives, checked (CSV when unset). */
export function sourceFormatOf(format: unknown): string {
  const name = typeof format === 'string' && format !== '' ? format.toUpperCase() : 'CSV';
  if (name === 'JSON') return 'NEWLINE_DELIMITED_JSON';
  if (!(readableFormats as readonly string[]).includes(name))
    throw invalid(
      `Source format ${name} is not supported by the emulator (CSV, NEWLINE_DELIMITED_JSON, PARQUET, AVRO)`,
    );
  return name;
}

/** True when the file starts with gzip's magic bytes. */
function isGzip(file: string): boolean {
  const head = Buffer.alloc(2);
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

function listLiteral(files: readonly string[]): string {
  return `[${files.map(quoteLiteral).join(', ')}]`;
}

function delimiterOf(delimiter: string | undefined): string {
  if (delimiter === undefined || delimiter === '') return ',';
  if (delimiter === '\\t' || delimiter.toLowerCase() === 'tab') return '\t';
  return delimiter;
}

function encodingOf(encoding: string | undefined): string | undefined {
  if (encoding === undefined) return undefined;
  const name = encoding.toUpperCase();
  if (name === 'UTF-8' || name === 'UTF8') return undefined;
  if (name === 'ISO-8859-1' || name === 'LATIN1') return 'latin-1';
  if (name === 'UTF-16BE' || name === 'UTF-16LE' || name === 'UTF-16') return 'utf-16';
  throw invalid(`Encoding ${encoding} is not supported by the emulator (UTF-8, ISO-8859-1, UTF-16)`);
}

function skipRowsOf(csv: CsvOptions | undefined): number {
  const skip = Number(csv?.skipLeadingRows ?? 0);
  if (!Number.isInteger(skip) || skip < 0)
    throw invalid(`skipLeadingRows must be a whole number, not ${String(csv?.skipLeadingRows)}`);
  return skip;
}

/** True for a NUMERIC or BIGNUMERIC field that is not repeated. */
function isDecimal(field: BigQueryField): boolean {
  const type = canonicalType(field.type);
  return modeOf(field) !== 'REPEATED' && (type === 'NUMERIC' || type === 'BIGNUMERIC');
}

/**
 * The type a column is read as before its conversion to the field's type. Decimals are read as
 * text: DuckDB parses text into DECIMAL(38, 9) about ten times slower than into DECIMAL(18, 9)
 * (34 s against 4 s for the nine amounts of a million taxi rows), so `projection` tries the
 * narrow type first and parses into the wide one only the values that do not fit.
 */
function readTypeOf(field: BigQueryField): string {
  if (modeOf(field) !== 'REPEATED' && canonicalType(field.type) === 'BYTES') return 'VARCHAR';
  if (isDecimal(field)) return 'VARCHAR';
  return duckdbTypeOf(field);
}

/** The projection turning read columns into the fields' types (BYTES come as base64 text). */
function projection(fields: readonly BigQueryField[]): string {
  return fields
    .map((field) => {
      const column = quoteIdent(field.name);
      if (modeOf(field) !== 'REPEATED' && canonicalType(field.type) === 'BYTES')
        return `from_base64(${column}) AS ${column}`;
      if (isDecimal(field)) {
        const type = duckdbTypeOf(field);
        return `COALESCE(CAST(TRY_CAST(${column} AS DECIMAL(18, 9)) AS ${type}), CAST(${column} AS ${type})) AS ${column}`;
      }
      return column;
    })
    .join(', ');
}

function csvReader(
  files: string[],
  spec: SourceSpec,
  gzip: boolean,
  fields: readonly BigQueryField[] | undefined,
): string {
  const csv = spec.csv ?? {};
  const skip = skipRowsOf(csv);
  const options: string[] = [];
  if (fields === undefined) {
    // Autodetect: BigQuery takes the names from the last skipped row when there is one.
    if (skip > 0) options.push('header = true', `skip = ${skip - 1}`);
  } else {
    for (const field of fields)
      if (modeOf(field) === 'REPEATED' || canonicalType(field.type) === 'RECORD')
        throw invalid(
          `CSV files cannot hold the ${modeOf(field) === 'REPEATED' ? 'REPEATED' : 'RECORD'} field ${field.name}`,
        );
    const columns = fields.map((field) => `${quoteLiteral(field.name)}: ${quoteLiteral(readTypeOf(field))}`);
    options.push(
      'header = false',
      `skip = ${skip}`,
      `columns = {${columns.join(', ')}}`,
      'auto_detect = false',
    );
  }
  options.push(`delim = ${quoteLiteral(delimiterOf(csv.fieldDelimiter))}`);
  if (csv.quote !== undefined) {
    options.push(`quote = ${quoteLiteral(csv.quote)}`);
    if (csv.quote !== '') options.push(`escape = ${quoteLiteral(csv.quote)}`);
  }
  // Short rows are NULL-padded only when the job allows jagged rows; extra values are
  // dropped only with ignoreUnknownValues: otherwise both are errors, as in BigQuery.
  if (csv.allowJaggedRows === true || spec.ignoreUnknownValues === true) options.push('null_padding = true');
  if (spec.ignoreUnknownValues === true) options.push('strict_mode = false');
  if (csv.nullMarker !== undefined) options.push(`nullstr = ${quoteLiteral(csv.nullMarker)}`);
  const encoding = encodingOf(csv.encoding);
  if (encoding !== undefined) options.push(`encoding = ${quoteLiteral(encoding)}`);
  if ((spec.maxBadRecords ?? 0) > 0) options.push('ignore_errors = true');
  if (gzip) options.push("compression = 'gzip'");
  return `read_csv(${listLiteral(files)}, ${options.join(', ')})`;
}

function jsonReader(files: string[], gzip: boolean, fields: readonly BigQueryField[] | undefined): string {
  const options = ["format = 'newline_delimited'"];
  if (fields !== undefined) {
    const columns = fields.map((field) => `${quoteLiteral(field.name)}: ${quoteLiteral(readTypeOf(field))}`);
    options.push(`columns = {${columns.join(', ')}}`);
  }
  if (gzip) options.push("compression = 'gzip'");
  return `read_json(${listLiteral(files)}, ${options.join(', ')})`;
}

/** A reader of files all compressed (or not) alike. */
function reader(
  files: string[],
  spec: SourceSpec,
  gzip: boolean,
  fields: readonly BigQueryField[] | undefined,
): string {
  switch (spec.format) {
    case 'CSV':
      return csvReader(files, spec, gzip, fields);
    case 'NEWLINE_DELIMITED_JSON':
      return jsonReader(files, gzip, fields);
    case 'PARQUET':
      return `read_parquet(${listLiteral(files)})`;
    case 'AVRO':
      return `read_avro(${listLiteral(files)})`;
    default:
      throw invalid(`Source format ${spec.format} is not supported by the emulator`);
  }
}

/** Groups files by compression, so that each read is uniform. */
function byCompression(spec: SourceSpec): { files: string[]; gzip: boolean }[] {
  if (spec.format === 'PARQUET' || spec.format === 'AVRO') return [{ files: spec.files, gzip: false }];
  if (spec.compression?.toUpperCase() === 'GZIP') return [{ files: spec.files, gzip: true }];
  const gzipped = spec.files.filter(isGzip);
  const plain = spec.files.filter((file) => !gzipped.includes(file));
  return [
    { files: plain, gzip: false },
    { files: gzipped, gzip: true },
  ].filter((group) => group.files.length > 0);
}

/**
 * A DuckDB table expression (parenthesised) reading the files with `fields` as its columns, in
 * their order and types; without `fields`, what DuckDB detects (see `detectFields`).
 */
export function readExpression(spec: SourceSpec, fields: readonly BigQueryField[] | undefined): string {
  if (spec.files.length === 0) throw invalid('No files to read');
  const parts = byCompression(spec).map(({ files, gzip }) => {
    const source = reader(files, spec, gzip, fields);
    if (fields === undefined) return `SELECT * FROM ${source}`;
    if (spec.format === 'PARQUET' || spec.format === 'AVRO') {
      // Self-describing files: columns by name, converted to the table's types.
      const columns = fields.map(
        (field) => `CAST(${quoteIdent(field.name)} AS ${duckdbTypeOf(field)}) AS ${quoteIdent(field.name)}`,
      );
      return `SELECT ${columns.join(', ')} FROM ${source}`;
    }
    return `SELECT ${projection(fields)} FROM ${source}`;
  });
  return `(${parts.join(' UNION ALL BY NAME ')})`;
}

/** A name BigQuery accepts, made from a detected column name (`trip distance` → `trip_distance`). */
function columnName(raw: string, index: number, taken: Set<string>): string {
  let name = raw.replace(/[^A-Za-z0-9_]/g, '_');
  if (name === '') name = `column${index}`;
  if (/^[0-9]/.test(name)) name = `_${name}`;
  let unique = name;
  for (let n = 2; taken.has(unique.toLowerCase()); n++) unique = `${name}_${n}`;
  taken.add(unique.toLowerCase());
  return unique;
}

/** The fields DuckDB detects in the files (autodetect, or the schema of Parquet/Avro files). */
export async function detectFields(connection: DuckDBConnection, spec: SourceSpec): Promise<BigQueryField[]> {
  const result = await connection.run(`SELECT * FROM ${readExpression(spec, undefined)} LIMIT 0`);
  const taken = new Set<string>();
  return result.columnNames().map((raw, index) => {
    const field = fieldOfDuckdbType(columnName(raw, index, taken), result.columnType(index));
    return field;
  });
}

/**
 * A table expression reading the files with autodetection and renaming the detected columns to
 * `fields` (as `detectFields` returned them) by position.
 */
export function detectedReadExpression(spec: SourceSpec, fields: readonly BigQueryField[]): string {
  const columns = fields.map((field, index) => `#${index + 1} AS ${quoteIdent(field.name)}`);
  return `(SELECT ${columns.join(', ')} FROM ${readExpression(spec, undefined)})`;
}

/** Makes sure DuckDB can read the format (Avro needs an extension that may not be installed). */
export async function ensureFormatReadable(connection: DuckDBConnection, format: string): Promise<void> {
  if (format !== 'AVRO') return;
  try {
    await connection.run('LOAD avro');
  } catch {
    throw invalid(
      "AVRO files need DuckDB's avro extension, which is not installed on this machine (run INSTALL avro in DuckDB once, with internet access), or load CSV, JSON or Parquet",
    );
  }
}
