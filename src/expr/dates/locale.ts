import type { WeekDefinition } from './calendar.js';
import type { TextStyle } from './elements.js';
import { DateError } from './errors.js';
import { LOCALE_DATA } from './java-data.js';

/**
 * The words and conventions of a locale that formatting needs: month and day names, AM/PM,
 * eras, quarters, the week definition and the FormatStyle patterns. English (Java's default
 * locale in Kestra's images) is built in and checked against Java; other locales come from
 * Intl, which shares Java's CLDR source, so they are close to Java but not verified.
 */
export interface LocaleText {
  readonly tag: string;
  readonly english: boolean;
  /** 12 names per style; `standalone` forms for `L` and `q`/`c`. */
  months(style: TextStyle, standalone: boolean): readonly string[];
  /** Monday first. */
  days(style: TextStyle, standalone: boolean): readonly string[];
  ampm(): readonly [string, string];
  /** BC, AD. */
  eras(style: TextStyle): readonly [string, string];
  quarters(style: TextStyle): readonly string[];
  readonly week: WeekDefinition;
  /** FormatStyle FULL, LONG, MEDIUM, SHORT date-time patterns. */
  readonly styles: readonly [string, string, string, string];
}

const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const EN_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function byStyle(full: readonly string[]): Record<TextStyle, readonly string[]> {
  return { FULL: full, SHORT: full.map((n) => n.slice(0, 3)), NARROW: full.map((n) => n.slice(0, 1)) };
}

const EN_MONTH_NAMES = byStyle(EN_MONTHS);
const EN_DAY_NAMES = byStyle(EN_DAYS);
const EN_ERAS: Record<TextStyle, readonly [string, string]> = {
  FULL: ['Before Christ', 'Anno Domini'],
  SHORT: ['BC', 'AD'],
  NARROW: ['B', 'A'],
};
const EN_QUARTERS: Record<TextStyle, readonly string[]> = {
  FULL: ['1st quarter', '2nd quarter', '3rd quarter', '4th quarter'],
  SHORT: ['Q1', 'Q2', 'Q3', 'Q4'],
  NARROW: ['1', '2', '3', '4'],
};

function dataOf(tag: string): (typeof LOCALE_DATA)[string] {
  const language = tag.split('-')[0] ?? 'en';
  return LOCALE_DATA[tag] ?? LOCALE_DATA[language] ?? LOCALE_DATA['en-US']!;
}

function english(tag: string): LocaleText {
  const data = dataOf(tag);
  // Outside the US, English writes am/pm in lower case (en-GB, en-AU…); Intl knows which.
  const ampm: readonly [string, string] =
    tag === 'en' || tag === 'en-US'
      ? ['AM', 'PM']
      : [
          part(tag, { hour: 'numeric', hour12: true }, new Date(Date.UTC(2024, 0, 1, 9)), 'dayPeriod') ||
            'AM',
          part(tag, { hour: 'numeric', hour12: true }, new Date(Date.UTC(2024, 0, 1, 15)), 'dayPeriod') ||
            'PM',
        ];
  return {
    tag,
    english: true,
    months: (style) => EN_MONTH_NAMES[style],
    days: (style) => EN_DAY_NAMES[style],
    ampm: () => ampm,
    eras: (style) => EN_ERAS[style],
    quarters: (style) => EN_QUARTERS[style],
    week: { firstDay: data.week[0], minDays: data.week[1] },
    styles: data.styles,
  };
}

const INTL_STYLE = { FULL: 'long', SHORT: 'short', NARROW: 'narrow' } as const;

/**
 * A part of an Intl rendering of a date, or '' when Intl gives none. A numeric part keeps the
 * word that follows it (Japanese months: `2` + `月`), since Java's names include it.
 */
function part(
  tag: string,
  options: Intl.DateTimeFormatOptions,
  date: Date,
  type: Intl.DateTimeFormatPartTypes,
  glue = true,
): string {
  const parts = new Intl.DateTimeFormat(tag, { timeZone: 'UTC', ...options }).formatToParts(date);
  const index = parts.findIndex((p) => p.type === type);
  const value = parts[index]?.value ?? '';
  const next = parts[index + 1];
  return glue && /^\d+$/.test(value) && next?.type === 'literal' && next.value.trim() === next.value
    ? value + next.value
    : value;
}

