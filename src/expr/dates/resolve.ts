import {
  civilOf,
  dayOfWeekOf,
  epochDayOf,
  epochDayOfMonthWeek,
  epochDayOfWeekDate,
  ISO_WEEK,
  isLeapYear,
  monthLength,
  yearLength,
} from './calendar.js';
import type { CivilDate, WeekDefinition } from './calendar.js';
import { DateError } from './errors.js';
import { FIELD_RANGES } from './fields.js';
import type { ParsedField, ParseState } from './parse.js';
import { offsetZone } from './zone.js';
import type { Zone } from './zone.js';
import { isoYear, ZonedDateTime } from './zoned-date-time.js';
import type { LocalDateTime } from './zoned-date-time.js';

/** How strictly parsed values are checked (Java's ResolverStyle; ofPattern is SMART, the ISO constants STRICT). */
export type ResolverStyle = 'STRICT' | 'SMART';

/** What a parse resolved to: any of a date, a time, a zone, an offset and an instant. */
export interface Resolved {
  /** Epoch day of the date, if the fields make one. */
  epochDay: number | undefined;
  /** Nanosecond of the day, if the fields make a time. */
  nanoOfDay: number | undefined;
  zone: Zone | undefined;
  offset: number | undefined;
  /** Seconds since the epoch, when the text was an instant (ISO_INSTANT). */
  instantSeconds: number | undefined;
  nanoOfSecond: number;
  /** The fields as Java's Parsed prints them in messages. */
  describe(): string;
}

const MONTH_NAMES = [
  'JANUARY',
  'FEBRUARY',
  'MARCH',
  'APRIL',
  'MAY',
  'JUNE',
  'JULY',
  'AUGUST',
  'SEPTEMBER',
  'OCTOBER',
  'NOVEMBER',
  'DECEMBER',
];

function check(field: ParsedField, value: number): number {
  const range = FIELD_RANGES[field as keyof typeof FIELD_RANGES];
  if (range && (value < range[0] || value > range[1]))
    throw new DateError(`Invalid value for ${field} (valid values ${range[2]}): ${value}`);
  return value;
}

const scratch: CivilDate = { year: 0, month: 0, day: 0 };

