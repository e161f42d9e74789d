import { ISO_WEEK, localizedDayOfWeek, weekBasedFields, weekOfMonth } from './calendar.js';
import type { Field } from './elements.js';
import type { LocaleText } from './locale.js';
import type { ZonedDateTime } from './zoned-date-time.js';

/** Reads one field of a date-time, in a locale (the week-based fields depend on it). */
export type FieldReader = (d: ZonedDateTime, locale: LocaleText) => number;

const week = { weekYear: 0, week: 0 };

/** The reader of each field, as Java's ChronoField, IsoFields, WeekFields and JulianFields define them. */
export const FIELD_READERS: Readonly<Record<Field, FieldReader>> = {
  Era: (d) => (d.year > 0 ? 1 : 0),
  YearOfEra: (d) => (d.year > 0 ? d.year : 1 - d.year),
  Year: (d) => d.year,
  MonthOfYear: (d) => d.monthValue,
  DayOfMonth: (d) => d.dayOfMonth,
  DayOfYear: (d) => d.dayOfYear,
  QuarterOfYear: (d) => Math.floor((d.monthValue - 1) / 3) + 1,
  AlignedDayOfWeekInMonth: (d) => ((d.dayOfMonth - 1) % 7) + 1,
  DayOfWeek: (d) => d.isoDayOfWeek,
  AmPmOfDay: (d) => (d.hour < 12 ? 0 : 1),
  HourOfDay: (d) => d.hour,
  ClockHourOfDay: (d) => d.hour || 24,
  HourOfAmPm: (d) => d.hour % 12,
  ClockHourOfAmPm: (d) => d.hour % 12 || 12,
  MinuteOfHour: (d) => d.minute,
  SecondOfMinute: (d) => d.second,
  NanoOfSecond: (d) => d.nano,
  MilliOfDay: (d) => (d.hour * 3600 + d.minute * 60 + d.second) * 1000 + Math.floor(d.nano / 1_000_000),
  NanoOfDay: (d) => (d.hour * 3600 + d.minute * 60 + d.second) * 1_000_000_000 + d.nano,
  ModifiedJulianDay: (d) => d.epochDay + 40_587,
  WeekBasedYear: (d, l) => weekBasedFields(d.year, d.dayOfYear, d.isoDayOfWeek, l.week, week).weekYear,
  WeekOfWeekBasedYear: (d, l) => weekBasedFields(d.year, d.dayOfYear, d.isoDayOfWeek, l.week, week).week,
  WeekOfMonth: (d, l) => weekOfMonth(d.dayOfMonth, d.isoDayOfWeek, l.week),
  LocalizedDayOfWeek: (d, l) => localizedDayOfWeek(d.isoDayOfWeek, l.week),
  IsoWeekBasedYear: (d) => weekBasedFields(d.year, d.dayOfYear, d.isoDayOfWeek, ISO_WEEK, week).weekYear,
  IsoWeekOfWeekBasedYear: (d) => weekBasedFields(d.year, d.dayOfYear, d.isoDayOfWeek, ISO_WEEK, week).week,
};

/** Valid values of each field, as Java's ValueRange prints them in messages, and its bounds. */
export const FIELD_RANGES: Readonly<Partial<Record<Field, readonly [number, number, string]>>> = {
  Era: [0, 1, '0 - 1'],
  YearOfEra: [1, 1_000_000_000, '1 - 999999999/1000000000'],
  Year: [-999_999_999, 999_999_999, '-999999999 - 999999999'],
  MonthOfYear: [1, 12, '1 - 12'],
  DayOfMonth: [1, 31, '1 - 28/31'],
  DayOfYear: [1, 366, '1 - 365/366'],
  QuarterOfYear: [1, 4, '1 - 4'],
  AlignedDayOfWeekInMonth: [1, 7, '1 - 7'],
  DayOfWeek: [1, 7, '1 - 7'],
  AmPmOfDay: [0, 1, '0 - 1'],
  HourOfDay: [0, 23, '0 - 23'],
  ClockHourOfDay: [1, 24, '1 - 24'],
  HourOfAmPm: [0, 11, '0 - 11'],
  ClockHourOfAmPm: [1, 12, '1 - 12'],
  MinuteOfHour: [0, 59, '0 - 59'],
  SecondOfMinute: [0, 59, '0 - 59'],
  NanoOfSecond: [0, 999_999_999, '0 - 999999999'],
  MilliOfDay: [0, 86_399_999, '0 - 86399999'],
  NanoOfDay: [0, 86_399_999_999_999, '0 - 86399999999999'],
  LocalizedDayOfWeek: [1, 7, '1 - 7'],
  WeekOfWeekBasedYear: [1, 53, '1 - 52/53'],
  IsoWeekOfWeekBasedYear: [1, 53, '1 - 52/53'],
  WeekOfMonth: [0, 6, '0 - 4/6'],
};
