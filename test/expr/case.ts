/**
 * One row of the expression conformance table: a template, a context, and either the text it
 * renders to (`out`), the typed value of renderTyped (`typed`), or the error it raises (`err`:
 * a code, and optionally text the message must contain).
 */
export interface ExprCase {
  /** What the case shows, if the template alone does not say it. */
  name?: string;
  t: string;
  ctx?: Record<string, unknown>;
  out?: string;
  typed?: unknown;
  err?: { code: string; message?: string; line?: number; column?: number };
  /** Render options: a fixed clock, a time zone, host functions. */
  now?: string;
  timeZone?: string;
  host?: Record<string, (args: unknown[]) => unknown>;
}

/** The context most cases use. */
export const CTX: Record<string, unknown> = {
  inputs: {
    taxi: 'yellow',
    year: 2019,
    month: '01',
    n: 5,
    ratio: 0.5,
    flag: true,
    list: [1, 2, 3],
    names: ['b', 'a', 'c'],
    map: { a: 1, b: 'two' },
    empty: '',
    nothing: null,
  },
  vars: {
    greeting: 'Hello {{ inputs.taxi }}',
    nested: '{{ vars.greeting }}!',
    file: '{{ inputs.taxi }}_tripdata_{{ inputs.year }}-{{ inputs.month }}.csv',
  },
  outputs: {
    extract: {
      outputFiles: { 'yellow_tripdata_2019-01.csv': 'kestra:///zoomcamp/extract/yellow.csv' },
      exitCode: 0,
    },
    each: { a: { value: 'A' }, b: { value: 'B' } },
  },
  flow: { id: 'taxi', namespace: 'zoomcamp', revision: 3 },
  execution: { id: '4wjtkzwVGBM9yKnjm3yv8r', startDate: '2024-02-05T10:15:30.123Z', state: 'RUNNING' },
  taskrun: { id: 'tr1', value: 'b', attemptsCount: 1 },
  labels: { team: 'data' },
};