function localDateText(epochDay: number): string {
  civilOf(epochDay, scratch);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${isoYear(scratch.year)}-${pad(scratch.month)}-${pad(scratch.day)}`;
}

/** LocalDate.of's check of a day against its month. */
function dateOf(year: number, month: number, day: number, style: ResolverStyle): number {
  check('Year', year);
  check('MonthOfYear', month);
  check('DayOfMonth', day);
  const length = monthLength(year, month);
  if (day > length) {
    if (style === 'SMART') return epochDayOf(year, month, length);
    if (day === 29) throw new DateError(`Invalid date 'February 29' as '${year}' is not a leap year`);
    throw new DateError(`Invalid date '${MONTH_NAMES[month - 1]} ${day}'`);
  }
  return epochDayOf(year, month, day);
}

/** Resolves the year from era, year-of-era and proleptic year (IsoChronology.resolveYearOfEra). */
function resolveYear(f: Map<ParsedField, number>, style: ResolverStyle): void {
  const yoe = f.get('YearOfEra');
  if (yoe !== undefined) {
    check('YearOfEra', yoe);
    const era = f.get('Era');
    f.delete('YearOfEra');
    f.delete('Era');
    if (era === undefined) {
      const year = f.get('Year');
      if (style === 'STRICT') {
        if (year === undefined) f.set('YearOfEra', yoe);
        else if ((year > 0 ? yoe : 1 - yoe) !== year)
          throw new DateError(`Conflict found: Year ${year} differs from Year ${yoe}`);
        return;
      }
      setChecked(f, 'Year', year === undefined || year > 0 ? yoe : 1 - yoe);
    } else {
      check('Era', era);
      setChecked(f, 'Year', era === 1 ? yoe : 1 - yoe);
    }
  } else if (f.has('Era')) {
    check('Era', f.get('Era')!);
  }
}

function setChecked(f: Map<ParsedField, number>, field: ParsedField, value: number): void {
  const old = f.get(field);
  if (old !== undefined && old !== value)
    throw new DateError(`Conflict found: ${field} ${old} differs from ${field} ${value}`);
  f.set(field, value);
}

function take(f: Map<ParsedField, number>, field: ParsedField): number | undefined {
  const value = f.get(field);
  f.delete(field);
  return value;
}

/** The date the fields make, removing the fields used (IsoChronology.resolveDate and the week fields' resolve). */
function resolveDate(
  f: Map<ParsedField, number>,
  style: ResolverStyle,
  week: WeekDefinition,
): number | undefined {
  const mjd = take(f, 'ModifiedJulianDay');
  if (mjd !== undefined) return mjd - 40_587;
  const localDow = take(f, 'LocalizedDayOfWeek');
  if (localDow !== undefined)
    setChecked(f, 'DayOfWeek', ((week.firstDay - 1 + check('LocalizedDayOfWeek', localDow) - 1) % 7) + 1);
  resolveYear(f, style);
  const year = f.get('Year');
  if (f.has('IsoWeekBasedYear') && f.has('IsoWeekOfWeekBasedYear') && f.has('DayOfWeek')) {
    const weekYear = take(f, 'IsoWeekBasedYear')!;
    const w = take(f, 'IsoWeekOfWeekBasedYear')!;
    const dow = check('DayOfWeek', take(f, 'DayOfWeek')!);
    const jan4 = epochDayOf(weekYear, 1, 4);
    const weeks = dayOfWeekOf(jan4) === 4 || (isLeapYear(weekYear) && dayOfWeekOf(jan4) === 3) ? 53 : 52;
    if (w < 1 || w > weeks)
      throw new DateError(`Invalid value for WeekOfWeekBasedYear (valid values 1 - 52/53): ${w}`);
    return epochDayOfWeekDate(weekYear, w, dow, ISO_WEEK);
  }
  if (year === undefined) return undefined;
  if (f.has('MonthOfYear')) {
    if (f.has('DayOfMonth')) {
      f.delete('Year');
      return dateOf(year, take(f, 'MonthOfYear')!, take(f, 'DayOfMonth')!, style);
    }
    if (f.has('WeekOfMonth') && f.has('DayOfWeek')) {
      f.delete('Year');
      const month = check('MonthOfYear', take(f, 'MonthOfYear')!);
      const wom = take(f, 'WeekOfMonth')!;
      const dow = check('DayOfWeek', take(f, 'DayOfWeek')!);
      return epochDayOfMonthWeek(year, month, wom, ((dow - week.firstDay + 7) % 7) + 1, week);
    }
  }
  if (f.has('DayOfYear')) {
    f.delete('Year');
    const doy = check('DayOfYear', take(f, 'DayOfYear')!);
    if (doy > yearLength(year))
      throw new DateError(`Invalid date 'DayOfYear 366' as '${year}' is not a leap year`);
    return epochDayOf(year, 1, 1) + doy - 1;
  }
  return undefined;
}

/** Week-based-year dates (`Y`, `w`, `e`), resolved by the locale's week definition. */
function resolveWeekDate(f: Map<ParsedField, number>, week: WeekDefinition): number | undefined {
  if (!(f.has('WeekBasedYear') && f.has('WeekOfWeekBasedYear') && f.has('DayOfWeek'))) return undefined;
  const weekYear = take(f, 'WeekBasedYear')!;
  const w = check('WeekOfWeekBasedYear', take(f, 'WeekOfWeekBasedYear')!);
  const dow = check('DayOfWeek', take(f, 'DayOfWeek')!);
  return epochDayOfWeekDate(weekYear, w, ((dow - week.firstDay + 7) % 7) + 1, week);
}

/** The time the fields make, and days it spills into (24:00), as Parsed.resolveTimeFields and resolveTimeLenient. */
function resolveTime(
  f: Map<ParsedField, number>,
  style: ResolverStyle,
): { nanoOfDay: number; excessDays: number } | undefined {
  const clockHour = take(f, 'ClockHourOfDay');
  if (clockHour !== undefined) {
    if (style === 'STRICT' || clockHour !== 0) check('ClockHourOfDay', clockHour);
    setChecked(f, 'HourOfDay', clockHour === 24 ? 0 : clockHour);
  }
  const clockHourAmPm = take(f, 'ClockHourOfAmPm');
  if (clockHourAmPm !== undefined) {
    if (style === 'STRICT' || clockHourAmPm !== 0) check('ClockHourOfAmPm', clockHourAmPm);
    setChecked(f, 'HourOfAmPm', clockHourAmPm === 12 ? 0 : clockHourAmPm);
  }
  if (f.has('AmPmOfDay') && f.has('HourOfAmPm')) {
    const ampm = check('AmPmOfDay', take(f, 'AmPmOfDay')!);
    const hour = check('HourOfAmPm', take(f, 'HourOfAmPm')!);
    setChecked(f, 'HourOfDay', ampm * 12 + hour);
  }
  const nanoOfDay = take(f, 'NanoOfDay');
  if (nanoOfDay !== undefined) {
    check('NanoOfDay', nanoOfDay);
    const seconds = Math.floor(nanoOfDay / 1e9);
    setChecked(f, 'HourOfDay', Math.floor(seconds / 3600));
    setChecked(f, 'MinuteOfHour', Math.floor(seconds / 60) % 60);
    setChecked(f, 'SecondOfMinute', seconds % 60);
    setChecked(f, 'NanoOfSecond', nanoOfDay % 1e9);
  }
  const milliOfDay = take(f, 'MilliOfDay');
  if (milliOfDay !== undefined) {
    check('MilliOfDay', milliOfDay);
    const seconds = Math.floor(milliOfDay / 1000);
    setChecked(f, 'HourOfDay', Math.floor(seconds / 3600));
    setChecked(f, 'MinuteOfHour', Math.floor(seconds / 60) % 60);
    setChecked(f, 'SecondOfMinute', seconds % 60);
    setChecked(f, 'NanoOfSecond', (milliOfDay % 1000) * 1_000_000);
  }
  const hour = f.get('HourOfDay');
  if (hour === undefined) return undefined;
  const minute = f.get('MinuteOfHour');
  const second = f.get('SecondOfMinute');
  const nano = f.get('NanoOfSecond');
  // Seconds without minutes, or nanos without seconds, make no time (Java leaves them unresolved).
  if (
    (minute === undefined && (second !== undefined || nano !== undefined)) ||
    (minute !== undefined && second === undefined && nano !== undefined)
  ) {
    return undefined;
  }
  for (const field of ['HourOfDay', 'MinuteOfHour', 'SecondOfMinute', 'NanoOfSecond'] as const)
    f.delete(field);
  const m = minute ?? 0;
  const s = second ?? 0;
  const n = nano ?? 0;
  if (style === 'SMART' && hour === 24 && m === 0 && s === 0 && n === 0)
    return { nanoOfDay: 0, excessDays: 1 };
  check('HourOfDay', hour);
  check('MinuteOfHour', m);
  check('SecondOfMinute', s);
  check('NanoOfSecond', n);
  return { nanoOfDay: (hour * 3600 + m * 60 + s) * 1e9 + n, excessDays: 0 };
}

/** Checks fields left over against the date they did not help make (Parsed.crossCheck). */
function crossCheck(f: Map<ParsedField, number>, epochDay: number): void {
  civilOf(epochDay, scratch);
  const derived: Partial<Record<ParsedField, number>> = {
    DayOfWeek: dayOfWeekOf(epochDay),
    QuarterOfYear: Math.floor((scratch.month - 1) / 3) + 1,
    AlignedDayOfWeekInMonth: ((scratch.day - 1) % 7) + 1,
    DayOfYear: epochDay - epochDayOf(scratch.year, 1, 1) + 1,
    MonthOfYear: scratch.month,
    DayOfMonth: scratch.day,
    Year: scratch.year,
    Era: scratch.year > 0 ? 1 : 0,
  };
  for (const [field, value] of f) {
    const expected = derived[field];
    if (expected !== undefined && expected !== value) {
      throw new DateError(
        `Conflict found: Field ${field} ${expected} differs from ${field} ${value} derived from ${localDateText(epochDay)}`,
      );
    }
  }
}

/** Resolves what a parse found, as Java's Parsed.resolve with a resolver style. */
export function resolve(state: ParseState, style: ResolverStyle): Resolved {
  const f = new Map(state.fields);
  const describe = (): string =>
    `{${[...state.fields].map(([k, v]) => `${k}=${v}`).join(', ')}},ISO${state.zone ? `,${state.zone.id}` : ''}`;
  const offset = take(f, 'OffsetSeconds');
  const instantSeconds = take(f, 'InstantSeconds');
  let epochDay = resolveDate(f, style, state.locale.week) ?? resolveWeekDate(f, state.locale.week);
  const time = resolveTime(f, style);
  let nanoOfSecond = 0;
  if (instantSeconds !== undefined) nanoOfSecond = take(f, 'NanoOfSecond') ?? 0;
  if (epochDay !== undefined) {
    crossCheck(f, epochDay);
    if (time) epochDay += time.excessDays;
  }
  return {
    epochDay,
    nanoOfDay: time?.nanoOfDay,
    zone: state.zone,
    offset,
    instantSeconds,
    nanoOfSecond,
    describe,
  };
}

function local(epochDay: number, nanoOfDay: number): LocalDateTime {
  civilOf(epochDay, scratch);
  const seconds = Math.floor(nanoOfDay / 1e9);
  return {
    year: scratch.year,
    month: scratch.month,
    day: scratch.day,
    hour: Math.floor(seconds / 3600),
    minute: Math.floor(seconds / 60) % 60,
    second: seconds % 60,
    nano: nanoOfDay % 1e9,
  };
}

/** ZonedDateTime.from(parsed): needs a zone or offset, and a date and time (or an instant); else undefined. */
export function zonedOf(r: Resolved): ZonedDateTime | undefined {
  const zone = r.zone ?? (r.offset !== undefined ? offsetZone(r.offset) : undefined);
  if (!zone) return undefined;
  if (r.epochDay !== undefined && r.nanoOfDay !== undefined) {
    const l = local(r.epochDay, r.nanoOfDay);
    if (r.offset === undefined) return ZonedDateTime.ofLocal(l, zone);
    const localMillis =
      (r.epochDay * 86_400 + Math.floor(r.nanoOfDay / 1e9) - r.offset) * 1000 +
      Math.floor(l.nano / 1_000_000);
    return new ZonedDateTime(localMillis, l.nano % 1_000_000, zone);
  }
  if (r.instantSeconds !== undefined && r.zone) {
    return new ZonedDateTime(
      r.instantSeconds * 1000 + Math.floor(r.nanoOfSecond / 1_000_000),
      r.nanoOfSecond % 1_000_000,
      r.zone,
    );
  }
  return undefined;
}

/** LocalDateTime.from(parsed).atZone(zone); undefined without a date and a time. */
export function localDateTimeIn(r: Resolved, zone: Zone): ZonedDateTime | undefined {
  if (r.epochDay === undefined || r.nanoOfDay === undefined) return undefined;
  return ZonedDateTime.ofLocal(local(r.epochDay, r.nanoOfDay), zone);
}

/** LocalDate.from(parsed).atStartOfDay().atZone(zone); undefined without a date. */
export function localDateIn(r: Resolved, zone: Zone): ZonedDateTime | undefined {
  if (r.epochDay === undefined) return undefined;
  return ZonedDateTime.ofLocal(local(r.epochDay, 0), zone);
}
