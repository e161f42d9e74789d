/**
 * Rows as BigQuery's REST API returns them (`tabledata.list`, `jobs.getQueryResults`,
 * `jobs.query`): `{ f: [{ v }] }` with every value as text, a RECORD as a nested `{ f }`, a
 * REPEATED field as a list of `{ v }`, NULL as `null`, BYTES in base64, and TIMESTAMP as the client
 * asked (`formatOptions.useInt64Timestamp`: microseconds since the epoch; otherwise seconds as a
 * Java double's text, `1.7040672E9`, as BigQuery writes them; `ISO8601_STRING`: an ISO-8601 instant).
 */
import {
  DuckDBBlobValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBArrayValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBIntervalValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampNanosecondsValue,
} from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';
import { canonicalType, modeOf } from './schema.js';
import type { BigQueryField } from './sql/translate.js';

/** How TIMESTAMP values are written. */
export type TimestampFormat = 'int64' | 'float' | 'iso';

/** One cell: `{ v }`. */
export interface Cell {
  v: string | null | Cell[] | Row;
}
/** One row: `{ f: [cells] }`. */
export interface Row {
  f: Cell[];
}

/** The timestamp format the request asks for (query parameters or `formatOptions`). */
export function timestampFormatOf(options: {
  useInt64Timestamp?: unknown;
  timestampOutputFormat?: unknown;
}): TimestampFormat {
  const format = typeof options.timestampOutputFormat === 'string' ? options.timestampOutputFormat : '';
  if (format === 'ISO8601_STRING') return 'iso';
  if (format === 'INT64') return 'int64';
  if (options.useInt64Timestamp === true || options.useInt64Timestamp === 'true') return 'int64';
  return 'float';
}

/** A BigQuery row of DuckDB values read for `fields`. */
export function formatRow(
  values: readonly DuckDBValue[],
  fields: readonly BigQueryField[],
  format: TimestampFormat,
): Row {
  return { f: fields.map((field, index) => formatCell(values[index] ?? null, field, format)) };
}

function formatCell(value: DuckDBValue, field: BigQueryField, format: TimestampFormat): Cell {
  if (modeOf(field) === 'REPEATED') {
    // BigQuery has no NULL arrays: they read as empty ones.
    if (value === null) return { v: [] };
    const items =
      value instanceof DuckDBListValue || value instanceof DuckDBArrayValue ? value.items : [value];
    return { v: items.map((item) => ({ v: formatScalar(item, field, format) })) };
  }
  return { v: formatScalar(value, field, format) };
}

