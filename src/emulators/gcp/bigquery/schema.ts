/**
 * BigQuery table schemas: checking the fields a client sends, the DuckDB column type each
 * BigQuery type is stored as, and the BigQuery field each DuckDB result column is reported as.
 * Types are reported with the names the REST API uses (INTEGER, FLOAT, BOOLEAN, RECORD…), whatever
 * spelling the client used (INT64, FLOAT64, BOOL, STRUCT…).
 */
import { DuckDBTypeId } from '@duckdb/node-api';
import type { DuckDBType } from '@duckdb/node-api';
import { invalid, textOf } from './errors.js';
import type { BigQueryField } from './sql/translate.js';
import { quoteIdent } from './warehouse.js';

const canonicalTypes: Record<string, string> = {
  INT64: 'INTEGER',
  INTEGER: 'INTEGER',
  FLOAT64: 'FLOAT',
  FLOAT: 'FLOAT',
  NUMERIC: 'NUMERIC',
  DECIMAL: 'NUMERIC',
  BIGNUMERIC: 'BIGNUMERIC',
  BIGDECIMAL: 'BIGNUMERIC',
  BOOL: 'BOOLEAN',
  BOOLEAN: 'BOOLEAN',
  STRING: 'STRING',
  BYTES: 'BYTES',
  DATE: 'DATE',
  DATETIME: 'DATETIME',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
  GEOGRAPHY: 'GEOGRAPHY',
  JSON: 'JSON',
  INTERVAL: 'INTERVAL',
  RECORD: 'RECORD',
  STRUCT: 'RECORD',
};

/** The DuckDB type each (canonical) BigQuery scalar type is stored as. */
const duckdbScalarTypes: Record<string, string> = {
  INTEGER: 'BIGINT',
  FLOAT: 'DOUBLE',
  // DuckDB's widest decimal is 38 digits: NUMERIC fits exactly, BIGNUMERIC (76 digits) does not.
  NUMERIC: 'DECIMAL(38, 9)',
  BIGNUMERIC: 'DECIMAL(38, 9)',
  BOOLEAN: 'BOOLEAN',
  STRING: 'VARCHAR',
  BYTES: 'BLOB',
  DATE: 'DATE',
  DATETIME: 'TIMESTAMP',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMPTZ',
  GEOGRAPHY: 'VARCHAR',
  JSON: 'JSON',
  INTERVAL: 'INTERVAL',
};

/** A field's mode, NULLABLE when unset. */
export function modeOf(field: BigQueryField): 'NULLABLE' | 'REQUIRED' | 'REPEATED' {
  return field.mode ?? 'NULLABLE';
}

/**
 * Checks a schema sent by a client and returns it with canonical type names and modes; `what`
 * names it in errors (`the schema of table p:d.t`).
 */
export function normalizeFields(fields: unknown, what: string): BigQueryField[] {
  if (!Array.isArray(fields)) throw invalid(`Invalid ${what}: fields must be a list`);
  const seen = new Set<string>();
  return fields.map((raw: unknown) => {
    if (typeof raw !== 'object' || raw === null) throw invalid(`Invalid ${what}: a field is not an object`);
    const field = raw as Record<string, unknown>;
    const name = field.name;
    if (typeof name !== 'string' || name === '') throw invalid(`Invalid ${what}: a field has no name`);
    if (seen.has(name.toLowerCase())) throw invalid(`Invalid ${what}: duplicate field name ${name}`);
    seen.add(name.toLowerCase());
    const typeName = typeof field.type === 'string' ? field.type.toUpperCase() : 'STRING';
    const type = canonicalTypes[typeName];
    if (type === undefined) throw invalid(`Invalid ${what}: field ${name} has an unknown type ${typeName}`);
    const modeName = typeof field.mode === 'string' ? field.mode.toUpperCase() : 'NULLABLE';
    if (modeName !== 'NULLABLE' && modeName !== 'REQUIRED' && modeName !== 'REPEATED')
      throw invalid(`Invalid ${what}: field ${name} has an unknown mode ${modeName}`);
    const normalized: BigQueryField = { name, type, mode: modeName };
    if (typeof field.description === 'string') normalized.description = field.description;
    for (const key of ['precision', 'scale', 'maxLength'] as const)
      if (field[key] !== undefined && field[key] !== null) normalized[key] = textOf(field[key]);
    if (type === 'RECORD') {
      if (!Array.isArray(field.fields) || field.fields.length === 0)
        throw invalid(`Invalid ${what}: field ${name} is a RECORD without fields`);
      normalized.fields = normalizeFields(field.fields, what);
    }
    return normalized;
  });
}

