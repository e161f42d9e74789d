import { epochDayOf, floorDiv, SECONDS_PER_DAY } from './calendar.js';
import { DateError } from './errors.js';
import { isJavaZoneId, zoneNames } from './zone-data.js';
import type { ZoneNames } from './zone-data.js';

/**
 * Time zones as Java's ZoneId: fixed offsets (`Z`, `+01:00`), offset-prefixed regions (`UTC`,
 * `UTC+01:00`) and IANA regions (`Europe/Paris`) whose rules come from Intl, cached per hour.
 */
export interface Zone {
  /** The id Java prints: `Europe/Paris`, `UTC`, `Z`, `+01:00`, `UTC+01:00`. */
  readonly id: string;
  /** A ZoneOffset (`Z`, `+01:00`): ZonedDateTime.toString prints no `[id]` and `z` prints the offset. */
  readonly isOffset: boolean;
  /** English names, for the regions Java has names for. */
  readonly names: ZoneNames | undefined;
  /** The offset in seconds at an instant. */
  offsetAt(epochMillis: number): number;
  /** Whether daylight saving time is in force at an instant (Java's isDaylightSavings). */
  isDaylight(epochMillis: number): boolean;
  /** The instant of a local date-time (given as if it were UTC), as Java's ZonedDateTime.ofLocal. */
  instantOfLocal(localMillis: number, preferredOffset?: number): number;
  toString(): string;
}

/** An offset's id as Java's ZoneOffset prints it: `Z`, `+01:00`, `-03:30`, `+01:02:03`. */
export function offsetId(seconds: number): string {
  if (seconds === 0) return 'Z';
  const abs = Math.abs(seconds);
  const h = Math.floor(abs / 3600);
  const m = Math.floor(abs / 60) % 60;
  const s = abs % 60;
  return `${seconds < 0 ? '-' : '+'}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}${s ? `:${s < 10 ? '0' : ''}${s}` : ''}`;
}

/** A zone whose offset never changes: a ZoneOffset, or a region like `UTC` or `GMT+01:00`. */
class FixedZone implements Zone {
  readonly names: ZoneNames | undefined;
  constructor(
    readonly id: string,
    readonly offset: number,
    readonly isOffset: boolean,
  ) {
    this.names = isOffset ? undefined : zoneNames(id);
  }
  offsetAt(): number {
    return this.offset;
  }
  isDaylight(): boolean {
    return false;
  }
  instantOfLocal(localMillis: number): number {
    return localMillis - this.offset * 1000;
  }
  toString(): string {
    return this.id;
  }
}

const HOUR = 3_600_000;
const MAX_CACHED_HOURS = 50_000;
/** JavaScript dates end 8.64e15 ms either side of the epoch (about ±275,000 years). */
const MAX_MILLIS = 8.64e15;

/** An IANA region: offsets from Intl, remembered per hour (a transition inside an hour is computed exactly). */
class RegionZone implements Zone {
  readonly isOffset = false;
  readonly names: ZoneNames | undefined;
  private format: Intl.DateTimeFormat | undefined;
  /** Offset of each UTC hour, NaN when a transition happens inside it. */
  private readonly hours = new Map<number, number>();
  /** Standard offset of each year, for isDaylight. */
  private readonly standard = new Map<number, number>();

  constructor(readonly id: string) {
    this.names = zoneNames(id);
  }

  offsetAt(epochMillis: number): number {
    const hour = Math.floor(epochMillis / HOUR);
    let offset = this.hours.get(hour);
    if (offset === undefined) {
      const start = this.exact(hour * HOUR);
      offset = start === this.exact(hour * HOUR + HOUR - 1000) ? start : NaN;
      if (this.hours.size >= MAX_CACHED_HOURS) this.hours.clear();
      this.hours.set(hour, offset);
    }
    return Number.isNaN(offset) ? this.exact(epochMillis) : offset;
  }

