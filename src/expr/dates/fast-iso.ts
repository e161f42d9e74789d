import { epochDayOf, monthLength, SECONDS_PER_DAY } from './calendar.js';
import { offsetZone } from './zone.js';
import type { Zone } from './zone.js';
import { ZonedDateTime } from './zoned-date-time.js';

/**
 * The common ISO strings read without the general parser: `2024-02-05`,
 * `2024-02-05T10:15[:30[.123456789]]` and the same with `Z` or `±HH:MM`. Anything else, or a
 * value out of range, answers undefined and goes to the general parser (which words the error).
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{0,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Reads a common ISO string as Kestra does (offset kept; local forms placed in `zone`), or undefined. */
export function fastIso(text: string, zone: Zone): ZonedDateTime | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > monthLength(year, month)) return undefined;
  if (m[4] === undefined)
    return ZonedDateTime.ofLocal({ year, month, day, hour: 0, minute: 0, second: 0, nano: 0 }, zone);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const digits = m[7] ?? '';
  const nano = digits ? Number(digits) * 10 ** (9 - digits.length) : 0;
  const offsetText = m[8];
  if (offsetText === undefined)
    return ZonedDateTime.ofLocal({ year, month, day, hour, minute, second, nano }, zone);
  let offset = 0;
  if (offsetText !== 'Z') {
    const h = Number(offsetText.slice(1, 3));
    const mm = Number(offsetText.slice(4, 6));
    if (h > 18 || mm > 59 || (h === 18 && mm > 0)) return undefined;
    offset = (offsetText[0] === '-' ? -1 : 1) * (h * 3600 + mm * 60);
  }
  const seconds =
    epochDayOf(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset;
  return new ZonedDateTime(
    seconds * 1000 + Math.floor(nano / 1_000_000),
    nano % 1_000_000,
    offsetZone(offset),
  );
}
