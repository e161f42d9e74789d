/** BigQuery's raw result values typed as Kestra's BigQuery tasks give them (no emulator needed). */
import { describe, expect, it } from 'vitest';
import { rowValues, timestampValue } from '../../../../src/plugins/gcp/bigquery/run/values.js';
import type { BigQuerySchemaField } from '../../../../src/plugins/gcp/bigquery/run/values.js';

const cells = (...values: unknown[]) => ({ f: values.map((v) => ({ v })) });

describe('BigQuery values', () => {
  it('types each scalar as Kestra does', () => {
    const fields: BigQuerySchemaField[] = [
      { name: 'i', type: 'INTEGER' },
      { name: 'big', type: 'INT64' },
      { name: 'f', type: 'FLOAT' },
      { name: 'nan', type: 'FLOAT64' },
      { name: 'n', type: 'NUMERIC' },
      { name: 'huge', type: 'BIGNUMERIC' },
      { name: 'b', type: 'BOOLEAN' },
      { name: 's', type: 'STRING' },
      { name: 'd', type: 'DATE' },
      { name: 'dt', type: 'DATETIME' },
      { name: 't', type: 'TIME' },
      { name: 'bytes', type: 'BYTES' },
      { name: 'j', type: 'JSON' },
      { name: 'none', type: 'STRING' },
    ];
    expect(
      rowValues(
        fields,
        cells(
          '42',
          '9007199254740993',
          '1.25',
          'NaN',
          '12.50',
          '12345678901234567890.123456789',
          'true',
          'hello',
          '2024-05-01',
          '2024-05-01T12:30:00.123456',
          '10:11:12',
          'YWJj',
          '{"a":[1,2]}',
          null,
        ),
      ),
    ).toEqual({
      i: 42,
      big: '9007199254740993',
      f: 1.25,
      nan: 'NaN',
      n: 12.5,
      huge: '12345678901234567890.123456789',
      b: true,
      s: 'hello',
      d: '2024-05-01',
      dt: '2024-05-01T12:30:00.123456',
      t: '10:11:12',
      bytes: 'YWJj',
      j: { a: [1, 2] },
      none: null,
    });
  });

  it('reads records and repeated fields', () => {
    const fields: BigQuerySchemaField[] = [
      { name: 'tags', type: 'STRING', mode: 'REPEATED' },
      {
        name: 'point',
        type: 'RECORD',
        fields: [
          { name: 'x', type: 'INT64' },
          { name: 'ys', type: 'FLOAT64', mode: 'REPEATED' },
        ],
      },
      { name: 'empty', type: 'INT64', mode: 'REPEATED' },
    ];
    expect(
      rowValues(fields, cells([{ v: 'a' }, { v: 'b' }], { f: [{ v: '4' }, { v: [{ v: '0.5' }] }] }, null)),
    ).toEqual({ tags: ['a', 'b'], point: { x: 4, ys: [0.5] }, empty: [] });
  });

  it('writes timestamps as Java Instant text, whatever form the API gave', () => {
    expect(timestampValue('1714566600250000')).toBe('2024-05-01T12:30:00.250Z');
    expect(timestampValue('1714566600000001')).toBe('2024-05-01T12:30:00.000001Z');
    expect(timestampValue('1714566600000000')).toBe('2024-05-01T12:30:00Z');
    expect(timestampValue('1.7145666E9')).toBe('2024-05-01T12:30:00Z');
    expect(timestampValue('2024-05-01 14:30:00.123456+02:00')).toBe('2024-05-01T12:30:00.123456Z');
    expect(timestampValue('2024-05-01T12:30:00Z')).toBe('2024-05-01T12:30:00Z');
    expect(timestampValue('-1000000')).toBe('1969-12-31T23:59:59Z');
    expect(timestampValue('not a time')).toBe('not a time');
  });
});