  isDaylight(epochMillis: number): boolean {
    const year = new Date(epochMillis).getUTCFullYear();
    let standard = this.standard.get(year);
    if (standard === undefined) {
      // Daylight time is whatever exceeds the lower of the January and July offsets (both hemispheres).
      standard = Math.min(this.offsetAt(Date.UTC(year, 0, 1)), this.offsetAt(Date.UTC(year, 6, 1)));
      this.standard.set(year, standard);
    }
    return this.offsetAt(epochMillis) > standard;
  }

  instantOfLocal(localMillis: number, preferredOffset?: number): number {
    // The offsets a day either side bracket any transition near this local time.
    const before = this.offsetAt(localMillis - 86_400_000);
    const after = this.offsetAt(localMillis + 86_400_000);
    const validBefore = this.offsetAt(localMillis - before * 1000) === before;
    if (before === after && validBefore) return localMillis - before * 1000;
    const validAfter = this.offsetAt(localMillis - after * 1000) === after;
    if (validBefore && validAfter) {
      // An overlap: the preferred offset if it is one of the two, else the earlier one (Java).
      return localMillis - (preferredOffset === after ? after : before) * 1000;
    }
    if (validBefore) return localMillis - before * 1000;
    if (validAfter) return localMillis - after * 1000;
    // A gap: Java moves the local time forward by the gap's length, which is the instant at the old offset.
    return localMillis - before * 1000;
  }

  /** The exact offset at an instant (whole seconds), from Intl's wall-clock time. */
  private exact(epochMillis: number): number {
    if (!(Math.abs(epochMillis) <= MAX_MILLIS))
      throw new DateError('the date-time is out of the supported range (about ±275,000 years)');
    this.format ??= new Intl.DateTimeFormat('en-US', {
      timeZone: this.id,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let bc = false;
    for (const part of this.format.formatToParts(epochMillis)) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value);
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
        case 'era':
          bc = part.value === 'BC' || part.value === 'B';
          break;
        default:
          break;
      }
    }
    if (bc) year = 1 - year;
    const local = epochDayOf(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
    return local - floorDiv(epochMillis, 1000);
  }

  toString(): string {
    return this.id;
  }
}

/** Reads an offset id as Java's ZoneOffset.of: `Z`, `+h`, `+hh`, `+hhmm`, `+hh:mm`, `+hhmmss`, `+hh:mm:ss`. */
export function parseOffsetId(text: string): number {
  if (text === 'Z') return 0;
  let id = text;
  const number = (pos: number, colon: boolean): number => {
    if (colon && id[pos - 1] !== ':')
      throw new DateError(`Invalid ID for ZoneOffset, colon not found when expected: ${text}`);
    const a = id.charCodeAt(pos) - 48;
    const b = id.charCodeAt(pos + 1) - 48;
    if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9))
      throw new DateError(`Invalid ID for ZoneOffset, non numeric characters found: ${text}`);
    return a * 10 + b;
  };
  let hours: number;
  let minutes = 0;
  let seconds = 0;
  switch (id.length) {
    case 2:
      id = `${id[0]}0${id[1]}`;
      hours = number(1, false);
      break;
    case 3:
      hours = number(1, false);
      break;
    case 5:
      hours = number(1, false);
      minutes = number(3, false);
      break;
    case 6:
      hours = number(1, false);
      minutes = number(4, true);
      break;
    case 7:
      hours = number(1, false);
      minutes = number(3, false);
      seconds = number(5, false);
      break;
    case 9:
      hours = number(1, false);
      minutes = number(4, true);
      seconds = number(7, true);
      break;
    default:
      throw new DateError(`Invalid ID for ZoneOffset, invalid format: ${text}`);
  }
  const sign = id[0];
  if (sign !== '+' && sign !== '-')
    throw new DateError(`Invalid ID for ZoneOffset, plus/minus not found when expected: ${text}`);
  return offsetOf(sign === '-' ? -1 : 1, hours, minutes, seconds);
}