/** The canonical name of a BigQuery type (`INT64` → `INTEGER`), or the name itself if unknown. */
export function canonicalType(type: string): string {
  return canonicalTypes[type.toUpperCase()] ?? type.toUpperCase();
}

/** The DuckDB column type a BigQuery field is stored as (`BIGINT[]` for a repeated INTEGER…). */
export function duckdbTypeOf(field: BigQueryField): string {
  const type = canonicalType(field.type);
  const base =
    type === 'RECORD'
      ? `STRUCT(${(field.fields ?? []).map((sub) => `${quoteIdent(sub.name)} ${duckdbTypeOf(sub)}`).join(', ')})`
      : (duckdbScalarTypes[type] ?? 'VARCHAR');
  return modeOf(field) === 'REPEATED' ? `${base}[]` : base;
}

/** The column list of a CREATE TABLE for a BigQuery schema (REQUIRED fields NOT NULL). */
export function duckdbColumns(fields: readonly BigQueryField[]): string {
  return fields
    .map(
      (field) =>
        `${quoteIdent(field.name)} ${duckdbTypeOf(field)}${modeOf(field) === 'REQUIRED' ? ' NOT NULL' : ''}`,
    )
    .join(', ');
}

/** The BigQuery field a DuckDB column of this type is reported as. */
export function fieldOfDuckdbType(name: string, type: DuckDBType): BigQueryField {
  switch (type.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const item = fieldOfDuckdbType(name, type.valueType);
      // BigQuery has no arrays of arrays: a nested list is reported as its JSON text.
      if (item.mode === 'REPEATED') return { name, type: 'JSON', mode: 'NULLABLE' };
      return { ...item, mode: 'REPEATED' };
    }
    case DuckDBTypeId.STRUCT:
      return {
        name,
        type: 'RECORD',
        mode: 'NULLABLE',
        fields: type.entryNames.map((entry, index) => fieldOfDuckdbType(entry, type.entryTypes[index]!)),
      };
    default:
      return { name, type: scalarTypeOf(type), mode: 'NULLABLE' };
  }
}

function scalarTypeOf(type: DuckDBType): string {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return 'BOOLEAN';
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return 'INTEGER';
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return 'FLOAT';
    case DuckDBTypeId.DECIMAL:
      return type.scale > 9 ? 'BIGNUMERIC' : 'NUMERIC';
    case DuckDBTypeId.DATE:
      return 'DATE';
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_NS:
    case DuckDBTypeId.TIME_TZ:
      return 'TIME';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return 'DATETIME';
    case DuckDBTypeId.TIMESTAMP_TZ:
      return 'TIMESTAMP';
    case DuckDBTypeId.BLOB:
      return 'BYTES';
    case DuckDBTypeId.INTERVAL:
      return 'INTERVAL';
    case DuckDBTypeId.VARCHAR:
      return type.alias === 'JSON' ? 'JSON' : 'STRING';
    case DuckDBTypeId.MAP:
      return 'JSON';
    default:
      return 'STRING';
  }
}

/** The BigQuery fields of DuckDB result columns. */
export function fieldsOfColumns(names: readonly string[], types: readonly DuckDBType[]): BigQueryField[] {
  return names.map((name, index) => fieldOfDuckdbType(name, types[index]!));
}
