/**
 * The extractors of `npm run bench:before-after` read real captured outputs of each benchmark
 * (test/fixtures/bench-output/, from the base commit and from main), so a benchmark whose print
 * format changes fails here rather than dropping out of the before/after table unnoticed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparisonTable, verdict } from '../../bench/before-after/compare.js';
import type { Samples } from '../../bench/before-after/compare.js';
import { extractCli } from '../../bench/before-after/extract/cli.js';
import { extractCluster } from '../../bench/before-after/extract/cluster.js';
import { extractEngine } from '../../bench/before-after/extract/engine.js';
import { extractRender } from '../../bench/before-after/extract/render.js';
import { extractScripts } from '../../bench/before-after/extract/scripts.js';
import { extractStart } from '../../bench/before-after/extract/start.js';
import { extractUi } from '../../bench/before-after/extract/ui.js';
import { extractValidate } from '../../bench/before-after/extract/validate.js';
import { extractWebhook } from '../../bench/before-after/extract/webhook.js';
import type { Extractor } from '../../bench/before-after/metric.js';

const fixture = (name: string): string => readFileSync(join('test/fixtures/bench-output', name), 'utf8');
const read = (extract: Extractor, name: string) =>
  Object.fromEntries(extract(fixture(name)).map((m) => [m.name, [m.value, m.better]]));

describe('before-after extractors on real benchmark output', () => {
  it('engine: chain-40 (wall and CPU), throughput, ForEach (wall and CPU), peak RSS', () => {
    expect(read(extractEngine, 'engine.txt')).toEqual({
      'chain-40 ms/task': [0.66, 'lower'],
      'chain-40 CPU ms/task': [0.325, 'lower'],
      '1,000 × 2 tasks executions/s': [338, 'higher'],
      'ForEach 1,000 ms': [712, 'lower'],
      'ForEach 1,000 CPU ms': [207, 'lower'],
      'peak RSS MB': [164, 'lower'],
    });
  });

  it('render: renders/s of each template, a template with a pipe included', () => {
    expect(read(extractRender, 'render.txt')).toEqual({
      "`{{ inputs.taxi }}_tripdata_{{ trigger.date | date('yyyy-MM') }}.csv` renders/s": [470_696, 'higher'],
      '`{{ inputs.taxi }}_tripdata_{{ inputs.year }}-{{ inputs.month }}.csv` renders/s': [861_743, 'higher'],
      "`{{ outputs.extract.outputFiles[inputs.taxi ~ '_tripdata_' ~ inputs.year ~ '-' ~ inputs.month ~ '.csv'] }}` renders/s":
        [412_666, 'higher'],
      "`{{ inputs.taxi == 'yellow' and inputs.year >= 2019 }}` renders/s": [1_080_965, 'higher'],
    });
  });

  it("validate: Windhover's two rows, not the js-yaml baseline", () => {
    expect(read(extractValidate, 'validate.txt')).toEqual({
      'validateFlowSource, 1,000 flows ms': [4142, 'lower'],
      '`windhover flow validate DIR` end to end ms': [8008, 'lower'],
    });
  });

  it('webhook: p50, p99 and drain of each generator and rate', () => {
    expect(read(extractWebhook, 'webhook.txt')).toEqual({
      'autocannon 500/s p50 ms': [464, 'lower'],
      'autocannon 500/s p99 ms': [2889, 'lower'],
      'autocannon 500/s drain ms': [786, 'lower'],
      'open-loop 500/s p50 ms': [15050.3, 'lower'],
      'open-loop 500/s p99 ms': [30219.9, 'lower'],
      'open-loop 500/s drain ms': [81, 'lower'],
    });
  });

  it('scripts: overhead per task for python3 on PATH and for its real binary', () => {
    expect(read(extractScripts, 'scripts.txt')).toEqual({
      'python3 on PATH overhead ms/task': [11.49, 'lower'],
      'python3 real binary overhead ms/task': [10.35, 'lower'],
    });
  });

  it('start: wall and CPU of each Windhover line, not the node baseline', () => {
    expect(read(extractStart, 'start.txt')).toEqual({
      'baseline: windhover --version (CLI load) wall ms': [2930, 'lower'],
      'server local (empty data folder) wall ms': [4045, 'lower'],
      'server local (empty data folder) CPU ms': [1590, 'lower'],
      'server local -f examples/flows (14 flows) wall ms': [4422, 'lower'],
      'server local -f examples/flows (14 flows) CPU ms': [1520, 'lower'],
    });
  });

  it("cli: wall and CPU less node's, of each windhover command of the checkout measured", () => {
    expect(read(extractCli, 'cli.txt')).toEqual({
      'windhover --version wall − node ms': [5, 'lower'],
      'windhover --version CPU − node ms': [10, 'lower'],
      'windhover flow validate <hello> wall − node ms': [414, 'lower'],
      'windhover flow validate <hello> CPU − node ms': [240, 'lower'],
      'windhover run <hello> --data <tmp> wall − node ms': [656, 'lower'],
      'windhover run <hello> --data <tmp> CPU − node ms': [370, 'lower'],
    });
  });

  it("cluster: chain-40 per task; the base's (b) lines of an --only chain run (NaN) are left out", () => {
    expect(read(extractCluster, 'cluster.txt')).toEqual({ 'chain-40 ms/task': [6.2, 'lower'] });
    expect(read(extractCluster, 'cluster-base.txt')).toEqual({ 'chain-40 ms/task': [6.01, 'lower'] });
  });
  it("ui-home: each { median } of the JSON and each of the requests' medians", () => {
    expect(read(extractUi, 'ui-home.txt')).toEqual({
      'pageFrame ms': [2504, 'lower'],
      'homeRendered ms': [2619, 'lower'],
      'requestMedianMs.timeline ms': [349, 'lower'],
      'requestMedianMs.slowestFlows ms': [394, 'lower'],
      'requestMedianMs.failures ms': [27, 'lower'],
      'requestMedianMs.active ms': [138, 'lower'],
      'requestMedianMs.firstError ms': [3, 'lower'],
      'requestMedianMs.triggers ms': [2, 'lower'],
    });
  });

  it("ui-logs: the search API's and the page's medians", () => {
    expect(read(extractUi, 'ui-logs.txt')).toEqual({
      'apiMs.unfiltered ms': [65, 'lower'],
      'apiMs.error ms': [353, 'lower'],
      'apiMs.flow ms': [196, 'lower'],
      'apiMs.rareText ms': [21, 'lower'],
      'apiMs.rareTextOfCommonTrigrams ms': [21, 'lower'],
      'apiMs.rareTextFirstPage ms': [27, 'lower'],
      'apiMs.livePoll ms': [1, 'lower'],
      'pageMs.open ms': [542, 'lower'],
      'pageMs.levelError ms': [380, 'lower'],
      'pageMs.flow ms': [342, 'lower'],
      'pageMs.text ms': [242, 'lower'],
      'pageMs.textTyped ms': [211, 'lower'],
    });
  });

  it('ui-big-execution: the page medians, not the scroll figures', () => {
    expect(read(extractUi, 'ui-big-execution.txt')).toEqual({
      'ganttFirstRow ms': [1457, 'lower'],
      'logsFirstLine ms': [2314, 'lower'],
      'logsAllLoaded ms': [4900, 'lower'],
    });
  });
});

describe('before-after comparison', () => {
  const samples = (base: number[], head: number[], better: 'lower' | 'higher' = 'lower'): Samples => ({
    benchmark: 'b',
    metric: 'm',
    better,
    base,
    head,
  });

  it('calls head slower only when every head run is worse than every base run', () => {
    expect(verdict(samples([10, 12], [13, 14]))).toBe('slower');
    expect(verdict(samples([10, 12], [11, 14]))).toBe('no');
    expect(verdict(samples([10, 12], [8, 9]))).toBe('better');
    expect(verdict(samples([100, 120], [90, 95], 'higher'))).toBe('slower');
    expect(verdict(samples([10], [20]))).toBe('n/a');
  });

  it('keeps a metric whose name holds a pipe inside its table cell', () => {
    const table = comparisonTable([
      { ...samples([10, 12], [11, 11]), metric: "`{{ x | date('y') }}` renders/s" },
    ]);
    expect(table.split('\n')[2]).toBe(
      "| b | `{{ x \\| date('y') }}` renders/s | lower | 11 | 11 | +0.0 % | no |",
    );
  });

  it('shows whole medians as they are, others to three significant places or more', () => {
    const table = comparisonTable([
      { ...samples([4, 4], [56, 56]), metric: 'whole' },
      { ...samples([0.4871, 0.4871], [12.34, 12.34]), metric: 'fractions' },
    ]);
    expect(table.split('\n').slice(2)).toEqual([
      '| b | whole | lower | 4 | 56 | +1300.0 % | **SLOWER** |',
      '| b | fractions | lower | 0.487 | 12.3 | +2433.4 % | **SLOWER** |',
    ]);
  });

  it('says which print format it no longer understands', () => {
    expect(() => extractEngine('machine: 2 × cpu')).toThrow(/\(a\) chain-40 line.*print format/);
    expect(() => extractWebhook('')).toThrow(/print format/);
  });
});
