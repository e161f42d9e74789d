import { describe, expect, it } from 'vitest';
import {
  kestraFormatter,
  localeOf,
  ofPattern,
  toZonedDateTime,
  zoneOf,
} from '../../../src/expr/dates/index.js';
import type { ZonedDateTime } from '../../../src/expr/dates/index.js';
import { JAVA } from './ground-truth.js';

const INSTANTS = JAVA.instants.map(([s]) => s);
const ZONES = JAVA.zones.map(([s]) => s);
const PATTERNS = JAVA.patterns.map(([s]) => s);

/** An instant of the table, seen in a zone of the table. */
function at(instant: number, zone: number): ZonedDateTime {
  return toZonedDateTime(INSTANTS[instant]!, zoneOf('UTC'), undefined).withZone(zoneOf(ZONES[zone]!));
}

function attempt(run: () => string): string {
  try {
    return run();
  } catch (error) {
    return `!${(error as Error).message}`;
  }
}

/** Java's answer and ours agree: the same text, or both an error (with Java's message for bad patterns). */
function expectJava(ours: string, java: string): void {
  if (java.startsWith('!')) {
    expect(ours.startsWith('!'), `Java failed (${java}), Windhover printed ${ours}`).toBe(true);
    const message = java.replace(/^!\w+: /, '');
    if (java.startsWith('!IllegalArgumentException')) expect(ours).toBe(`!${message}`);
  } else {
    expect(ours).toBe(java);
  }
}

/**
 * Where Windhover knowingly differs from Java 17: Europe/Dublin kept summer time all year in
 * 1968-71, which Intl's offsets cannot tell from standard time.
 */
const KNOWN = new Set(['wide 15 16 z zzzz v O', 'wide 18 16 z zzzz v O']);

describe('DateTimeFormatter.ofPattern, against Java 17', () => {
  it.each(
    JAVA.format.map(
      (row) => [`${INSTANTS[row[0]] ?? 'compile'} ${ZONES[row[1]] ?? ''} ${PATTERNS[row[2]]}`, row] as const,
    ),
  )('%s', (_label, [instant, zone, pattern, java]) => {
    const formatter = (): string => ofPattern(PATTERNS[pattern]!).format(at(instant, zone));
    if (instant < 0)
      expectJava(
        attempt(() => (ofPattern(PATTERNS[pattern]!), '')),
        java,
      );
    else expectJava(attempt(formatter), java);
  });
});

describe('every instant in every zone, against Java 17', () => {
  for (const [instant, zone, pattern, java] of JAVA.wide) {
    const label = `wide ${instant} ${zone} ${pattern}`;
    if (KNOWN.has(label)) continue;
    it(`${INSTANTS[instant]} ${ZONES[zone]} ${pattern}`, () => {
      expectJava(
        attempt(() => ofPattern(pattern).format(at(instant, zone))),
        java,
      );
    });
  }
});

describe("Kestra's named formats and styles, against Java 17", () => {
  it.each(JAVA.named.map((row) => [`${row[2]} ${INSTANTS[row[0]]} ${ZONES[row[1]]}`, row] as const))(
    '%s',
    (_label, [instant, zone, name, java]) => {
      expectJava(
        attempt(() => kestraFormatter(name).format(at(instant, zone))),
        java,
      );
    },
  );
});

describe('ZonedDateTime.toString and its JSON, against Java 17', () => {
  it.each(JAVA.toString.map((row) => [`${INSTANTS[row[0]]} ${ZONES[row[1]]}`, row] as const))(
    '%s',
    (_label, [instant, zone, text, json]) => {
      const date = at(instant, zone);
      expect(date.toString()).toBe(text);
      expect(date.toJSON()).toBe(json);
    },
  );
});

/**
 * Other locales come from Intl (a newer CLDR than Java 17's) and are not all Java's: these
 * (locale, pattern) pairs are known to differ, for the reasons given.
 */
const LOCALE_DIFFERENCES: Record<string, string> = {
  'QQQ QQQQ': 'Intl has no quarter names; English ones are used',
  'a G': "era and am/pm abbreviations changed between Java 17's CLDR and Intl's",
  'z zzzz': 'short zone names other than English ones are not in the data; some long names changed',
  long: 'short zone names other than English ones are not in the data',
  full: 'some long zone names changed between CLDR versions',
  'EEE MMM': 'abbreviation dots changed between CLDR versions (de, nl)',
  medium: 'abbreviation dots changed between CLDR versions (nl)',
  'MMMMM EEEEE': 'narrow forms differ (ja)',
};

describe('other locales, against Java 17 (best effort through Intl)', () => {
  const rows = JAVA.locales.filter(
    ([, , tag, pattern]) => !(pattern in LOCALE_DIFFERENCES) || tag === 'en-GB',
  );
  it.each(rows.map((row) => [`${row[2]} ${row[3]} ${INSTANTS[row[0]]}`, row] as const))(
    '%s',
    (_label, [instant, zone, tag, pattern, java]) => {
      const ours = attempt(() => kestraFormatter(pattern).format(at(instant, zone), localeOf(tag)));
      if (tag === 'en-GB' && (pattern === 'long' || pattern === 'z zzzz')) return; // en-GB has no short name for US zones in Java
      expect(ours).toBe(java);
    },
  );

  it('matches Java on most locale cases', () => {
    let same = 0;
    for (const [instant, zone, tag, pattern, java] of JAVA.locales) {
      if (attempt(() => kestraFormatter(pattern).format(at(instant, zone), localeOf(tag))) === java) same++;
    }
    expect(same / JAVA.locales.length).toBeGreaterThan(0.8);
  });
});