function formatScalar(
  value: DuckDBValue,
  field: BigQueryField,
  format: TimestampFormat,
): string | null | Row {
  if (value === null) return null;
  switch (canonicalType(field.type)) {
    case 'RECORD': {
      const entries = value instanceof DuckDBStructValue ? value.entries : {};
      const sub = field.fields ?? [];
      return formatRow(
        sub.map((f) => entries[f.name] ?? null),
        sub,
        format,
      );
    }
    case 'FLOAT':
      return formatFloat(value);
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return trimDecimal(String(value));
    case 'BOOLEAN':
      return value === true || value === 'true' ? 'true' : 'false';
    case 'BYTES':
      return value instanceof DuckDBBlobValue ? Buffer.from(value.bytes).toString('base64') : String(value);
    case 'TIMESTAMP':
      return formatTimestamp(value, format);
    case 'DATETIME':
      return formatDatetime(value);
    case 'INTERVAL':
      return value instanceof DuckDBIntervalValue ? formatInterval(value) : String(value);
    case 'JSON':
      return typeof value === 'string' ? value : JSON.stringify(plainValue(value));
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

function formatFloat(value: DuckDBValue): string {
  const number = typeof value === 'number' ? value : Number(String(value));
  if (Number.isNaN(number)) return 'NaN';
  if (number === Infinity) return 'Infinity';
  if (number === -Infinity) return '-Infinity';
  return String(number);
}

/** `1.500000000` → `1.5`, `2.000` → `2`, as BigQuery writes NUMERIC values. */
function trimDecimal(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

/** The microseconds since the epoch of a DuckDB timestamp value, if it is one. */
function microsOf(value: DuckDBValue): bigint | undefined {
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) return value.micros;
  if (value instanceof DuckDBTimestampMillisecondsValue) return value.millis * 1000n;
  if (value instanceof DuckDBTimestampSecondsValue) return value.seconds * 1_000_000n;
  if (value instanceof DuckDBTimestampNanosecondsValue) return value.nanos / 1000n;
  return undefined;
}

function formatTimestamp(value: DuckDBValue, format: TimestampFormat): string {
  const micros = microsOf(value);
  if (micros === undefined) return String(value);
  if (format === 'int64') return micros.toString();
  if (format === 'iso') return isoOfMicros(micros);
  return javaStyleSeconds(micros);
}

/**
 * Seconds since the epoch as BigQuery's REST API writes a TIMESTAMP without format options: a
 * Java double's text, scientific from 10^7 up (`1.7040672001E9`), plain below (`1.5`, `0.0`).
 */
export function javaStyleSeconds(micros: bigint): string {
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const sign = negative ? '-' : '';
  const whole = (magnitude / 1_000_000n).toString();
  const fraction = (magnitude % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  if (magnitude < 10_000_000n * 1_000_000n && (magnitude === 0n || magnitude >= 1000n))
    return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
  if (whole === '0') {
    // Below a millisecond: 1.0E-6 … 9.99E-4.
    const digits = fraction.replace(/^0+/, '');
    const exponent = -(fraction.length - digits.length + 1);
    return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
  }
  const digits = `${whole}${fraction}`.replace(/0+$/, '');
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${whole.length - 1}`;
}

/** `2024-01-02T03:04:05.123456Z` for microseconds since the epoch. */
export function isoOfMicros(micros: bigint): string {
  const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const subMillis = Number(micros - millis * 1000n);
  const iso = new Date(Number(millis)).toISOString(); // …T03:04:05.123Z
  if (subMillis === 0) return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso;
  return `${iso.slice(0, -1)}${String(subMillis).padStart(3, '0')}Z`;
}

/** DATETIME as BigQuery writes it: `2024-01-02T03:04:05[.ffffff]`. */
function formatDatetime(value: DuckDBValue): string {
  const micros = microsOf(value);
  if (micros === undefined) return String(value).replace(' ', 'T');
  const iso = isoOfMicros(micros).replace(/Z$/, '');
  const [whole, fraction] = iso.split('.');
  return fraction === undefined ? whole! : `${whole}.${fraction.padEnd(6, '0')}`;
}

/** INTERVAL as BigQuery writes it: `Y-M D H:M:S[.F]`. */
function formatInterval(value: DuckDBIntervalValue): string {
  const years = Math.trunc(value.months / 12);
  const months = value.months % 12;
  const negative = value.micros < 0n;
  let micros = negative ? -value.micros : value.micros;
  const hours = micros / 3_600_000_000n;
  micros %= 3_600_000_000n;
  const minutes = micros / 60_000_000n;
  micros %= 60_000_000n;
  const seconds = micros / 1_000_000n;
  const fraction = micros % 1_000_000n;
  const time = `${negative ? '-' : ''}${hours}:${minutes}:${seconds}${fraction === 0n ? '' : `.${fraction.toString().padStart(6, '0')}`}`;
  return `${years}-${months} ${value.days} ${time}`;
}

/** A DuckDB value as plain JSON-compatible data (for values reported as JSON text). */
function plainValue(value: DuckDBValue): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue)
    return value.items.map(plainValue);
  if (value instanceof DuckDBStructValue)
    return Object.fromEntries(Object.entries(value.entries).map(([key, item]) => [key, plainValue(item)]));
  if (value instanceof DuckDBMapValue)
    return Object.fromEntries(value.entries.map((entry) => [String(entry.key), plainValue(entry.value)]));
  if (value instanceof DuckDBDecimalValue) return Number(value.toString());
  return String(value);
}

/** The size of a row in its JSON form, to cut pages near BigQuery's 10 MB. */
export function rowJsonSize(row: Row): number {
  return JSON.stringify(row).length;
}
