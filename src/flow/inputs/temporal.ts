/**
 * ISO-8601 dates, date-times and times as Kestra's inputs take them, normalized to the text
 * Java prints for LocalDate, Instant and LocalTime.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;

/** A parsed instant: epoch milliseconds plus the fraction digits as written (for printing). */
export interface ParsedInstant {
  epochMs: number;
  iso: string;
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/** `2024-02-05` → `2024-02-05`, or undefined when it is not a real calendar date. */
export function parseIsoDate(text: string): string | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  return validDate(Number(m[1]), Number(m[2]), Number(m[3])) ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** Java prints fractions of a second in groups of three digits, without trailing zero groups. */
function javaFraction(digits: string | undefined): string {
  if (!digits) return '';
  const trimmed = digits.replace(/0+$/, '');
  if (trimmed === '') return '';
  const size = Math.ceil(trimmed.length / 3) * 3;
  return `.${trimmed.padEnd(size, '0')}`;
}

/**
 * An ISO-8601 date-time (`2024-02-05T10:00:00Z`, `…+01:00`, or without a zone: read as UTC)
 * to an instant printed as Java's `Instant.toString()` does, in UTC.
 */
export function parseIsoDateTime(text: string): ParsedInstant | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, , sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? 0);
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (sign) {
    if (Number(oh) > 18 || Number(om) > 59) return undefined;
    offsetMinutes = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  }
  const wholeMs = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  const ms = fraction ? Number(`0.${fraction}`) * 1000 : 0;
  const base = new Date(wholeMs).toISOString().slice(0, 19);
  return { epochMs: wholeMs + ms, iso: `${base}${javaFraction(fraction)}Z` };
}

/** `10:15`, `10:15:30`, `10:15:30.5` → Java's `LocalTime.toString()` form; undefined if invalid. */
export function parseIsoTime(text: string): string | undefined {
  const m = TIME.exec(text.trim());
  if (!m) return undefined;
  const [, h, mi, s, fraction] = m;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return undefined;
  const frac = javaFraction(fraction);
  if ((s === undefined || Number(s) === 0) && frac === '') return `${h}:${mi}`;
  return `${h}:${mi}:${s ?? '00'}${frac}`;
}

/** Seconds since midnight of a normalized time, for comparisons. */
export function timeToSeconds(time: string): number {
  const [h, m, s] = time.split(':');
  return Number(h) * 3600 + Number(m) * 60 + Number(s ?? 0);
}
