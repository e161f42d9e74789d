import { describe, expect, it } from 'vitest';
import { templates } from '../../../src/expr/index.js';
import {
  KestraNow,
  kestraFormatter,
  ofPattern,
  offsetZone,
  toZonedDateTime,
  zoneOf,
  ZonedDateTime,
} from '../../../src/expr/dates/index.js';
import { compare, equals } from '../../../src/expr/values.js';

const utc = zoneOf('UTC');
const paris = zoneOf('Europe/Paris');

describe('ZonedDateTime', () => {
  const date = new ZonedDateTime(Date.UTC(2024, 1, 5, 10, 15, 30, 123), 456_789, paris);

  it("has Java's getters as attributes", () => {
    expect([date.year, date.monthValue, date.month, date.dayOfMonth, date.dayOfWeek, date.dayOfYear]).toEqual(
      [2024, 2, 'FEBRUARY', 5, 'MONDAY', 36],
    );
    expect([date.hour, date.minute, date.second, date.nano, date.offset, String(date.zone)]).toEqual([
      11,
      15,
      30,
      123_456_789,
      '+01:00',
      'Europe/Paris',
    ]);
  });

  it('prints as Java and writes JSON as Jackson', () => {
    expect(date.toString()).toBe('2024-02-05T11:15:30.123456789+01:00[Europe/Paris]');
    expect(JSON.stringify({ date })).toBe('{"date":"2024-02-05T11:15:30.123456789+01:00"}');
  });

  it('equals as Java: same instant, offset and zone', () => {
    const same = new ZonedDateTime(date.epochMillis, date.nanoOfMilli, paris);
    expect(date.equals(same)).toBe(true);
    expect(equals(date, same)).toBe(true);
    expect(date.equals(date.withZone(utc))).toBe(false);
    expect(compare(date, date.withZone(utc))).toBe(0);
  });

  it('keeps its last conversion to another zone', () => {
    expect(date.withZone(utc)).toBe(date.withZone(utc));
    expect(date.withZone(paris)).toBe(date);
  });
});

describe('reading strings', () => {
  const samples = [
    '2024-02-05',
    '2024-02-29',
    '2023-02-29',
    '2024-02-05T10:15',
    '2024-02-05T10:15:30',
    '2024-02-05T10:15:30.',
    '2024-02-05T10:15:30.1',
    '2024-02-05T10:15:30.123456789',
    '2024-02-05T10:15:30Z',
    '2024-02-05T10:15:30.5+05:30',
    '2024-02-05T10:15:30-18:00',
    '2024-02-05T10:15:30+19:00',
    '2024-02-05T24:00:00',
    '2024-13-05T10:15:30Z',
    '2024-03-10T02:30:00',
    '2024-11-03T01:30:00',
  ];

  it.each(samples)('the fast path reads %s as the general parser does', (text) => {
    const zone = zoneOf('America/New_York');
    const general = (): string => {
      try {
        return toZonedDateTime(text, zone, 'iso_zoned_date_time').toString();
      } catch {
        try {
          return toZonedDateTime(text, zone, 'iso_local_date_time').toString();
        } catch {
          try {
            return toZonedDateTime(text, zone, 'iso_local_date').toString();
          } catch {
            return 'error';
          }
        }
      }
    };
    let fast: string;
    try {
      fast = toZonedDateTime(text, zone, undefined).toString();
    } catch {
      fast = 'error';
    }
    expect(fast).toBe(general());
  });

  it('reuses what it read, but not across zones for local forms', () => {
    expect(toZonedDateTime('2024-02-05T10:15:30Z', utc, undefined)).toBe(
      toZonedDateTime('2024-02-05T10:15:30Z', paris, undefined),
    );
    expect(toZonedDateTime('2024-02-05', paris, undefined).toString()).toBe(
      '2024-02-05T00:00+01:00[Europe/Paris]',
    );
    expect(toZonedDateTime('2024-02-05', utc, undefined).toString()).toBe('2024-02-05T00:00Z[UTC]');
    expect(toZonedDateTime('2024-02-05', paris, undefined).toString()).toBe(
      '2024-02-05T00:00+01:00[Europe/Paris]',
    );
  });

  it('reads epoch seconds and JavaScript dates', () => {
    expect(toZonedDateTime(1707128130, utc, undefined).toString()).toBe('2024-02-05T10:15:30Z[UTC]');
    expect(toZonedDateTime(new Date(Date.UTC(2024, 1, 5)), paris, undefined).toString()).toBe(
      '2024-02-05T01:00+01:00[Europe/Paris]',
    );
    expect(() => toZonedDateTime(true, utc, undefined)).toThrow(
      'cannot read the boolean true as a date-time',
    );
  });
});

describe('formatters', () => {
  it('are compiled once per pattern, errors included', () => {
    expect(ofPattern('yyyy-MM')).toBe(ofPattern('yyyy-MM'));
    expect(kestraFormatter('iso')).toBe(ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"));
    expect(() => ofPattern('yyyy-bb')).toThrow('Unknown pattern letter: b');
    expect(() => ofPattern('yyyy-bb')).toThrow('Unknown pattern letter: b');
  });
});

describe('now()', () => {
  it('prints as Kestra (iso) and stays a date-time at a fixed offset', () => {
    const now = new KestraNow(Date.UTC(2024, 1, 5, 10, 15, 30, 123), 0, offsetZone(3600), 3600);
    expect(String(now)).toBe('2024-02-05T11:15:30.123000+01:00');
    expect(JSON.stringify(now)).toBe('"2024-02-05T11:15:30.123000+01:00"');
    expect(now instanceof ZonedDateTime).toBe(true);
  });

  it('is the same instant for a whole render', () => {
    let calls = 0;
    const clock = (): Date => {
      calls++;
      return new Date(Date.UTC(2024, 1, 5, 10, 15, 30, 123));
    };
    const out = templates.render(
      "{{ now() }} {{ now | date('HH:mm') }} {{ now(timeZone='Asia/Tokyo') }}",
      {},
      { now: clock, timeZone: 'UTC' },
    );
    expect(out).toBe('2024-02-05T10:15:30.123000Z 10:15 2024-02-05T19:15:30.123000+09:00');
    expect(calls).toBe(1);
  });

  it('comes back typed as a date-time that serialises as Kestra prints it', () => {
    const value = templates.renderTyped(
      '{{ now() }}',
      {},
      { now: () => new Date(Date.UTC(2024, 1, 5)), timeZone: 'UTC' },
    );
    expect(value).toBeInstanceOf(ZonedDateTime);
    expect(JSON.stringify(value)).toBe('"2024-02-05T00:00:00.000000Z"');
  });
});

describe('limits', () => {
  it('refuses instants beyond what JavaScript dates reach', () => {
    expect(() => toZonedDateTime(1e15, utc, undefined)).toThrow('out of range');
    expect(() => new ZonedDateTime(Number.NaN, 0, utc)).toThrow('out of range');
  });

  it('names the value of now() a ZonedDateTime in messages', () => {
    expect(() => templates.render('{{ now() * 2 }}', {}, { timeZone: 'UTC' })).toThrow(
      'got a ZonedDateTime and a number',
    );
  });
});
