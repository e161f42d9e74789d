/**
 * Proleptic Gregorian calendar arithmetic, as java.time's IsoChronology: epoch days, civil
 * dates, day of week and week-based fields. Pure integer math, no allocation on the hot path.
 */

export const SECONDS_PER_DAY = 86_400;

/** Floor division, as Java's Math.floorDiv. */
export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Floor modulus, as Java's Math.floorMod: the result has the sign of `b`. */
export function floorMod(a: number, b: number): number {
  return a - Math.floor(a / b) * b;
}

/** Whether a (proleptic Gregorian) year has a February 29. */
export function isLeapYear(year: number): boolean {
  return (year & 3) === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Days in a month (1-12) of a year. */
export function monthLength(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days in a year: 365 or 366. */
export function yearLength(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

/** Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
export function epochDayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** A civil date: year, month (1-12), day (1-31). */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Writes the civil date of an epoch day into `out` (civil_from_days); returns `out`. */
export function civilOf(epochDay: number, out: CivilDate): CivilDate {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  out.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  out.month = mp < 10 ? mp + 3 : mp - 9;
  out.year = yoe + era * 400 + (out.month <= 2 ? 1 : 0);
  return out;
}

/** ISO day of week of an epoch day: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function dayOfWeekOf(epochDay: number): number {
  return floorMod(epochDay + 3, 7) + 1;
}

/** Day of year (1-366) of a civil date. */
export function dayOfYearOf(year: number, month: number, day: number): number {
  return epochDayOf(year, month, day) - epochDayOf(year, 1, 1) + 1;
}

/**
 * A week definition, as java.time's WeekFields: the first day of the week (1 = Monday … 7 =
 * Sunday) and the minimal number of days in the first week of a month or year.
 */
export interface WeekDefinition {
  readonly firstDay: number;
  readonly minDays: number;
}

/** ISO weeks: Monday first, the first week holds at least 4 days. */
export const ISO_WEEK: WeekDefinition = { firstDay: 1, minDays: 4 };

/** Day of week counted from the week's first day: 1 … 7. */
export function localizedDayOfWeek(isoDayOfWeek: number, week: WeekDefinition): number {
  return floorMod(isoDayOfWeek - week.firstDay, 7) + 1;
}

/** WeekFields.startOfWeekOffset: where week 1 starts relative to day `day` of a month or year. */
function startOfWeekOffset(day: number, localDow: number, week: WeekDefinition): number {
  const weekStart = floorMod(day - localDow, 7);
  return weekStart + 1 > week.minDays ? 7 - weekStart : -weekStart;
}

function computeWeek(offset: number, day: number): number {
  return Math.floor((7 + offset + (day - 1)) / 7);
}

/** Week of month ('W'). */
export function weekOfMonth(day: number, isoDayOfWeek: number, week: WeekDefinition): number {
  const localDow = localizedDayOfWeek(isoDayOfWeek, week);
  return computeWeek(startOfWeekOffset(day, localDow, week), day);
}

/** Week-based year ('Y') and week of week-based year ('w') of a date; written into `out`. */
export function weekBasedFields(
  year: number,
  dayOfYear: number,
  isoDayOfWeek: number,
  week: WeekDefinition,
  out: { weekYear: number; week: number },
): { weekYear: number; week: number } {
  const localDow = localizedDayOfWeek(isoDayOfWeek, week);
  const offset = startOfWeekOffset(dayOfYear, localDow, week);
  const w = computeWeek(offset, dayOfYear);
  if (w === 0) {
    // The day belongs to the last week of the previous year: count from that year's last day.
    const previousLength = yearLength(year - 1);
    const previousDow = floorMod(isoDayOfWeek - 1 - dayOfYear, 7) + 1;
    return weekBasedFields(year - 1, previousLength, previousDow, week, out);
  }
  const newYearWeek = computeWeek(offset, yearLength(year) + week.minDays);
  if (w >= newYearWeek) {
    out.weekYear = year + 1;
    out.week = w - newYearWeek + 1;
  } else {
    out.weekYear = year;
    out.week = w;
  }
  return out;
}

/** The epoch day of (week-based year, week, localized day of week), clamping the week as Java's SMART resolver. */
export function epochDayOfWeekDate(
  weekYear: number,
  weekOfYear: number,
  localDow: number,
  week: WeekDefinition,
): number {
  const jan1 = epochDayOf(weekYear, 1, 1);
  const offset = startOfWeekOffset(1, localizedDayOfWeek(dayOfWeekOf(jan1), week), week);
  const lastWeek = computeWeek(offset, yearLength(weekYear) + week.minDays) - 1;
  const w = Math.min(weekOfYear, lastWeek);
  return jan1 - offset + (localDow - 1) + (w - 1) * 7;
}

/** The epoch day of (year, month, week of month, localized day of week). */
export function epochDayOfMonthWeek(
  year: number,
  month: number,
  weekOfMonthValue: number,
  localDow: number,
  week: WeekDefinition,
): number {
  const first = epochDayOf(year, month, 1);
  const offset = startOfWeekOffset(1, localizedDayOfWeek(dayOfWeekOf(first), week), week);
  return first - offset + (localDow - 1) + (weekOfMonthValue - 1) * 7;
}
