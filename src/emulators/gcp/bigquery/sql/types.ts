/**
 * BigQuery's types and the DuckDB types they are stored and computed as: INT64 → BIGINT,
 * FLOAT64 → DOUBLE, NUMERIC → DECIMAL(38, 9), BIGNUMERIC → DECIMAL(38, 9) (DuckDB's widest),
 * STRING → VARCHAR, BYTES → BLOB, BOOL → BOOLEAN, DATE → DATE, DATETIME → TIMESTAMP,
 * TIME → TIME, TIMESTAMP → TIMESTAMPTZ (shown in UTC), JSON → JSON, INTERVAL → INTERVAL,
 * ARRAY<T> → T[], STRUCT<a T> → STRUCT("a" T); and back, the type BigQuery reports for a DuckDB
 * type (with the REST API's legacy names: INTEGER, FLOAT, BOOLEAN, RECORD).
 */
import type { BigQueryField } from './translate.js';

/** A BigQuery type as written in SQL, with its canonical name (`INT` → `INT64`). */
export type BigQueryType =
  | { kind: 'scalar'; name: string; params?: number[] }
  | { kind: 'array'; element: BigQueryType }
  | { kind: 'struct'; fields: { name?: string; type: BigQueryType }[] };

/** The spellings of each scalar type, mapped to BigQuery's canonical SQL name. */
const SCALAR_NAMES: Record<string, string> = {
  INT64: 'INT64',
  INT: 'INT64',
  INTEGER: 'INT64',
  SMALLINT: 'INT64',
  BIGINT: 'INT64',
  TINYINT: 'INT64',
  BYTEINT: 'INT64',
  FLOAT64: 'FLOAT64',
  FLOAT: 'FLOAT64',
  NUMERIC: 'NUMERIC',
  DECIMAL: 'NUMERIC',
  BIGNUMERIC: 'BIGNUMERIC',
  BIGDECIMAL: 'BIGNUMERIC',
  STRING: 'STRING',
  BYTES: 'BYTES',
  BOOL: 'BOOL',
  BOOLEAN: 'BOOL',
  DATE: 'DATE',
  DATETIME: 'DATETIME',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
  JSON: 'JSON',
  INTERVAL: 'INTERVAL',
  GEOGRAPHY: 'GEOGRAPHY',
};

const DUCKDB_SCALARS: Record<string, string> = {
  INT64: 'BIGINT',
  FLOAT64: 'DOUBLE',
  NUMERIC: 'DECIMAL(38, 9)',
  BIGNUMERIC: 'DECIMAL(38, 9)',
  STRING: 'VARCHAR',
  BYTES: 'BLOB',
  BOOL: 'BOOLEAN',
  DATE: 'DATE',
  DATETIME: 'TIMESTAMP',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMPTZ',
  JSON: 'JSON',
  INTERVAL: 'INTERVAL',
  // Kept as its text (WKT); no geography function is translated.
  GEOGRAPHY: 'VARCHAR',
};

/** The REST API's names of the canonical SQL names that differ. */
const REST_NAMES: Record<string, string> = { INT64: 'INTEGER', FLOAT64: 'FLOAT', BOOL: 'BOOLEAN' };

/** The canonical name of a scalar type name (`INTEGER` → `INT64`), or undefined if it is none. */
export function canonicalScalarName(name: string): string | undefined {
  return SCALAR_NAMES[name.toUpperCase()];
}

/** `name` as a DuckDB identifier (quoted, so any character and case are kept). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The DuckDB type a BigQuery type is computed and stored as. */
export function duckdbType(type: BigQueryType): string {
  switch (type.kind) {
    case 'array':
      return `${duckdbType(type.element)}[]`;
    case 'struct':
      return `STRUCT(${type.fields.map((field, i) => `${quoteIdent(field.name ?? `_field_${i + 1}`)} ${duckdbType(field.type)}`).join(', ')})`;
    case 'scalar': {
      const params = type.params ?? [];
      if ((type.name === 'NUMERIC' || type.name === 'BIGNUMERIC') && params.length > 0) {
        // NUMERIC(P) has scale 0; DuckDB's decimals hold at most 38 digits.
        const [precision, scale = 0] = params;
        return `DECIMAL(${Math.min(precision!, 38)}, ${Math.min(scale, 38)})`;
      }
      return DUCKDB_SCALARS[type.name] ?? 'VARCHAR';
    }
  }
}

