import { describe, expect, it } from 'vitest';
import { templates } from '../../../src/expr/index.js';
import { toZonedDateTime, zoneOf } from '../../../src/expr/dates/index.js';
import { JAVA } from './ground-truth.js';

/** A case's input as a context value: `zdt:` a date-time, `long:` a number, `str:` a string, `null`. */
function value(spec: string): unknown {
  if (spec === 'null') return null;
  if (spec.startsWith('zdt:')) return toZonedDateTime(spec.slice(4), zoneOf('UTC'), undefined);
  if (spec.startsWith('long:')) return Number(spec.slice(5));
  return spec.slice(4);
}

/** `name|key=value|…` as a call with named arguments. */
function call(spec: string): string {
  const [name, ...args] = spec.split('|');
  const named = args.map((arg) => {
    const key = arg.slice(0, arg.indexOf('='));
    const text = arg.slice(arg.indexOf('=') + 1);
    if (key === 'amount' && !text.startsWith('str:')) return `${key}=${text}`;
    return `${key}='${text.replace(/^str:/, '').replaceAll("'", "\\'")}'`;
  });
  return `${name}(${named.join(', ')})`;
}

/** The template of a case: its input piped through its calls (or now() first). */
function template(input: string, calls: string): string {
  const steps = calls.split(' >> ');
  if (input === 'now') return `{{ ${[call(steps[0]!), ...steps.slice(1).map(call)].join(' | ')} }}`;
  return `{{ v | ${steps.map(call).join(' | ')} }}`;
}

describe("Kestra's date filters and now(), against Kestra's code run on Java 17", () => {
  it.each(JAVA.kestra.map((row) => [row[0], row] as const))(
    '%s',
    (_label, [, input, calls, zone, now, java]) => {
      const t = template(input, calls);
      const options = { timeZone: zone, now: () => new Date(now || 0) };
      const render = (): string => templates.render(t, { v: value(input) }, options);
      if (java.startsWith('!')) {
        // Java's message, without the exception class and the dump of parsed fields, is in ours.
        expect(render, t).toThrow(
          java.replace(/^!\w+: /, '').replace(/TemporalAccessor: .*/, 'TemporalAccessor'),
        );
      } else {
        expect(render(), t).toBe(java === 'null' ? '' : java);
      }
    },
  );
});
