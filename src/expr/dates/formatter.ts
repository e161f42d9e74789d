import type { Element } from './elements.js';
import { DateError } from './errors.js';
import { ISO_FORMATTERS } from './iso.js';
import { DEFAULT_LOCALE } from './locale.js';
import type { LocaleText } from './locale.js';
import { parseElements } from './parse.js';
import type { ParseState } from './parse.js';
import { compilePattern } from './pattern.js';
import { compilePrinters, print } from './print.js';
import type { Printer } from './print.js';
import { resolve } from './resolve.js';
import type { Resolved, ResolverStyle } from './resolve.js';
import type { ZonedDateTime } from './zoned-date-time.js';

/** A compiled DateTimeFormatter: prints date-times and parses text. */
export class Formatter {
  private printers: Printer[] | undefined;

  constructor(
    readonly elements: readonly Element[],
    readonly resolver: ResolverStyle,
  ) {}

  /** Prints a date-time as it is (the caller converts it to the zone it wants shown first). */
  format(date: ZonedDateTime, locale: LocaleText = DEFAULT_LOCALE): string {
    this.printers ??= compilePrinters(this.elements, styleCompiler);
    return print(this.printers, date, locale);
  }

  /** Parses and resolves text; a failure is a DateError with Java's message. */
  parse(text: string, locale: LocaleText = DEFAULT_LOCALE): Resolved {
    const shown = text.length > 64 ? `${text.slice(0, 64)}...` : text;
    const state: ParseState = {
      fields: new Map(),
      zone: undefined,
      caseInsensitive: false,
      lenient: false,
      locale,
      compile: (pattern) => ofPattern(pattern).elements,
    };
    try {
      const end = parseElements(state, this.elements, text, 0);
      if (end < 0) throw new DateError(`Text '${shown}' could not be parsed at index ${~end}`);
      if (end < text.length)
        throw new DateError(`Text '${shown}' could not be parsed, unparsed text found at index ${end}`);
      return resolve(state, this.resolver);
    } catch (error) {
      if (error instanceof DateError && !error.message.startsWith('Text '))
        throw new DateError(`Text '${shown}' could not be parsed: ${error.message}`);
      throw error;
    }
  }
}

const MAX_CACHED = 2000;
const patterns = new Map<string, Formatter | DateError>();

function cached(cache: Map<string, Formatter | DateError>, key: string, make: () => Formatter): Formatter {
  let entry = cache.get(key);
  if (entry === undefined) {
    try {
      entry = make();
    } catch (error) {
      if (!(error instanceof DateError)) throw error;
      entry = error;
    }
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, entry);
  }
  if (entry instanceof DateError) throw entry;
  return entry;
}

/** DateTimeFormatter.ofPattern(pattern) (SMART resolver), compiled once and cached. */
export function ofPattern(pattern: string): Formatter {
  return cached(patterns, pattern, () => new Formatter(compilePattern(pattern), 'SMART'));
}

function styleCompiler(pattern: string): (d: ZonedDateTime, locale: LocaleText) => string {
  const formatter = ofPattern(pattern);
  return (d, locale) => formatter.format(d, locale);
}

const STYLES: Readonly<Record<string, number>> = { full: 0, long: 1, medium: 2, short: 3 };

/** Kestra's own patterns among its named formats. */
const KESTRA_PATTERNS: Readonly<Record<string, string>> = {
  iso: "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
  iso_sec: "yyyy-MM-dd'T'HH:mm:ssXXX",
  sql: 'yyyy-MM-dd HH:mm:ss.SSSSSS',
  sql_seq: 'yyyy-MM-dd HH:mm:ss',
};

const named = new Map<string, Formatter | DateError>();

/**
 * Kestra's AbstractDate.formatter(format): a FormatStyle (`full`, `long`, `medium`, `short`),
 * one of its named formats (`iso`, `sql`, `iso_date_time`, `rfc_1123_date_time`…) or a pattern.
 */
export function kestraFormatter(format: string): Formatter {
  return cached(named, format, () => {
    const style = STYLES[format];
    if (style !== undefined) return new Formatter([{ kind: 'localized', style }], 'SMART');
    const pattern = KESTRA_PATTERNS[format];
    if (pattern !== undefined) return ofPattern(pattern);
    const iso = ISO_FORMATTERS[format];
    if (iso) return new Formatter(iso.elements(), iso.strict ? 'STRICT' : 'SMART');
    return ofPattern(format);
  });
}

/** Java's ISO_ZONED_DATE_TIME, ISO_LOCAL_DATE_TIME and ISO_LOCAL_DATE: what ZonedDateTime.parse, LocalDateTime.parse and LocalDate.parse use. */
export const ISO_PARSERS = {
  zoned: (): Formatter => kestraFormatter('iso_zoned_date_time'),
  localDateTime: (): Formatter => kestraFormatter('iso_local_date_time'),
  localDate: (): Formatter => kestraFormatter('iso_local_date'),
};
