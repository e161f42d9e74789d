/**
 * Benchmark: renders per second of cached templates (issue "Expressions": ≥ 500,000/s for a
 * typical task property).
 *
 *   npm run bench:render
 *
 * Each template is compiled once (as the worker's cache does), then rendered in a tight loop
 * for ~1 s; the figure is the median of several runs. Baseline, measured in the same run: a
 * hand-written JavaScript function producing the same text, the floor of any template engine.
 */
import { cpus } from 'node:os';
import { templates } from '../src/expr/index.js';
import type { RenderOptions } from '../src/expr/index.js';

interface Case {
  name: string;
  template: string;
  baseline: (ctx: Context) => string;
}

interface Context {
  inputs: { taxi: string; year: number; month: string };
  trigger: { date: unknown };
  outputs: Record<string, Record<string, unknown>>;
}

const context: Context = {
  inputs: { taxi: 'yellow', year: 2019, month: '01' },
  trigger: { date: '2024-02-05T02:00:00Z' },
  outputs: { extract: { outputFiles: { 'yellow_tripdata_2019-01.csv': 'kestra:///zoomcamp/yellow.csv' } } },
};

const pad = (n: number) => String(n).padStart(2, '0');

const CASES: Case[] = [
  {
    name: 'typical property (issue)',
    template: "{{ inputs.taxi }}_tripdata_{{ trigger.date | date('yyyy-MM') }}.csv",
    baseline: (c) => {
      const d = new Date(String(c.trigger.date));
      return `${c.inputs.taxi}_tripdata_${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}.csv`;
    },
  },
  {
    name: 'three variables',
    template: '{{ inputs.taxi }}_tripdata_{{ inputs.year }}-{{ inputs.month }}.csv',
    baseline: (c) => `${c.inputs.taxi}_tripdata_${c.inputs.year}-${c.inputs.month}.csv`,
  },
  {
    name: 'subscript with concatenation',
    template:
      "{{ outputs.extract.outputFiles[inputs.taxi ~ '_tripdata_' ~ inputs.year ~ '-' ~ inputs.month ~ '.csv'] }}",
    baseline: (c) =>
      String(
        c.outputs.extract!.outputFiles &&
          (c.outputs.extract!.outputFiles as Record<string, string>)[
            `${c.inputs.taxi}_tripdata_${c.inputs.year}-${c.inputs.month}.csv`
          ],
      ),
  },
  {
    name: 'condition',
    template: "{{ inputs.taxi == 'yellow' and inputs.year >= 2019 }}",
    baseline: (c) => String(c.inputs.taxi === 'yellow' && c.inputs.year >= 2019),
  },
];

const options: RenderOptions = { timeZone: 'UTC' };

function ratePerSecond(fn: () => void, millis = 1000): number {
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < millis) {
    for (let i = 0; i < 1000; i++) fn();
    count += 1000;
    now = performance.now();
  }
  return count / ((now - start) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const RUNS = 5;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`Machine: ${cpus()[0]?.model ?? 'unknown'} x${cpus().length}, Node ${process.version}`);
console.log('');
console.log('| template | renders/s (median) | baseline JS function/s | runs |');
console.log('| --- | --- | --- | --- |');
for (const c of CASES) {
  const expected = c.baseline(context);
  const rendered = templates.render(c.template, context as unknown as Record<string, unknown>, options);
  if (rendered !== expected) throw new Error(`${c.name}: rendered ${rendered}, expected ${expected}`);
  const ctx = context as unknown as Record<string, unknown>;
  ratePerSecond(() => templates.render(c.template, ctx, options), 300); // warm-up
  const runs = Array.from({ length: RUNS }, () =>
    ratePerSecond(() => templates.render(c.template, ctx, options)),
  );
  const base = Array.from({ length: RUNS }, () => ratePerSecond(() => c.baseline(context)));
  console.log(
    `| \`${c.template}\` | ${fmt(median(runs))} | ${fmt(median(base))} | ${runs.map(fmt).join(', ')} |`,
  );
}
