import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { objectShape, p } from '../../src/flow/schema/prop.js';
import { parseIsoDuration, formatIsoDuration } from '../../src/flow/index.js';

/** Whether a property accepts a value. */
function accepts(prop: ReturnType<typeof p.string>, value: unknown): boolean {
  return z.strictObject(objectShape({ x: prop.required() })).safeParse({ x: value }).success;
}

describe('property DSL', () => {
  it('integers take numbers, numeric strings (as Jackson) and, when dynamic, expressions', () => {
    const dynamic = p.integer({ min: 1 });
    expect([5, '5', '{{ inputs.n }}'].map((v) => accepts(dynamic, v))).toEqual([true, true, true]);
    expect([0, '0', 1.5, 'five', true].map((v) => accepts(dynamic, v))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    const literal = p.integer({ dynamic: false });
    expect([5, '5', '{{ inputs.n }}'].map((v) => accepts(literal, v))).toEqual([true, true, false]);
  });

  it('booleans take true/false and their string forms', () => {
    expect([true, 'false', 'TRUE', '{{ x }}', 'yes', 1].map((v) => accepts(p.boolean(), v))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(accepts(p.boolean({ dynamic: false }), '{{ x }}')).toBe(false);
  });

  it('durations follow Java Duration.parse', () => {
    const d = p.duration({ dynamic: false });
    expect(['PT5M', 'PT0.25S', 'P1D', 'P2DT3H', '-PT1H', 'pt5m'].map((v) => accepts(d, v))).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['P1W', 'P1M', 'PT', 'P1DT', '5m', ''].map((v) => accepts(d, v))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('patterned strings check literals only when dynamic', () => {
    const key = p.string({ pattern: /^[a-z]+$/ });
    expect(['abc', 'ABC', '{{ x }}'].map((v) => accepts(key, v))).toEqual([true, false, true]);
    expect(accepts(p.string({ pattern: /^[a-z]+$/, dynamic: false }), '{{ x }}')).toBe(false);
  });

  it('plain strings take any scalar, as Jackson does', () => {
    expect(['a', 42, false, ['a'], { a: 1 }].map((v) => accepts(p.string(), v))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('ISO-8601 durations', () => {
  it('parses as Java does and prints as Java does', () => {
    expect(parseIsoDuration('PT1H30M')).toBe(5_400_000);
    expect(parseIsoDuration('P1DT0.5S')).toBe(86_400_500);
    expect(parseIsoDuration('PT-1.5S')).toBe(-1500);
    expect(parseIsoDuration('P1Y')).toBeUndefined();
    expect(formatIsoDuration(5_400_000)).toBe('PT1H30M');
    expect(formatIsoDuration(86_400_000)).toBe('PT24H');
    expect(formatIsoDuration(250)).toBe('PT0.25S');
    expect(formatIsoDuration(0)).toBe('PT0S');
  });
});
