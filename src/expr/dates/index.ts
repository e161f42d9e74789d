/** Java's date-times for the expression language: ZonedDateTime, zones, DateTimeFormatter, Kestra's date conversions. */
export { ZonedDateTime } from './zoned-date-time.js';
export type { LocalDateTime } from './zoned-date-time.js';
export { zoneOf, renderZone, offsetZone, offsetId } from './zone.js';
export type { Zone } from './zone.js';
export { DateError } from './errors.js';
export { Formatter, ofPattern, kestraFormatter } from './formatter.js';
export { DEFAULT_LOCALE, localeOf } from './locale.js';
export type { LocaleText } from './locale.js';
export { plusUnit, CHRONO_UNITS } from './units.js';
export { toZonedDateTime, formatIn, epochSeconds, epochMicros, epochNanos, KestraNow } from './kestra.js';
