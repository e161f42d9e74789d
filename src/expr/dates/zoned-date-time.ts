import { civilOf, dayOfWeekOf, epochDayOf, floorDiv, floorMod, SECONDS_PER_DAY } from './calendar.js';
import type { CivilDate } from './calendar.js';
import { DateError } from './errors.js';
import { offsetId } from './zone.js';
import type { Zone } from './zone.js';

/** A local date-time's fields, as parsing and arithmetic produce them. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Nanosecond of second, 0-999,999,999. */
  nano: number;
}

const MONTHS = [
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
const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

const scratch: CivilDate = { year: 0, month: 0, day: 0 };

/** The largest distance from the epoch JavaScript dates reach, in milliseconds. */
const MAX_MILLIS = 8.64e15;

function pad(n: number, width: number): string {
  const text = String(n);
  return text.length >= width ? text : '0'.repeat(width - text.length) + text;
}

/** A year as Java's LocalDate prints it: `2024`, `0045`, `-0044`, `+12345`. */
export function isoYear(year: number): string {
  if (Math.abs(year) < 1000) return year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  return year > 9999 ? `+${year}` : String(year);
}

/**
 * Java's ZonedDateTime: an instant (epoch milliseconds plus the nanoseconds below them) seen in
 * a zone. Its local fields are computed once, when it is made. Attribute names follow Java's
 * getters, as Pebble reads them: `year`, `monthValue`, `month` (`FEBRUARY`), `dayOfMonth`,
 * `dayOfWeek` (`MONDAY`), `dayOfYear`, `hour`, `minute`, `second`, `nano`, `offset`, `zone`.
 */
export class ZonedDateTime {
  readonly offsetSeconds: number;
  readonly epochDay: number;
  readonly year: number;
  readonly monthValue: number;
  readonly dayOfMonth: number;
  readonly dayOfYear: number;
  /** 1 = Monday … 7 = Sunday. */
  readonly isoDayOfWeek: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Nanosecond of second. */
  readonly nano: number;
  /** The last conversion to another zone: renders often show the same date in the render's zone. */
  #converted: ZonedDateTime | undefined;

  constructor(
    /** Milliseconds since 1970-01-01T00:00Z (values.ts compares dates by it). */
    readonly epochMillis: number,
    /** Nanoseconds within the millisecond, 0-999,999. */
    readonly nanoOfMilli: number,
    readonly zone: Zone,
    offsetSeconds?: number,
  ) {
    // JavaScript dates (and exact integer math) end where Java's Instant would go on: say so.
    if (!(Math.abs(epochMillis) <= MAX_MILLIS))
      throw new DateError(`the date-time is out of range (years -271821 to 275760)`);
    const offset = offsetSeconds ?? zone.offsetAt(epochMillis);
    this.offsetSeconds = offset;
    const local = floorDiv(epochMillis, 1000) + offset;
    const epochDay = floorDiv(local, SECONDS_PER_DAY);
    const secondOfDay = local - epochDay * SECONDS_PER_DAY;
    civilOf(epochDay, scratch);
    this.epochDay = epochDay;
    this.year = scratch.year;
    this.monthValue = scratch.month;
    this.dayOfMonth = scratch.day;
    this.dayOfYear = epochDay - epochDayOf(scratch.year, 1, 1) + 1;
    this.isoDayOfWeek = dayOfWeekOf(epochDay);
    this.hour = Math.floor(secondOfDay / 3600);
    this.minute = Math.floor(secondOfDay / 60) % 60;
    this.second = secondOfDay % 60;
    this.nano = floorMod(epochMillis, 1000) * 1_000_000 + nanoOfMilli;
  }

  /** The date-time of an instant in a zone. */
  static ofInstant(epochMillis: number, nanoOfMilli: number, zone: Zone): ZonedDateTime {
    return new ZonedDateTime(epochMillis, nanoOfMilli, zone);
  }

  /** A local date-time in a zone, as Java's ZonedDateTime.ofLocal (gaps move forward, overlaps take the earlier offset). */
  static ofLocal(local: LocalDateTime, zone: Zone, preferredOffset?: number): ZonedDateTime {
    const seconds =
      epochDayOf(local.year, local.month, local.day) * SECONDS_PER_DAY +
      local.hour * 3600 +
      local.minute * 60 +
      local.second;
    const localMillis = seconds * 1000 + Math.floor(local.nano / 1_000_000);
    return new ZonedDateTime(zone.instantOfLocal(localMillis, preferredOffset), local.nano % 1_000_000, zone);
  }

  /** The same instant in another zone (withZoneSameInstant). */
  withZone(zone: Zone): ZonedDateTime {
    if (zone === this.zone) return this;
    const last = this.#converted;
    if (last?.zone === zone) return last;
    return (this.#converted = new ZonedDateTime(this.epochMillis, this.nanoOfMilli, zone));
  }

  /** This date-time's local fields. */
  local(): LocalDateTime {
    return {
      year: this.year,
      month: this.monthValue,
      day: this.dayOfMonth,
      hour: this.hour,
      minute: this.minute,
      second: this.second,
      nano: this.nano,
    };
  }

  /** Whole seconds since the epoch (Java's toEpochSecond). */
  get epochSecond(): number {
    return floorDiv(this.epochMillis, 1000);
  }

  /** The month's name, as Java's `getMonth()` prints: `FEBRUARY`. */
  get month(): string {
    return MONTHS[this.monthValue - 1]!;
  }

  /** The day's name, as Java's `getDayOfWeek()` prints: `MONDAY`. */
  get dayOfWeek(): string {
    return DAYS[this.isoDayOfWeek - 1]!;
  }

  /** The offset, as Java's `getOffset()` prints: `+01:00`, `Z`. */
  get offset(): string {
    return offsetId(this.offsetSeconds);
  }

  /** Java's ZonedDateTime.toString: `2024-02-05T10:15:30.123+01:00[Europe/Paris]`, `2024-02-05T10:15Z`. */
  toString(): string {
    let time = `${pad(this.hour, 2)}:${pad(this.minute, 2)}`;
    const nano = this.nano;
    if (this.second > 0 || nano > 0) {
      time += `:${pad(this.second, 2)}`;
      if (nano > 0) {
        if (nano % 1_000_000 === 0) time += `.${pad(nano / 1_000_000, 3)}`;
        else if (nano % 1000 === 0) time += `.${pad(nano / 1000, 6)}`;
        else time += `.${pad(nano, 9)}`;
      }
    }
    const zone = this.zone.isOffset ? '' : `[${this.zone.id}]`;
    return `${isoYear(this.year)}-${pad(this.monthValue, 2)}-${pad(this.dayOfMonth, 2)}T${time}${offsetId(this.offsetSeconds)}${zone}`;
  }

  /** ISO-8601 with offset, as Jackson writes a ZonedDateTime in Kestra (ISO_OFFSET_DATE_TIME). */
  toJSON(): string {
    let fraction = '';
    if (this.nano > 0) fraction = `.${pad(this.nano, 9).replace(/0+$/, '')}`;
    return `${isoYear(this.year)}-${pad(this.monthValue, 2)}-${pad(this.dayOfMonth, 2)}T${pad(this.hour, 2)}:${pad(this.minute, 2)}:${pad(this.second, 2)}${fraction}${offsetId(this.offsetSeconds)}`;
  }

  /** Java's equals: the same local date-time, offset and zone. */
  equals(other: unknown): boolean {
    return (
      other instanceof ZonedDateTime &&
      other.epochMillis === this.epochMillis &&
      other.nanoOfMilli === this.nanoOfMilli &&
      other.offsetSeconds === this.offsetSeconds &&
      other.zone.id === this.zone.id
    );
  }
}