/** Validates an offset's parts as Java's ZoneOffset.ofHoursMinutesSeconds; returns seconds. */
export function offsetOf(sign: number, hours: number, minutes: number, seconds: number): number {
  if (hours > 18)
    throw new DateError(
      `Zone offset hours not in valid range: value ${sign * hours} is not in the range -18 to 18`,
    );
  if (minutes > 59)
    throw new DateError(
      `Zone offset minutes not in valid range: value ${sign * minutes} is not in the range -59 to 59`,
    );
  if (seconds > 59)
    throw new DateError(
      `Zone offset seconds not in valid range: value ${sign * seconds} is not in the range -59 to 59`,
    );
  if (hours === 18 && (minutes > 0 || seconds > 0))
    throw new DateError('Zone offset not in valid range: -18:00 to +18:00');
  return sign * (hours * 3600 + minutes * 60 + seconds);
}

const cache = new Map<string, Zone>();
const offsets = new Map<number, Zone>();

/** The ZoneOffset of a number of seconds (`Z` for zero). */
export function offsetZone(seconds: number): Zone {
  let zone = offsets.get(seconds);
  if (!zone) offsets.set(seconds, (zone = new FixedZone(offsetId(seconds), seconds, true)));
  return zone;
}

/** A region with a fixed offset and a prefix: `UTC`, `GMT`, `UT`, or `UTC+01:00` (Java's ofOffset). */
export function prefixedZone(prefix: string, seconds: number): Zone {
  const id = seconds === 0 ? prefix : prefix + offsetId(seconds);
  let zone = cache.get(id);
  if (!zone) cache.set(id, (zone = new FixedZone(id, seconds, false)));
  return zone;
}

/** Whether Intl has rules for a region id. */
function intlKnows(id: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: id });
    return true;
  } catch {
    return false;
  }
}

/** A region zone Java knows (case-sensitive), with rules from Intl. */
function region(id: string): Zone {
  if (!/^[A-Za-z][A-Za-z0-9~/._+-]+$/.test(id))
    throw new DateError(`Invalid ID for region-based ZoneId, invalid format: ${id}`);
  if (!isJavaZoneId(id)) throw new DateError(`Unknown time-zone ID: ${id}`);
  if (!intlKnows(id))
    throw new DateError(`time zone ${id} is known to Java but not to this runtime's time zone data`);
  return new RegionZone(id);
}

function withPrefix(id: string, length: number): Zone {
  const prefix = id.slice(0, length);
  if (id.length === length) return prefixedZone(prefix, 0);
  const sign = id[length];
  if (sign !== '+' && sign !== '-') return region(id);
  try {
    return prefixedZone(prefix, parseOffsetId(id.slice(length)));
  } catch {
    throw new DateError(`Invalid ID for offset-based ZoneId: ${id}`);
  }
}

function parseZone(id: string): Zone {
  if (id.length <= 1 || id.startsWith('+') || id.startsWith('-')) return offsetZone(parseOffsetId(id));
  if (id.startsWith('UTC') || id.startsWith('GMT')) return withPrefix(id, 3);
  if (id.startsWith('UT')) return withPrefix(id, 2);
  return region(id);
}

/** A zone by id, as Java's `ZoneId.of` reads it (an unknown id is a DateError); cached. */
export function zoneOf(id: string): Zone {
  let zone = cache.get(id);
  if (!zone) {
    zone = parseZone(id);
    cache.set(id, zone);
  }
  return zone;
}

/**
 * The zone of a render (the server's zone in Kestra): as zoneOf, but also any region Intl knows,
 * since the process's zone may be one Java spells differently.
 */
export function renderZone(id: string): Zone {
  const known = cache.get(id);
  if (known) return known;
  try {
    return zoneOf(id);
  } catch (error) {
    if (!intlKnows(id)) throw error;
    const zone = new RegionZone(id);
    cache.set(id, zone);
    return zone;
  }
}
