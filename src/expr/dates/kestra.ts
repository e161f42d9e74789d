import { floorDiv } from './calendar.js';
import { DateError } from './errors.js';
import { fastIso } from './fast-iso.js';
import { ISO_PARSERS, kestraFormatter } from './formatter.js';
import type { Formatter } from './formatter.js';
import { DEFAULT_LOCALE } from './locale.js';
import type { LocaleText } from './locale.js';
import { localDateIn, localDateTimeIn, zonedOf } from './resolve.js';
import type { Resolved } from './resolve.js';
import type { Zone } from './zone.js';
import { ZonedDateTime } from './zoned-date-time.js';

/**
 * Kestra's AbstractDate: how its date filters read their input and print their output.
 * Checked against Kestra's source (core/…/runners/pebble/AbstractDate.java).
 */

/** What a value is, for messages: `2024-13-45` quoted, or its kind. */
function shown(value: unknown): string {
  if (typeof value === 'string') return `\`${value}\``;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return typeof value === 'object' && value !== null ? 'a map' : String(value);
}

/** Parses with Kestra's three tries: a ZonedDateTime, else a LocalDateTime, else a LocalDate (both in `zone`). */
function parseText(text: string, zone: Zone, existingFormat: string | undefined): ZonedDateTime {
  const tries: [Formatter, (r: Resolved) => ZonedDateTime | undefined, string][] = [];
  const fixed = existingFormat === undefined ? undefined : kestraFormatter(existingFormat);
  tries.push([fixed ?? ISO_PARSERS.zoned(), zonedOf, 'ZonedDateTime']);
  tries.push([fixed ?? ISO_PARSERS.localDateTime(), (r) => localDateTimeIn(r, zone), 'LocalDateTime']);
  tries.push([fixed ?? ISO_PARSERS.localDate(), (r) => localDateIn(r, zone), 'LocalDate']);
  let failure: DateError | undefined;
  for (const [formatter, query, kind] of tries) {
    try {
      const resolved = formatter.parse(text, DEFAULT_LOCALE);
      const date = query(resolved);
      if (date) return date;
      failure = new DateError(
        `Text '${text}' could not be parsed: Unable to obtain ${kind} from TemporalAccessor: ${resolved.describe()}`,
      );
    } catch (error) {
      if (!(error instanceof DateError)) throw error;
      failure = error;
    }
  }
  throw failure!;
}

const MAX_PARSED = 10_000;

/** A string read without existingFormat: `zone` is the zone it was placed in, undefined when it carried its own. */
interface IsoEntry {
  zone: Zone | undefined;
  date: ZonedDateTime;
}

/**
 * Strings already read: renders read the same dates again and again. ISO strings are keyed by
 * the text alone (V8 keeps a string's hash), others by zone, format and text.
 */
const isoParsed = new Map<string, IsoEntry>();
const formatParsed = new Map<string, ZonedDateTime>();

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= MAX_PARSED) cache.clear();
  cache.set(key, value);
  return value;
}

function parseCached(text: string, zone: Zone, existingFormat: string | undefined): ZonedDateTime {
  if (existingFormat === undefined) {
    const entry = isoParsed.get(text);
    if (entry && (entry.zone === undefined || entry.zone === zone)) return entry.date;
    const date = fastIso(text, zone) ?? parseText(text, zone, undefined);
    return remember(isoParsed, text, { zone: date.zone === zone ? zone : undefined, date }).date;
  }
  const key = `${zone.id}\u0000${existingFormat}\u0000${text}`;
  return formatParsed.get(key) ?? remember(formatParsed, key, parseText(text, zone, existingFormat));
}

/**
 * AbstractDate.convert: a date-time as is, a JavaScript Date as an instant, a whole number as
 * epoch seconds, a string parsed (ISO, or `existingFormat`); anything else is a DateError.
 */
export function toZonedDateTime(
  value: unknown,
  zone: Zone,
  existingFormat: string | undefined,
): ZonedDateTime {
  if (value instanceof ZonedDateTime) return value;
  if (value instanceof Date) {
    const millis = value.getTime();
    if (Number.isNaN(millis)) throw new DateError('cannot read an invalid Date as a date-time');
    return new ZonedDateTime(millis, 0, zone);
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    const seconds = Number(value);
    if (!Number.isInteger(seconds))
      throw new DateError(`cannot read ${seconds} as a date-time: a number is read as whole epoch seconds`);
    return new ZonedDateTime(seconds * 1000, 0, zone);
  }
  if (typeof value === 'string') {
    try {
      return parseCached(value, zone, existingFormat);
    } catch (error) {
      if (!(error instanceof DateError)) throw error;
      // A layout problem (not a wrong value) is what existingFormat is for.
      const layout = / at index \d+$/.test(error.message);
      const hint =
        existingFormat === undefined && layout ? ' (give `existingFormat` to read other layouts)' : '';
      throw new DateError(`cannot read ${shown(value)} as a date-time: ${error.message}${hint}`);
    }
  }
  throw new DateError(
    `cannot read ${shown(value)} as a date-time: give a date-time, an ISO string or epoch seconds`,
  );
}

/** AbstractDate.format's output: the date shown in `zone` with a Kestra format (default `iso`). */
export function formatIn(date: ZonedDateTime, format: string, zone: Zone, locale: LocaleText): string {
  return kestraFormatter(format).format(date.withZone(zone), locale);
}

/** Whole seconds since the epoch (toEpochSecond). */
export function epochSeconds(date: ZonedDateTime): number {
  return floorDiv(date.epochMillis, 1000);
}

/** Microseconds since the epoch, as text (it can exceed a double's exact range). */
export function epochMicros(date: ZonedDateTime): string {
  return (BigInt(epochSeconds(date)) * 1_000_000n + BigInt(Math.floor(date.nano / 1000))).toString();
}

/** Nanoseconds since the epoch, as text. */
export function epochNanos(date: ZonedDateTime): string {
  return (BigInt(epochSeconds(date)) * 1_000_000_000n + BigInt(date.nano)).toString();
}

/**
 * What Kestra's `now()` gives without a format: the current date-time in a zone, which prints
 * as Kestra prints it (`iso`: `2024-02-05T10:15:30.123000+01:00`) and is still a date-time
 * for the filters that follow (`now() | date('yyyy')`) and for comparisons.
 */
export class KestraNow extends ZonedDateTime {
  static {
    // Messages name a value's class (`got a ZonedDateTime`): this one is a ZonedDateTime to users.
    Object.defineProperty(this, 'name', { value: 'ZonedDateTime' });
  }

  #text: string | undefined;

  override toString(): string {
    return (this.#text ??= kestraFormatter('iso').format(this, DEFAULT_LOCALE));
  }

  override toJSON(): string {
    return this.toString();
  }
}
