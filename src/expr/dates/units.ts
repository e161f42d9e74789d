import { civilOf, floorDiv, floorMod, monthLength } from './calendar.js';
import type { CivilDate } from './calendar.js';
import { DateError } from './errors.js';
import { ZonedDateTime } from './zoned-date-time.js';

/** Java's ChronoUnit names, in order, as `dateAdd` takes them. */
export const CHRONO_UNITS = [
  'NANOS',
  'MICROS',
  'MILLIS',
  'SECONDS',
  'MINUTES',
  'HOURS',
  'HALF_DAYS',
  'DAYS',
  'WEEKS',
  'MONTHS',
  'YEARS',
  'DECADES',
  'CENTURIES',
  'MILLENNIA',
  'ERAS',
  'FOREVER',
] as const;

const INSTANT_UNITS: Readonly<Record<string, number>> = {
  MILLIS: 1,
  SECONDS: 1000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  HALF_DAYS: 43_200_000,
};

const MONTH_UNITS: Readonly<Record<string, number>> = {
  MONTHS: 1,
  YEARS: 12,
  DECADES: 120,
  CENTURIES: 1200,
  MILLENNIA: 12_000,
};

const scratch: CivilDate = { year: 0, month: 0, day: 0 };

/**
 * Java's `ZonedDateTime.plus(amount, ChronoUnit.valueOf(unit))`: time units move the instant,
 * date units move the local date-time and keep the offset where it is still valid.
 */
export function plusUnit(date: ZonedDateTime, amount: number, unit: string): ZonedDateTime {
  if (amount === 0 && unit !== 'FOREVER' && (CHRONO_UNITS as readonly string[]).includes(unit)) return date;
  const millis = INSTANT_UNITS[unit];
  if (millis !== undefined)
    return new ZonedDateTime(date.epochMillis + amount * millis, date.nanoOfMilli, date.zone);
  if (unit === 'NANOS' || unit === 'MICROS') {
    const nanos = date.nanoOfMilli + (unit === 'MICROS' ? amount * 1000 : amount);
    return new ZonedDateTime(
      date.epochMillis + floorDiv(nanos, 1_000_000),
      floorMod(nanos, 1_000_000),
      date.zone,
    );
  }
  const local = date.local();
  if (unit === 'DAYS' || unit === 'WEEKS') {
    civilOf(date.epochDay + amount * (unit === 'WEEKS' ? 7 : 1), scratch);
    local.year = scratch.year;
    local.month = scratch.month;
    local.day = scratch.day;
  } else if (MONTH_UNITS[unit] !== undefined) {
    const months = local.year * 12 + (local.month - 1) + amount * MONTH_UNITS[unit];
    local.year = floorDiv(months, 12);
    local.month = floorMod(months, 12) + 1;
    local.day = Math.min(local.day, monthLength(local.year, local.month));
  } else if (unit === 'ERAS') {
    const era = local.year > 0 ? 1 : 0;
    const target = era + amount;
    if (target !== 0 && target !== 1)
      throw new DateError(`Invalid value for Era (valid values 0 - 1): ${target}`);
    local.year = 1 - local.year;
  } else if (unit === 'FOREVER') {
    throw new DateError('Unsupported unit: Forever');
  } else {
    throw new DateError(
      `unknown unit \`${unit}\`: use one of ${CHRONO_UNITS.slice(0, -2).join(', ')} (in capitals, as Java's ChronoUnit)`,
    );
  }
  return ZonedDateTime.ofLocal(local, date.zone, date.offsetSeconds);
}
