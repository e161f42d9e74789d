import {
  DateError,
  DEFAULT_LOCALE,
  epochMicros,
  epochNanos,
  epochSeconds,
  formatIn,
  localeOf,
  plusUnit,
  renderZone,
  toZonedDateTime,
  zoneOf,
} from '../../dates/index.js';
import type { LocaleText, Zone, ZonedDateTime } from '../../dates/index.js';
import { numberOf, typeName } from '../../values.js';
import { defineFilter } from '../define.js';
import type { CallContext, FilterDefinition } from '../types.js';
import { fail } from './support.js';

/**
 * Kestra's date filters (AbstractDate and its subclasses): `date` (also `dateFormat`),
 * `dateAdd`, `timestamp`, `timestampMilli`, `timestampMicro`, `timestampNano`. Inputs are
 * date-times, ISO strings, epoch seconds, or strings read with `existingFormat`.
 */

/** An optional string argument (Java's `(String) args.get(...)`). */
function optionalString(name: string, param: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  return fail(`\`${name}\` needs a string as \`${param}\`, got ${typeName(value)}`);
}

/** The zone of `timeZone`, or the render's (Kestra: the server's). */
export function zoneArg(name: string, value: unknown, call: CallContext): Zone {
  const id = optionalString(name, 'timeZone', value);
  try {
    return id === undefined ? renderZone(call.timeZone) : zoneOf(id);
  } catch (error) {
    if (!(error instanceof DateError)) throw error;
    return fail(
      `${error.message} (a zone is an IANA id like \`Europe/Paris\`, \`UTC\`, or an offset like \`+01:00\`)`,
    );
  }
}

/** The locale of `locale`, or Java's default (en_US). */
export function localeArg(name: string, value: unknown): LocaleText {
  const tag = optionalString(name, 'locale', value);
  if (tag === undefined) return DEFAULT_LOCALE;
  try {
    return localeOf(tag);
  } catch (error) {
    if (!(error instanceof DateError)) throw error;
    return fail(`${error.message} (a locale is like \`en\`, \`fr_FR\` or \`de-DE\`)`);
  }
}

/** The input as a date-time (AbstractDate.convert); a DateError becomes the filter's message. */
function dateInput(name: string, input: unknown, zone: Zone, existingFormat: unknown): ZonedDateTime {
  const format = optionalString(name, 'existingFormat', existingFormat);
  try {
    return toZonedDateTime(input, zone, format);
  } catch (error) {
    if (!(error instanceof DateError)) throw error;
    return fail(error.message);
  }
}

/** AbstractDate.format: the date in `zone` with `format` (default `iso`). */
export function formatArg(
  name: string,
  date: ZonedDateTime,
  format: unknown,
  zone: Zone,
  locale: unknown,
): string {
  const pattern = optionalString(name, 'format', format) ?? 'iso';
  const words = localeArg(name, locale);
  try {
    return formatIn(date, pattern, zone, words);
  } catch (error) {
    if (!(error instanceof DateError)) throw error;
    return fail(`cannot format with \`${pattern}\`: ${error.message}`);
  }
}

/** Kestra's DateAddFilter.getAsLong: a whole number, or a string of one. */
function amountArg(value: unknown): number {
  const n = numberOf(value);
  if (n !== undefined && Number.isFinite(n)) return Math.trunc(n);
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) return Number(value.trim());
  return fail(
    `\`dateAdd\` needs a whole number as \`amount\`, got ${typeof value === 'string' ? `\`${value}\`` : typeName(value)}`,
  );
}

function unitArg(value: unknown): string {
  if (typeof value === 'string') return value;
  return fail(`\`dateAdd\` needs a unit name as \`unit\` (DAYS, HOURS, MONTHS…), got ${typeName(value)}`);
}

/** A timestamp filter: the input's instant, as a number or (beyond a double's precision) text. */
function timestampFilter(
  name: string,
  description: string,
  read: (date: ZonedDateTime) => number | string,
): FilterDefinition {
  return defineFilter({
    name,
    description,
    params: ['timeZone', 'existingFormat'],
    apply: (input, [timeZone, existingFormat], call) => {
      if (input === null || input === undefined) return null;
      return read(dateInput(name, input, zoneArg(name, timeZone, call), existingFormat));
    },
  });
}

/** Kestra's date filters. */
export const DATE_FILTERS: readonly FilterDefinition[] = [
  defineFilter({
    name: 'date',
    description:
      'Formats a date-time (or an ISO string, epoch seconds, or a string read with `existingFormat`).',
    params: ['format', 'timeZone', 'existingFormat', 'locale'],
    apply: (input, [format, timeZone, existingFormat, locale], call) => {
      if (input === null || input === undefined) return null;
      const zone = zoneArg('date', timeZone, call);
      return formatArg('date', dateInput('date', input, zone, existingFormat), format, zone, locale);
    },
  }),
  defineFilter({
    name: 'dateAdd',
    description:
      'Adds an amount of a unit (DAYS, HOURS, MONTHS… as Java ChronoUnit) to a date-time, then formats it.',
    params: ['amount', 'unit', 'format', 'timeZone', 'existingFormat', 'locale'],
    required: 2,
    apply: (input, [amount, unit, format, timeZone, existingFormat, locale], call) => {
      if (input === null || input === undefined) return null;
      const zone = zoneArg('dateAdd', timeZone, call);
      const date = dateInput('dateAdd', input, zone, existingFormat);
      let added: ZonedDateTime;
      try {
        added = plusUnit(date, amountArg(amount), unitArg(unit));
      } catch (error) {
        if (!(error instanceof DateError)) throw error;
        return fail(error.message);
      }
      return formatArg('dateAdd', added, format, zone, locale);
    },
  }),
  timestampFilter('timestamp', 'Seconds since the epoch.', epochSeconds),
  timestampFilter('timestampMilli', 'Milliseconds since the epoch.', (date) => Math.floor(date.epochMillis)),
  timestampFilter('timestampMicro', 'Microseconds since the epoch, as text (as Kestra).', epochMicros),
  timestampFilter('timestampNano', 'Nanoseconds since the epoch, as text (as Kestra).', epochNanos),
];
