import { Builder } from './elements.js';
import type { Element } from './elements.js';

/** Java's predefined DateTimeFormatter constants, built as the JDK builds them. */

const localDate = (b: Builder): Builder =>
  b
    .value('Year', 4, 10, 'EXCEEDS_PAD')
    .literal('-')
    .fixed('MonthOfYear', 2)
    .literal('-')
    .fixed('DayOfMonth', 2);

/** ISO_LOCAL_TIME: seconds and the fraction are optional (nested sections, as in the JDK). */
function localTime(b: Builder): Builder {
  b.fixed('HourOfDay', 2)
    .literal(':')
    .fixed('MinuteOfHour', 2)
    .optionalStart()
    .literal(':')
    .fixed('SecondOfMinute', 2);
  b.optionalStart().fraction(0, 9, true);
  b.optionalEnd();
  b.optionalEnd();
  return b;
}

const insensitive = (): Builder => new Builder().settings({ caseInsensitive: true });

function localDateTime(b: Builder): Builder {
  return localTime(localDate(b).literal('T'));
}

function offsetDateTime(b: Builder): Builder {
  return localDateTime(b).settings({ lenient: true }).offsetId().settings({ lenient: false });
}

function zoneSuffix(b: Builder): Builder {
  b.optionalStart().literal('[').settings({ caseInsensitive: false }).zoneId(true).literal(']');
  b.optionalEnd();
  return b;
}

const RFC_DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const RFC_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function rfc1123(): Element[] {
  const b = new Builder().settings({ caseInsensitive: true, lenient: true });
  b.optionalStart().text('DayOfWeek', 'SHORT', false, RFC_DAYS).literal(', ');
  b.optionalEnd();
  b.value('DayOfMonth', 1, 2, 'NOT_NEGATIVE')
    .literal(' ')
    .text('MonthOfYear', 'SHORT', false, RFC_MONTHS)
    .literal(' ')
    .fixed('Year', 4)
    .literal(' ');
  b.fixed('HourOfDay', 2)
    .literal(':')
    .fixed('MinuteOfHour', 2)
    .optionalStart()
    .literal(':')
    .fixed('SecondOfMinute', 2);
  b.optionalEnd();
  return b.literal(' ').offset('+HHMM', 'GMT').build();
}

/** The ISO and RFC formatters by Kestra's names, with Java's resolver style (all STRICT but RFC). */
export const ISO_FORMATTERS: Readonly<Record<string, { elements: () => Element[]; strict: boolean }>> = {
  iso_local_date: { elements: () => localDate(new Builder()).build(), strict: true },
  iso_date: { elements: () => localDate(insensitive()).optionalStart().offsetId().build(), strict: true },
  iso_local_time: { elements: () => localTime(new Builder()).build(), strict: true },
  iso_time: { elements: () => localTime(insensitive()).optionalStart().offsetId().build(), strict: true },
  iso_offset_time: { elements: () => localTime(insensitive()).offsetId().build(), strict: true },
  iso_local_date_time: { elements: () => localDateTime(insensitive()).build(), strict: true },
  iso_zoned_date_time: { elements: () => zoneSuffix(offsetDateTime(insensitive())).build(), strict: true },
  iso_date_time: {
    elements: () => {
      const b = localDateTime(insensitive()).optionalStart().offsetId();
      return zoneSuffix(b).build();
    },
    strict: true,
  },
  iso_ordinal_date: {
    elements: () =>
      insensitive()
        .value('Year', 4, 10, 'EXCEEDS_PAD')
        .literal('-')
        .fixed('DayOfYear', 3)
        .optionalStart()
        .offsetId()
        .build(),
    strict: true,
  },
  iso_week_date: {
    elements: () =>
      insensitive()
        .value('IsoWeekBasedYear', 4, 10, 'EXCEEDS_PAD')
        .literal('-W')
        .fixed('IsoWeekOfWeekBasedYear', 2)
        .literal('-')
        .fixed('DayOfWeek', 1)
        .optionalStart()
        .offsetId()
        .build(),
    strict: true,
  },
  iso_instant: { elements: () => insensitive().instant().build(), strict: true },
  rfc_1123_date_time: { elements: rfc1123, strict: false },
};
