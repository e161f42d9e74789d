/**
 * How MySQL/MariaDB values become output values: mysql2's defaults turn DECIMAL into text and
 * dates into local-midnight Dates, which lose what the database said, so a few types are read here.
 */
import type mysql from 'mysql2';
import { parseDecimal, parseWhole } from '../../run/exact-numbers.js';

/** `2024-05-01 10:00:00` → `2024-05-01T10:00:00`: ISO-8601, as the session's time zone shows it. */
function parseDateTime(text: string): string {
  return text.replace(' ', 'T');
}

/**
 * mysql2's `typeCast`: DECIMAL as a number when exact, BIGINT as a number when safe, DATETIME and
 * TIMESTAMP as ISO-8601 local date-times, DATE as `YYYY-MM-DD`, `BOOLEAN` (TINYINT(1)) as true or
 * false and BIT(1) too (as the JDBC drivers do), other BITs as numbers. Zero dates
 * (`0000-00-00`) are null, as Connector/J's default `zeroDateTimeBehavior` would fail or null them.
 */
export const typeCast = (field: mysql.TypeCastField, next: mysql.TypeCastNext): unknown => {
  switch (field.type) {
    case 'NEWDECIMAL':
    case 'DECIMAL': {
      const text = field.string();
      return text === null ? null : parseDecimal(text);
    }
    case 'LONGLONG': {
      const text = field.string();
      return text === null ? null : parseWhole(text);
    }
    case 'DATETIME':
    case 'DATETIME2':
    case 'TIMESTAMP':
    case 'TIMESTAMP2':
    case 'DATE':
    case 'NEWDATE': {
      const text = field.string();
      if (text === null || text.startsWith('0000-00-00')) return null;
      return parseDateTime(text);
    }
    case 'TINY': {
      if (field.length !== 1) return next();
      const text = field.string();
      return text === null ? null : text !== '0';
    }
    case 'BIT': {
      const bytes = field.buffer();
      if (bytes === null) return null;
      if (field.length === 1) return bytes[bytes.length - 1] === 1;
      let value = 0n;
      for (const byte of bytes) value = (value << 8n) | BigInt(byte);
      return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    }
    default:
      return next();
  }
};