/** The REST API's field for a column of this BigQuery type (`ARRAY<INT64>` → INTEGER, REPEATED). */
export function fieldOfType(
  name: string,
  type: BigQueryType,
  extra: { required?: boolean; description?: string } = {},
): BigQueryField {
  const field: BigQueryField = { name, type: 'STRING', mode: extra.required ? 'REQUIRED' : 'NULLABLE' };
  let base = type;
  if (base.kind === 'array') {
    field.mode = 'REPEATED';
    base = base.element;
  }
  if (base.kind === 'struct') {
    field.type = 'RECORD';
    field.fields = base.fields.map((sub, i) => fieldOfType(sub.name ?? `_field_${i + 1}`, sub.type));
  } else if (base.kind === 'scalar') {
    field.type = REST_NAMES[base.name] ?? base.name;
    const params = base.params ?? [];
    if (base.name === 'STRING' || base.name === 'BYTES') {
      if (params[0] !== undefined) field.maxLength = String(params[0]);
    } else if (params[0] !== undefined) {
      field.precision = String(params[0]);
      if (params[1] !== undefined) field.scale = String(params[1]);
    }
  }
  if (extra.description !== undefined) field.description = extra.description;
  return field;
}

/** The type BigQuery reports for a value of a DuckDB type, as a schema field without its name. */
export interface ReportedType {
  type: string;
  mode?: 'REPEATED';
  fields?: BigQueryField[];
}

/**
 * The type BigQuery reports for a DuckDB type written as DuckDB writes it (`BIGINT`,
 * `DECIMAL(38,9)`, `TIMESTAMP WITH TIME ZONE`, `STRUCT("a" INTEGER)[]`…).
 */
export function bigQueryTypeOf(duckdb: string): ReportedType {
  const text = duckdb.trim();
  if (text.endsWith('[]')) {
    const element = bigQueryTypeOf(text.slice(0, -2));
    // BigQuery has no arrays of arrays: such a value is reported as JSON.
    return element.mode === 'REPEATED' ? { type: 'JSON' } : { ...element, mode: 'REPEATED' };
  }
  const upper = text.toUpperCase();
  if (upper.startsWith('STRUCT(') && text.endsWith(')')) {
    const fields = splitTopLevel(text.slice(7, -1)).map((entry) => {
      const match = /^("(?:[^"]|"")*"|[^\s]+)\s+(.*)$/s.exec(entry.trim());
      if (!match) return { name: entry.trim(), type: 'STRING' };
      const name = match[1]!.startsWith('"') ? match[1]!.slice(1, -1).replace(/""/g, '"') : match[1]!;
      const reported = bigQueryTypeOf(match[2]!);
      return { name, ...reported, mode: reported.mode ?? ('NULLABLE' as const) };
    });
    return { type: 'RECORD', fields };
  }
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(upper);
  if (decimal) return { type: Number(decimal[2]) > 9 ? 'BIGNUMERIC' : 'NUMERIC' };
  if (/^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|INT\d*)$/.test(upper)) return { type: 'INTEGER' };
  if (upper === 'DOUBLE' || upper === 'FLOAT' || upper === 'REAL') return { type: 'FLOAT' };
  if (upper === 'BOOLEAN') return { type: 'BOOLEAN' };
  if (upper === 'DATE') return { type: 'DATE' };
  if (upper.startsWith('TIME') && !upper.startsWith('TIMESTAMP')) return { type: 'TIME' };
  if (upper === 'TIMESTAMP WITH TIME ZONE' || upper === 'TIMESTAMPTZ') return { type: 'TIMESTAMP' };
  if (upper.startsWith('TIMESTAMP')) return { type: 'DATETIME' };
  if (upper === 'BLOB') return { type: 'BYTES' };
  if (upper === 'INTERVAL') return { type: 'INTERVAL' };
  if (upper === 'JSON' || upper.startsWith('MAP(')) return { type: 'JSON' };
  return { type: 'STRING' };
}

/** Splits `a INTEGER, b STRUCT(c INTEGER, d VARCHAR)` at its top-level commas. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0 && ch === ',') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.filter((part) => part.trim() !== '');
}