function weekOf(tag: string): WeekDefinition {
  const data = LOCALE_DATA[tag];
  if (data) return { firstDay: data.week[0], minDays: data.week[1] };
  // Java gives locales without a region the US week; others follow CLDR, as Intl does.
  const locale = new Intl.Locale(tag) as Intl.Locale & {
    weekInfo?: { firstDay: number; minimalDays: number };
  };
  if (!locale.region || !locale.weekInfo) return { firstDay: 7, minDays: 1 };
  return { firstDay: locale.weekInfo.firstDay, minDays: locale.weekInfo.minimalDays };
}

function fromIntl(tag: string): LocaleText {
  const memo = new Map<string, readonly string[]>();
  const cached = (key: string, make: () => readonly string[]): readonly string[] => {
    let names = memo.get(key);
    if (!names) memo.set(key, (names = make()));
    return names;
  };
  const months = (style: TextStyle, standalone: boolean): readonly string[] =>
    cached(`M${style}${standalone}`, () =>
      Array.from({ length: 12 }, (_, m) => {
        const date = new Date(Date.UTC(2024, m, 15));
        const month = INTL_STYLE[style];
        const glue = style !== 'NARROW';
        return standalone
          ? part(tag, { month }, date, 'month', glue)
          : part(tag, { month, day: 'numeric' }, date, 'month', glue);
      }),
    );
  const days = (style: TextStyle): readonly string[] =>
    cached(`E${style}`, () =>
      Array.from({ length: 7 }, (_, d) =>
        part(tag, { weekday: INTL_STYLE[style] }, new Date(Date.UTC(2024, 0, 1 + d)), 'weekday'),
      ),
    );
  const noon = (hour: number): string =>
    part(tag, { hour: 'numeric', hour12: true }, new Date(Date.UTC(2024, 0, 1, hour)), 'dayPeriod');
  const era = (style: TextStyle, year: number): string => {
    const date = new Date(Date.UTC(2000, 0, 1));
    date.setUTCFullYear(year);
    return part(tag, { era: INTL_STYLE[style], year: 'numeric' }, date, 'era');
  };
  const data = dataOf(tag);
  return {
    tag,
    english: false,
    months,
    days,
    ampm: () => cached('a', () => [noon(9) || 'AM', noon(15) || 'PM']) as readonly [string, string],
    eras: (style) =>
      cached(`G${style}`, () => [era(style, -10), era(style, 2000)]) as readonly [string, string],
    // Intl has no quarter names: Java's English ones stand in.
    quarters: (style) => EN_QUARTERS[style],
    week: weekOf(tag),
    styles: data.styles,
  };
}

const locales = new Map<string, LocaleText>();

/** The locale Windhover formats in when none is given: Java's en_US, as in Kestra's images. */
export const DEFAULT_LOCALE: LocaleText = english('en-US');
locales.set('en-US', DEFAULT_LOCALE);

/**
 * A locale by tag, as commons-lang's LocaleUtils.toLocale reads it (`fr`, `fr_FR`, `fr-FR`);
 * a malformed tag is a DateError.
 */
export function localeOf(tag: string): LocaleText {
  let locale = locales.get(tag);
  if (locale) return locale;
  let canonical: string;
  try {
    canonical = Intl.getCanonicalLocales(tag.replaceAll('_', '-'))[0] ?? '';
  } catch {
    canonical = '';
  }
  if (!canonical || !/^[a-zA-Z]{2,3}(-|$)/.test(canonical))
    throw new DateError(`Invalid locale format: ${tag}`);
  locale =
    locales.get(canonical) ?? (canonical.split('-')[0] === 'en' ? english(canonical) : fromIntl(canonical));
  locales.set(tag, locale);
  locales.set(canonical, locale);
  return locale;
}
