import type { Element, SignStyle, TextStyle } from './elements.js';
import { DateError } from './errors.js';
import { FIELD_READERS } from './fields.js';
import type { LocaleText } from './locale.js';
import { dayPeriod } from './day-periods.js';
import { isoYear, ZonedDateTime } from './zoned-date-time.js';
import type { Zone } from './zone.js';

/**
 * Printing: each element becomes a closure, made once per compiled pattern, so that a render
 * only reads fields and concatenates. A printer answers undefined when its field is absent
 * (only a region id of an offset zone), which empties the enclosing optional section.
 */
export type Printer = (d: ZonedDateTime, locale: LocaleText) => string | undefined;

/** Compiles a FormatStyle pattern of a locale (the formatter module supplies it, to avoid a cycle). */
export type StyleCompiler = (pattern: string) => (d: ZonedDateTime, locale: LocaleText) => string;

const ZEROS = '0000000000000000000';
const EXCEED_POINTS = [
  0, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** NumberPrinterParser.format. */
function formatNumber(field: string, value: number, min: number, max: number, sign: SignStyle): string {
  const digits = String(Math.abs(value));
  if (digits.length > max)
    throw new DateError(
      `Field ${field} cannot be printed as the value ${value} exceeds the maximum print width of ${max}`,
    );
  let prefix = '';
  if (value >= 0) {
    if (sign === 'EXCEEDS_PAD' && min < 19 && value >= EXCEED_POINTS[min]!) prefix = '+';
  } else if (sign === 'NOT_NEGATIVE') {
    throw new DateError(
      `Field ${field} cannot be printed as the value ${value} cannot be negative according to the SignStyle`,
    );
  } else {
    prefix = '-';
  }
  return digits.length >= min ? prefix + digits : prefix + ZEROS.slice(0, min - digits.length) + digits;
}

/** FractionPrinterParser.format of a nano-of-second: truncated, at least `min` and at most `max` digits. */
function formatFraction(nano: number, min: number, max: number, decimalPoint: boolean): string {
  const point = decimalPoint ? '.' : '';
  if (nano === 0) return min > 0 ? point + ZEROS.slice(0, min) : '';
  const nine = String(nano).padStart(9, '0');
  let scale = 9;
  while (nine.charCodeAt(scale - 1) === 48) scale--;
  return point + nine.slice(0, Math.min(Math.max(scale, min), max));
}

/** OffsetIdPrinterParser.format; `type` indexes OFFSET_PATTERNS. */
function formatOffset(total: number, type: number, noOffsetText: string): string {
  if (total === 0) return noOffsetText;
  const hours = Math.abs(Math.trunc(total / 3600) % 100);
  const minutes = Math.abs(Math.trunc(total / 60) % 60);
  const seconds = Math.abs(total % 60);
  const colon = type > 0 && type % 2 === 0 ? ':' : '';
  let out = (total < 0 ? '-' : '+') + pad2(hours);
  // Java falls back to the zero text when every part it printed is zero.
  let printed = hours;
  if ((type >= 3 && type <= 8) || (type >= 9 && seconds > 0) || (type >= 1 && minutes > 0)) {
    out += colon + pad2(minutes);
    printed += minutes;
    if (type === 7 || type === 8 || (type >= 5 && seconds > 0)) {
      out += colon + pad2(seconds);
      printed += seconds;
    }
  }
  return printed === 0 ? noOffsetText : out;
}

/** LocalizedOffsetIdPrinterParser.format: `GMT`, `GMT+1`, `GMT+05:30`. */
function formatLocalizedOffset(total: number, full: boolean): string {
  if (total === 0) return 'GMT';
  const hours = Math.abs(Math.trunc(total / 3600) % 100);
  const minutes = Math.abs(Math.trunc(total / 60) % 60);
  const seconds = Math.abs(total % 60);
  let out = `GMT${total < 0 ? '-' : '+'}`;
  if (full) {
    out += `${pad2(hours)}:${pad2(minutes)}`;
    if (seconds) out += `:${pad2(seconds)}`;
  } else {
    out += String(hours);
    if (minutes || seconds) {
      out += `:${pad2(minutes)}`;
      if (seconds) out += `:${pad2(seconds)}`;
    }
  }
  return out;
}

const intlZoneNames = new Map<string, Intl.DateTimeFormat>();

/** ZoneTextPrinterParser.format: Java's English names, Intl's for other locales, the id when there is none. */
function formatZoneText(d: ZonedDateTime, locale: LocaleText, full: boolean, generic: boolean): string {
  const zone: Zone = d.zone;
  if (zone.isOffset) return zone.id;
  const names = zone.names;
  if (!locale.english && full && names) {
    const key = `${locale.tag}|${zone.id}|${generic}`;
    let format = intlZoneNames.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(locale.tag, {
        timeZone: zone.id,
        timeZoneName: generic ? 'longGeneric' : 'long',
      });
      intlZoneNames.set(key, format);
    }
    const name = format.formatToParts(d.epochMillis).find((p) => p.type === 'timeZoneName')?.value;
    if (name) return name;
  }
  if (!names) return zone.id;
  if (generic) return full ? names.longGeneric : names.shortGeneric;
  const daylight = zone.isDaylight(d.epochMillis);
  if (full) return daylight ? names.longDaylight : names.longStandard;
  return daylight ? names.shortDaylight : names.shortStandard;
}

