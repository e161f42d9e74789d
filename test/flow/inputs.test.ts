import { describe, expect, it } from 'vitest';
import { coerceInputValue, coerceInputValues } from '../../src/flow/index.js';
import type { FlowInput } from '../../src/flow/index.js';

/** The value or the error text of one input given one raw value. */
function coerce(input: Omit<FlowInput, 'id'> & { id?: string }, raw: unknown): unknown {
  const result = coerceInputValue({ id: 'x', ...input }, raw);
  return 'error' in result ? `error: ${result.error}` : result.value;
}

describe('coerceInputValue, per type', () => {
  it('STRING: scalars become strings; validator must match the whole value', () => {
    expect(coerce({ type: 'STRING' }, 'abc')).toBe('abc');
    expect(coerce({ type: 'STRING' }, 42)).toBe('42');
    expect(coerce({ type: 'STRING' }, ['a'])).toBe('error: must be a string, got a list');
    expect(coerce({ type: 'STRING', validator: '\\d{4}' }, '2024')).toBe('2024');
    expect(coerce({ type: 'STRING', validator: '\\d{4}' }, '20245')).toBe(
      'error: must match `\\d{4}`, got `20245`',
    );
  });

  it('SECRET: like STRING, and never echoes the value', () => {
    expect(coerce({ type: 'SECRET' }, 's3cret')).toBe('s3cret');
    expect(coerce({ type: 'SECRET', validator: '[a-z]+' }, 'Hunter2')).toBe(
      'error: must match `[a-z]+`, got `******`',
    );
  });

  it('INT: integers, from numbers or strings; 32-bit; min and max', () => {
    expect(coerce({ type: 'INT' }, 12)).toBe(12);
    expect(coerce({ type: 'INT' }, ' -7 ')).toBe(-7);
    expect(coerce({ type: 'INT' }, '1.5')).toBe('error: must be an integer, got `1.5`');
    expect(coerce({ type: 'INT' }, 'ten')).toBe('error: must be an integer, got `ten`');
    expect(coerce({ type: 'INT' }, 2 ** 31)).toBe(
      'error: must be an integer between -2147483648 and 2147483647, got `2147483648`',
    );
    expect(coerce({ type: 'INT', min: 1, max: 12 }, 0)).toBe('error: must be at least 1, got `0`');
    expect(coerce({ type: 'INT', min: 1, max: 12 }, '13')).toBe('error: must be at most 12, got `13`');
    expect(coerce({ type: 'INT', min: 1, max: 12 }, '12')).toBe(12);
  });

  it('FLOAT: numbers, exponents, min and max', () => {
    expect(coerce({ type: 'FLOAT' }, '3.14')).toBe(3.14);
    expect(coerce({ type: 'FLOAT' }, '1e3')).toBe(1000);
    expect(coerce({ type: 'FLOAT' }, 'pi')).toBe('error: must be a number, got `pi`');
    expect(coerce({ type: 'FLOAT', min: 0.5 }, 0.25)).toBe('error: must be at least 0.5, got `0.25`');
  });

  it('BOOLEAN and BOOL: true/false in any case', () => {
    expect(coerce({ type: 'BOOLEAN' }, 'TRUE')).toBe(true);
    expect(coerce({ type: 'BOOL' }, false)).toBe(false);
    expect(coerce({ type: 'BOOL' }, 'yes')).toBe('error: must be `true` or `false`, got `yes`');
  });

  it('DATE: ISO dates that exist on the calendar; after and before', () => {
    expect(coerce({ type: 'DATE' }, '2024-02-29')).toBe('2024-02-29');
    expect(coerce({ type: 'DATE' }, '2023-02-29')).toBe(
      'error: must be an ISO-8601 date such as `2024-02-05`, got `2023-02-29`',
    );
    expect(coerce({ type: 'DATE' }, '05/02/2024')).toBe(
      'error: must be an ISO-8601 date such as `2024-02-05`, got `05/02/2024`',
    );
    expect(coerce({ type: 'DATE', after: '2024-01-01' }, '2024-01-01')).toBe(
      'error: must be after 2024-01-01, got `2024-01-01`',
    );
    expect(coerce({ type: 'DATE', before: '2024-01-01' }, '2023-12-31')).toBe('2023-12-31');
  });

  it('DATETIME: ISO date-times with a zone (or UTC), printed as Java prints an Instant', () => {
    expect(coerce({ type: 'DATETIME' }, '2024-02-05T10:00:00Z')).toBe('2024-02-05T10:00:00Z');
    expect(coerce({ type: 'DATETIME' }, '2024-02-05T10:00:00+01:00')).toBe('2024-02-05T09:00:00Z');
    expect(coerce({ type: 'DATETIME' }, '2024-02-05T10:00')).toBe('2024-02-05T10:00:00Z');
    expect(coerce({ type: 'DATETIME' }, '2024-02-05T10:00:00.5Z')).toBe('2024-02-05T10:00:00.500Z');
    expect(coerce({ type: 'DATETIME' }, '2024-02-05T10:00:00.123456Z')).toBe('2024-02-05T10:00:00.123456Z');
    expect(coerce({ type: 'DATETIME' }, '2024-02-05 25:00')).toBe(
      'error: must be an ISO-8601 date-time such as `2024-02-05T10:00:00Z`, got `2024-02-05 25:00`',
    );
    expect(coerce({ type: 'DATETIME', before: '2024-01-01T00:00:00Z' }, '2024-01-01T00:00:01Z')).toBe(
      'error: must be before 2024-01-01T00:00:00Z, got `2024-01-01T00:00:01Z`',
    );
  });

  it('TIME: ISO times, printed as Java prints a LocalTime', () => {
    expect(coerce({ type: 'TIME' }, '09:30')).toBe('09:30');
    expect(coerce({ type: 'TIME' }, '09:30:00')).toBe('09:30');
    expect(coerce({ type: 'TIME' }, '09:30:15.25')).toBe('09:30:15.250');
    expect(coerce({ type: 'TIME' }, '9:30')).toBe(
      'error: must be an ISO-8601 time such as `10:15` or `10:15:30`, got `9:30`',
    );
    expect(coerce({ type: 'TIME', after: '08:00' }, '07:59')).toBe('error: must be after 08:00, got `07:59`');
  });

  it('DURATION: ISO durations, normalized as Java prints them; min and max', () => {
    expect(coerce({ type: 'DURATION' }, 'PT90M')).toBe('PT1H30M');
    expect(coerce({ type: 'DURATION' }, 'P1D')).toBe('PT24H');
    expect(coerce({ type: 'DURATION' }, 'PT0.25S')).toBe('PT0.25S');
    expect(coerce({ type: 'DURATION' }, '90m')).toBe(
      'error: must be an ISO-8601 duration such as `PT5M` or `P1D`, got `90m`',
    );
    expect(coerce({ type: 'DURATION', max: 'PT1H' }, 'PT2H')).toBe('error: must be at most PT1H, got `PT2H`');
  });

  it('JSON and YAML: text is parsed, structured values pass', () => {
    expect(coerce({ type: 'JSON' }, '{"a": [1, 2]}')).toEqual({ a: [1, 2] });
    expect(coerce({ type: 'JSON' }, { a: 1 })).toEqual({ a: 1 });
    expect(coerce({ type: 'JSON' }, '{a: 1}')).toMatch(/^error: must be valid JSON: /);
    expect(coerce({ type: 'YAML' }, 'a:\n  - 1\n')).toEqual({ a: [1] });
    expect(coerce({ type: 'YAML' }, 'a: [1')).toMatch(/^error: must be valid YAML: /);
  });

  it('ARRAY: a JSON list or a list, each item parsed as itemType', () => {
    expect(coerce({ type: 'ARRAY', itemType: 'INT' }, '[1, "2"]')).toEqual([1, 2]);
    expect(coerce({ type: 'ARRAY', itemType: 'DATE' }, ['2024-01-01'])).toEqual(['2024-01-01']);
    expect(coerce({ type: 'ARRAY', itemType: 'INT' }, [1, 'x'])).toBe(
      'error: item 2 must be an integer, got `x`',
    );
    expect(coerce({ type: 'ARRAY', itemType: 'STRING' }, 'a,b')).toBe(
      'error: must be a list such as `["a", "b"]`, got `a,b`',
    );
  });

  it('SELECT: one of values, unless allowCustomValue', () => {
    const year = { type: 'SELECT' as const, values: ['2019', '2020'] };
    expect(coerce(year, 2019)).toBe('2019');
    expect(coerce(year, '2018')).toBe('error: must be one of 2019, 2020, got `2018`');
    expect(coerce({ ...year, allowCustomValue: true }, '2018')).toBe('2018');
    expect(coerce(year, ['2019'])).toBe('error: must be one value, got a list');
  });

  it('MULTISELECT: a list (or JSON list) of values', () => {
    const colours = { type: 'MULTISELECT' as const, values: ['yellow', 'green'] };
    expect(coerce(colours, ['yellow', 'green'])).toEqual(['yellow', 'green']);
    expect(coerce(colours, '["green"]')).toEqual(['green']);
    expect(coerce(colours, 'yellow')).toEqual(['yellow']);
    expect(coerce(colours, ['blue'])).toBe('error: each value must be one of yellow, green, got `blue`');
  });

  it('ENUM (deprecated SELECT)', () => {
    expect(coerce({ type: 'ENUM', values: ['a'] }, 'b')).toBe('error: must be one of a, got `b`');
  });

  it('FILE: a stored file URI, with the extension checked', () => {
    expect(coerce({ type: 'FILE' }, 'kestra:///ns/f/executions/1/inputs/x/data.csv')).toBe(
      'kestra:///ns/f/executions/1/inputs/x/data.csv',
    );
    expect(coerce({ type: 'FILE', extension: '.csv' }, 'kestra:///a/b.json')).toBe(
      'error: must be a `.csv` file, got `kestra:///a/b.json`',
    );
    expect(coerce({ type: 'FILE', allowedFileExtensions: ['csv', '.gz'] }, 'kestra:///a/b.GZ')).toBe(
      'kestra:///a/b.GZ',
    );
    expect(coerce({ type: 'FILE' }, 12)).toBe('error: must be a file, got `12`');
  });

  it("URI: Kestra's rule, a lowercase scheme, `://` and a host with a dot (InputsTest.inputFailed)", () => {
    for (const ok of [
      'https://www.google.com',
      'http://127.0.0.1:8080/path?x=1&y=(2)#top',
      'sftp://files.example.org/in/data.csv',
      'ftp://bucket.data/key',
    ])
      expect(coerce({ type: 'URI' }, ok)).toBe(ok);
    for (const bad of [
      'http:/bla',
      'http://localhost:8080',
      'HTTPS://example.com',
      'https://exa mple.com',
      'mailto:a@b.co',
      's3://bucket.data/key', // Kestra's scheme is letters only
    ])
      expect(coerce({ type: 'URI' }, bad)).toMatch(/^error: must be a URI/);
    // Checked in linear time: a long text that almost matches answers at once.
    const started = performance.now();
    expect(coerce({ type: 'URI' }, `http://${'a.'.repeat(200_000)}!`)).toMatch(/^error/);
    expect(coerce({ type: 'URI' }, `http://${'a'.repeat(300)}.com/${'x'.repeat(500_000)}`)).toMatch(/^error/);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('URI and EMAIL', () => {
    expect(coerce({ type: 'URI' }, 'https://example.com/a.csv')).toBe('https://example.com/a.csv');
    expect(coerce({ type: 'URI' }, 'example.com')).toBe(
      'error: must be a URI such as `https://example.com/data.csv` (a lowercase scheme, `://` and a host with a domain, as Kestra checks), got `example.com`',
    );
    expect(coerce({ type: 'EMAIL' }, 'ada@example.com')).toBe('ada@example.com');
    expect(coerce({ type: 'EMAIL' }, 'ada@')).toBe('error: must be an email address, got `ada@`');
  });
});

describe('coerceInputValues, for a whole flow', () => {
  const inputs: FlowInput[] = [
    { id: 'taxi', type: 'SELECT', values: ['yellow', 'green'], defaults: 'yellow' },
    { id: 'year', type: 'SELECT', values: ['2019', '2020'] },
    { id: 'month', type: 'INT', min: 1, max: 12 },
    { id: 'note', type: 'STRING', required: false },
    { id: 'db.port', type: 'INT', defaults: 5432 },
  ];

  it('applies defaults, nests dotted ids and sets optional inputs to null', () => {
    expect(coerceInputValues(inputs, { year: '2020', month: '3' })).toEqual({
      ok: true,
      values: { taxi: 'yellow', year: '2020', month: 3, note: null, db: { port: 5432 } },
      ignored: [],
    });
  });

  it('reports every problem at once, and names ignored values', () => {
    const result = coerceInputValues(inputs, { year: '2018', month: '13', colour: 'red' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.message)).toEqual([
      'Invalid input for `year`: must be one of 2019, 2020, got `2018`',
      'Invalid input for `month`: must be at most 12, got `13`',
    ]);
    expect(result.ignored).toEqual(['colour']);
  });

  it('says a required input is missing; an empty form field counts as missing', () => {
    const result = coerceInputValues(inputs, { year: '2019', month: '' });
    expect(!result.ok && result.problems.map((p) => p.message)).toEqual([
      'Invalid input for `month`: a value is required',
    ]);
  });

  it('renders expression defaults and dependsOn conditions with the given renderer', () => {
    const flowInputs: FlowInput[] = [
      { id: 'mode', type: 'SELECT', values: ['full', 'sample'] },
      {
        id: 'rows',
        type: 'INT',
        defaults: '{{ 10 }}',
        dependsOn: { inputs: ['mode'], condition: "{{ inputs.mode == 'sample' }}" },
      },
    ];
    // A tiny stand-in renderer for this unit test (the real one is the expression engine).
    const render = (template: string, context: { inputs: Record<string, unknown> }) =>
      template === '{{ 10 }}' ? 10 : context.inputs.mode === 'sample';
    expect(coerceInputValues(flowInputs, { mode: 'sample' }, { render })).toEqual({
      ok: true,
      values: { mode: 'sample', rows: 10 },
      ignored: [],
    });
    expect(coerceInputValues(flowInputs, { mode: 'full' }, { render })).toEqual({
      ok: true,
      values: { mode: 'full' },
      ignored: [],
    });
  });

  it('without a renderer, an expression default is reported rather than guessed', () => {
    const result = coerceInputValues(
      [{ id: 'day', type: 'DATE', defaults: "{{ now() | date('yyyy-MM-dd') }}" }],
      {},
    );
    expect(!result.ok && result.problems.map((p) => p.message)).toEqual([
      'Invalid input for `day`: its default is an expression, which needs the expression engine to be rendered',
    ]);
  });
});
