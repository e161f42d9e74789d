import { describe, expect, it } from 'vitest';
import { plusUnit, toZonedDateTime, zoneOf } from '../../../src/expr/dates/index.js';
import { JAVA } from './ground-truth.js';

function attempt(run: () => string): string {
  try {
    return run();
  } catch (error) {
    return `!${(error as Error).message}`;
  }
}

describe("Kestra's reading of strings (ZonedDateTime, else LocalDateTime, else LocalDate), against Java 17", () => {
  it.each(
    JAVA.parse.map((row) => [`${JSON.stringify(row[0])} ${row[1] || 'ISO'} in ${row[2]}`, row] as const),
  )('%s', (_label, [text, existingFormat, zone, java]) => {
    const ours = attempt(() => toZonedDateTime(text, zoneOf(zone), existingFormat || undefined).toString());
    if (java.startsWith('!')) {
      expect(ours.startsWith('!'), `Java failed (${java}), Windhover read ${ours}`).toBe(true);
      // Java's message follows ours, after what Windhover adds (the value, a hint).
      const message = java.replace(/^!\w+: /, '');
      if (java.startsWith('!DateTimeParseException'))
        expect(ours).toContain(message.replace(/: Unable to obtain.*/, ''));
    } else {
      expect(ours).toBe(java);
    }
  });
});

describe('ZonedDateTime.plus(amount, ChronoUnit), against Java 17', () => {
  it.each(JAVA.plus.map((row) => [`${row[0]} ${row[1]} ${row[2]} ${row[3]}`, row] as const))(
    '%s',
    (_label, [instant, zone, amount, unit, java]) => {
      const date = toZonedDateTime(instant, zoneOf('UTC'), undefined).withZone(zoneOf(zone));
      const ours = attempt(() => plusUnit(date, amount, unit).toString());
      if (java.startsWith('!')) expect(ours.startsWith('!')).toBe(true);
      else expect(ours).toBe(java);
    },
  );
});

describe('ZoneId.of, against Java 17', () => {
  it.each(JAVA.zoneIds.map((row) => [JSON.stringify(row[0]), row] as const))('%s', (_label, [id, java]) => {
    const ours = attempt(() => zoneOf(id).id);
    if (java.startsWith('!')) expect(ours).toBe(java.replace(/^!\w+: /, '!'));
    else expect(ours).toBe(java);
  });
});
