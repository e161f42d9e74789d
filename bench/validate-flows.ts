/**
 * Benchmark: validating 1,000 flows of 50 tasks each (issue "Foundation": under 2 s).
 *
 *   npm run bench:validate            (after npm ci; uses the built CLI for the end-to-end part)
 *
 * Measures, as medians over several runs in one process:
 *   - validateFlowSource over the 1,000 texts (YAML parse + validation),
 *   - the baseline: parsing the same texts with js-yaml alone (the floor for any validator
 *     that reads YAML in JavaScript),
 *   - end to end: `windhover flow validate DIR` on the 1,000 files (node start-up included).
 * Prints a Markdown table; paste it into bench/RESULTS.md with the date and machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { validateFlowSource } from '../src/flow/index.js';
import { catalog } from '../src/plugins/registry.js';

const FLOWS = 1000;
const TASKS = 50;
const RUNS = 7;

/** A realistic mix of task types, with flowables, inputs, a trigger and pluginDefaults. */
function makeFlow(n: number): string {
  const lines = [
    `id: flow_${n}`,
    'namespace: company.bench',
    'inputs:',
    '  - id: taxi',
    '    type: SELECT',
    '    values: [yellow, green]',
    '    defaults: yellow',
    '  - id: month',
    '    type: INT',
    '    min: 1',
    '    max: 12',
    '    defaults: 1',
    'pluginDefaults:',
    '  - type: io.kestra.plugin.jdbc.postgresql',
    '    values:',
    '      url: jdbc:postgresql://127.0.0.1:5432/test',
    '      username: postgres',
    'triggers:',
    '  - id: nightly',
    '    type: io.kestra.plugin.core.trigger.Schedule',
    '    cron: "0 2 * * *"',
    'tasks:',
  ];
  // Task shapes in turn; t counts tasks, nested ones included.
  let t = 0;
  for (let shape = 0; t < TASKS; shape++) {
    switch (shape % 5) {
      case 0:
        lines.push(
          `  - id: log_${t}`,
          '    type: io.kestra.plugin.core.log.Log',
          `    message: "step ${t} for {{ inputs.taxi }}"`,
        );
        t += 1;
        break;
      case 1:
        lines.push(
          `  - id: query_${t}`,
          '    type: io.kestra.plugin.jdbc.postgresql.Queries',
          '    sql: |',
          `      INSERT INTO runs (step, month) VALUES (${t}, {{ inputs.month }});`,
          '    fetchType: NONE',
          '    retry:',
          '      type: constant',
          '      interval: PT10S',
          '      maxAttempts: 3',
        );
        t += 1;
        break;
      case 2:
        lines.push(
          `  - id: script_${t}`,
          '    type: io.kestra.plugin.scripts.python.Script',
          '    timeout: PT5M',
          '    script: |',
          '      import csv',
          `      print("step ${t}")`,
          '    outputFiles:',
          '      - "*.csv"',
        );
        t += 1;
        break;
      case 3:
        if (TASKS - t < 3) {
          lines.push(
            `  - id: sleep_${t}`,
            '    type: io.kestra.plugin.core.flow.Sleep',
            '    duration: PT1S',
          );
          t += 1;
          break;
        }
        lines.push(
          `  - id: branch_${t}`,
          '    type: io.kestra.plugin.core.flow.If',
          '    condition: "{{ inputs.taxi == \'yellow\' }}"',
          '    then:',
          `      - id: yellow_${t}`,
          '        type: io.kestra.plugin.core.debug.Return',
          '        format: yellow',
          '    else:',
          `      - id: green_${t}`,
          '        type: io.kestra.plugin.core.debug.Return',
          '        format: green',
        );
        t += 3;
        break;
      default:
        if (TASKS - t < 2) {
          lines.push(
            `  - id: sleep_${t}`,
            '    type: io.kestra.plugin.core.flow.Sleep',
            '    duration: PT1S',
          );
          t += 1;
          break;
        }
        lines.push(
          `  - id: loop_${t}`,
          '    type: io.kestra.plugin.core.flow.ForEach',
          '    values: ["a", "b", "c"]',
          '    concurrencyLimit: 0',
          '    tasks:',
          `      - id: each_${t}`,
          '        type: io.kestra.plugin.core.log.Log',
          '        message: "{{ taskrun.value }}"',
        );
        t += 2;
    }
  }
  return `${lines.join('\n')}\n`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeRuns(runs: number, fn: () => void): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times;
}

const texts = Array.from({ length: FLOWS }, (_, i) => makeFlow(i));
const bytes = texts.reduce((sum, t) => sum + t.length, 0);

// Sanity: the generated flows are valid, without warnings, and have TASKS tasks (nested included).
for (const text of texts.slice(0, 3)) {
  const result = validateFlowSource(text, { catalog });
  const flow = result.flows[0];
  if (!result.valid || (flow?.problems.length ?? 1) > 0)
    throw new Error(`generated flow has problems: ${JSON.stringify(flow?.problems)}`);
  const ids = text.match(/^\s+- id: /gm)?.length ?? 0;
  if (ids !== TASKS + 3) throw new Error(`generated flow has ${ids - 3} tasks, not ${TASKS}`); // + 2 inputs + 1 trigger
}

timeRuns(2, () => texts.forEach((t) => validateFlowSource(t, { catalog }))); // warm-up
const validate = timeRuns(RUNS, () => {
  for (const text of texts) {
    if (!validateFlowSource(text, { catalog }).valid) throw new Error('invalid');
  }
});
const parseOnly = timeRuns(RUNS, () => {
  for (const text of texts) jsYaml.loadAll(text);
});

const dir = mkdtempSync(join(tmpdir(), 'windhover-bench-'));
texts.forEach((text, i) => writeFileSync(join(dir, `flow_${i}.yaml`), text));
const cli = timeRuns(3, () => {
  const run = spawnSync(process.execPath, ['bin/windhover.js', 'flow', 'validate', dir], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`CLI failed: ${run.stdout.slice(-500)} ${run.stderr}`);
});
rmSync(dir, { recursive: true, force: true });

const ms = (v: number) => `${v.toFixed(0)} ms`;
console.log(`Machine: ${cpus()[0]?.model ?? 'unknown'} x${cpus().length}, Node ${process.version}`);
console.log(`Input: ${FLOWS} flows x ${TASKS} tasks, ${(bytes / 1e6).toFixed(1)} MB of YAML`);
console.log('');
console.log('| measurement | median | runs (ms) |');
console.log('| --- | --- | --- |');
console.log(
  `| validateFlowSource, 1,000 flows | ${ms(median(validate))} | ${validate.map((v) => v.toFixed(0)).join(', ')} |`,
);
console.log(
  `| baseline: js-yaml parse only | ${ms(median(parseOnly))} | ${parseOnly.map((v) => v.toFixed(0)).join(', ')} |`,
);
console.log(
  `| \`windhover flow validate DIR\` end to end | ${ms(median(cli))} | ${cli.map((v) => v.toFixed(0)).join(', ')} |`,
);
console.log('');
console.log(
  `Per flow: ${(median(validate) / FLOWS).toFixed(2)} ms; per task: ${((median(validate) / (FLOWS * TASKS)) * 1000).toFixed(1)} µs`,
);
