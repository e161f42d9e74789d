import type { TextStyle } from './elements.js';
import type { LocaleText } from './locale.js';

/**
 * Day periods (`B`): CLDR's English rules, as Java prints them. Midnight and noon are single
 * minutes and win over the ranges; other locales ask Intl.
 */
const EN_PERIODS: readonly (readonly [from: number, to: number, full: string, narrow: string])[] = [
  [0, 0, 'midnight', 'mi'],
  [720, 720, 'noon', 'n'],
  [360, 719, 'in the morning', 'in the morning'],
  [720, 1079, 'in the afternoon', 'in the afternoon'],
  [1080, 1259, 'in the evening', 'in the evening'],
  [1260, 1439, 'at night', 'at night'],
  [0, 359, 'at night', 'at night'],
];

const intl = new Map<string, Intl.DateTimeFormat>();

/** The day period of a minute of the day. */
export function dayPeriod(minuteOfDay: number, style: TextStyle, locale: LocaleText): string {
  if (!locale.english) {
    const key = `${locale.tag}|${style}`;
    let format = intl.get(key);
    if (!format) {
      const dayPeriod = style === 'FULL' ? 'long' : style === 'NARROW' ? 'narrow' : 'short';
      intl.set(
        key,
        (format = new Intl.DateTimeFormat(locale.tag, { timeZone: 'UTC', hour: 'numeric', dayPeriod })),
      );
    }
    const name = format
      .formatToParts(Date.UTC(2024, 0, 1, 0, minuteOfDay))
      .find((p) => p.type === 'dayPeriod')?.value;
    if (name) return name;
  }
  for (const [from, to, full, narrow] of EN_PERIODS) {
    if (minuteOfDay >= from && minuteOfDay <= to) return style === 'NARROW' ? narrow : full;
  }
  return '';
}