/** InstantPrinterParser.format (ISO_INSTANT): UTC, seconds always, fraction in groups of three. */
function formatInstant(d: ZonedDateTime): string {
  const utc = d.offsetSeconds === 0 ? d : new ZonedDateTime(d.epochMillis, d.nanoOfMilli, d.zone, 0);
  const nano = utc.nano;
  let fraction = '';
  if (nano > 0) {
    if (nano % 1_000_000 === 0) fraction = `.${String(nano / 1_000_000).padStart(3, '0')}`;
    else if (nano % 1000 === 0) fraction = `.${String(nano / 1000).padStart(6, '0')}`;
    else fraction = `.${String(nano).padStart(9, '0')}`;
  }
  return `${isoYear(utc.year)}-${pad2(utc.monthValue)}-${pad2(utc.dayOfMonth)}T${pad2(utc.hour)}:${pad2(utc.minute)}:${pad2(utc.second)}${fraction}Z`;
}

function textPrinter(
  field: string,
  style: TextStyle,
  standalone: boolean,
  fixed: readonly string[] | undefined,
): Printer {
  switch (field) {
    case 'MonthOfYear':
      if (fixed) return (d) => fixed[d.monthValue - 1];
      return (d, l) => l.months(style, standalone)[d.monthValue - 1];
    case 'DayOfWeek':
      if (fixed) return (d) => fixed[d.isoDayOfWeek - 1];
      return (d, l) => l.days(style, standalone)[d.isoDayOfWeek - 1];
    case 'AmPmOfDay':
      return (d, l) => l.ampm()[d.hour < 12 ? 0 : 1];
    case 'Era':
      return (d, l) => l.eras(style)[d.year > 0 ? 1 : 0];
    case 'QuarterOfYear':
      return (d, l) => l.quarters(style)[Math.floor((d.monthValue - 1) / 3)];
    default:
      throw new DateError(`no text for ${field}`);
  }
}

function numberPrinter(
  field: keyof typeof FIELD_READERS,
  min: number,
  max: number,
  sign: SignStyle,
): Printer {
  const read = FIELD_READERS[field];
  // The common two-digit fields (MM, dd, HH, mm, ss) skip the general path.
  if (min === 2 && max === 2 && sign === 'NOT_NEGATIVE') {
    return (d, l) => {
      const v = read(d, l);
      return v >= 0 && v < 100 ? pad2(v) : formatNumber(field, v, 2, 2, sign);
    };
  }
  return (d, l) => formatNumber(field, read(d, l), min, max, sign);
}

/** Compiles one element. */
function printer(e: Element, style: StyleCompiler): Printer {
  switch (e.kind) {
    case 'literal': {
      const text = e.text;
      return () => text;
    }
    case 'number':
      return numberPrinter(e.field, e.min, e.max, e.sign);
    case 'reduced': {
      const read = FIELD_READERS[e.field];
      return (d, l) => pad2(Math.abs(read(d, l)) % 100);
    }
    case 'fraction': {
      const { min, max, decimalPoint } = e;
      return (d) => formatFraction(d.nano, min, max, decimalPoint);
    }
    case 'text':
      return textPrinter(e.field, e.style, e.standalone, e.fixed);
    case 'offset': {
      const { type, noOffsetText } = e;
      return (d) => formatOffset(d.offsetSeconds, type, noOffsetText);
    }
    case 'localizedOffset': {
      const full = e.full;
      return (d) => formatLocalizedOffset(d.offsetSeconds, full);
    }
    case 'zoneText': {
      const { full, generic } = e;
      return (d, l) => formatZoneText(d, l, full, generic);
    }
    case 'zoneId':
      if (e.regionOnly) return (d) => (d.zone.isOffset ? undefined : d.zone.id);
      return (d) => d.zone.id;
    case 'dayPeriod': {
      const s = e.style;
      return (d, l) => dayPeriod(d.hour * 60 + d.minute, s, l);
    }
    case 'instant':
      return formatInstant;
    case 'localized': {
      const index = e.style;
      const compiled = new Map<string, (d: ZonedDateTime, locale: LocaleText) => string>();
      return (d, l) => {
        const pattern = l.styles[index]!;
        let print = compiled.get(pattern);
        if (!print) compiled.set(pattern, (print = style(pattern)));
        return print(d, l);
      };
    }
    case 'optional': {
      const inner = compilePrinters(e.elements, style);
      return (d, l) => {
        let out = '';
        for (const p of inner) {
          const s = p(d, l);
          if (s === undefined) return '';
          out += s;
        }
        return out;
      };
    }
    case 'pad': {
      const inner = printer(e.element, style);
      const width = e.width;
      return (d, l) => {
        const s = inner(d, l);
        if (s === undefined) return undefined;
        if (s.length > width)
          throw new DateError(
            `Cannot print as output of ${s.length} characters exceeds pad width of ${width}`,
          );
        return ' '.repeat(width - s.length) + s;
      };
    }
    case 'settings':
      return () => '';
  }
}

/** Compiles elements to printers, merging neighbouring literals. */
export function compilePrinters(elements: readonly Element[], style: StyleCompiler): Printer[] {
  const merged: Element[] = [];
  for (const e of elements) {
    if (e.kind === 'settings') continue;
    const last = merged[merged.length - 1];
    if (e.kind === 'literal' && last?.kind === 'literal')
      merged[merged.length - 1] = { kind: 'literal', text: last.text + e.text };
    else merged.push(e);
  }
  return merged.map((e) => printer(e, style));
}

/** Runs printers; an absent field outside an optional section is an error, as in Java. */
export function print(printers: readonly Printer[], d: ZonedDateTime, locale: LocaleText): string {
  let out = '';
  for (let i = 0; i < printers.length; i++) {
    const s = printers[i]!(d, locale);
    if (s === undefined) throw new DateError(`Unable to extract ZoneId from temporal ${d.toString()}`);
    out += s;
  }
  return out;
}
