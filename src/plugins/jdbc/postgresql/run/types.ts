/**
 * How PostgreSQL values become output values. pg's defaults lose information (`date` becomes a
 * local-midnight Date, `int8` and `numeric` stay text), so a few types are parsed here instead.
 */
import pg from 'pg';
import { parseDecimal, parseWhole } from '../../run/exact-numbers.js';

const { types } = pg;

const OID = {
  int8: 20,
  numeric: 1700,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  int8Array: 1016,
  numericArray: 1231,
  dateArray: 1182,
  timestampArray: 1115,
  timestamptzArray: 1185,
  intervalArray: 1187,
} as const;

/** `2024-05-01 10:00:00` → `2024-05-01T10:00:00` (ISO-8601, as Kestra renders a local date-time). */
function parseTimestamp(text: string): string {
  return text.replace(' ', 'T');
}

/** `2024-05-01 10:00:00+02` → `2024-05-01T10:00:00+02:00`, UTC as `Z`: the session's time zone is kept. */
function parseTimestamptz(text: string): string {
  const iso = text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  return iso.replace(/\+00:00$/, 'Z');
}

const keepText = (text: string) => text;

// @types/pg says `arrayParser` is a function; pg-types exports `{ create(source, transform) }`.
const arrayParser = types.arrayParser as unknown as {
  create(source: string, transform: (item: string | null) => unknown): { parse(): unknown[] };
};

const arrayOf =
  (parse: (text: string) => unknown) =>
  (text: string): unknown =>
    arrayParser.create(text, (item) => (item === null ? null : parse(item))).parse();

const PARSERS: Record<number, (text: string) => unknown> = {
  [OID.int8]: parseWhole,
  [OID.numeric]: parseDecimal,
  [OID.date]: keepText,
  [OID.timestamp]: parseTimestamp,
  [OID.timestamptz]: parseTimestamptz,
  [OID.interval]: keepText,
  [OID.int8Array]: arrayOf(parseWhole),
  [OID.numericArray]: arrayOf(parseDecimal),
  [OID.dateArray]: arrayOf(keepText),
  [OID.timestampArray]: arrayOf(parseTimestamp),
  [OID.timestamptzArray]: arrayOf(parseTimestamptz),
  [OID.intervalArray]: arrayOf(keepText),
};

/** The type parsers of Windhover's PostgreSQL connections (pg's `types` option). */
export const OUTPUT_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    const parser = format === 'binary' ? undefined : PARSERS[oid];
    return parser ?? (types.getTypeParser(oid, format ?? 'text') as (text: string) => unknown);
  }) as pg.CustomTypesConfig['getTypeParser'],
};
