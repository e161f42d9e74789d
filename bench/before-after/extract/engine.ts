/** Headline numbers of bench/engine.ts (embedded store: chain-40, throughput, ForEach, RSS). */
import { mustMatch, numberOf } from '../metric.js';
import type { Metric } from '../metric.js';

/** Reads (a)–(d) of `npm run bench:engine`. */
export function extractEngine(output: string): Metric[] {
  const chain = mustMatch(
    output,
    /\(a\) chain-40: ([\d.]+) ms per task .*CPU ([\d.]+) ms per task/,
    '(a) chain-40 line',
  );
  const throughput = mustMatch(output, /\(b\) .*: median ([\d,]+) executions\/s/, '(b) throughput line');
  const forEach = mustMatch(
    output,
    /\(c\) ForEach .*: median ([\d,]+) ms .*CPU median ([\d,]+) ms/,
    '(c) ForEach line',
  );
  const rss = mustMatch(output, /\(d\) peak RSS during \(b\): ([\d,]+) MB/, '(d) peak RSS line');
  return [
    { name: 'chain-40 ms/task', value: numberOf(chain[1]!), better: 'lower' },
    { name: 'chain-40 CPU ms/task', value: numberOf(chain[2]!), better: 'lower' },
    { name: '1,000 × 2 tasks executions/s', value: numberOf(throughput[1]!), better: 'higher' },
    { name: 'ForEach 1,000 ms', value: numberOf(forEach[1]!), better: 'lower' },
    { name: 'ForEach 1,000 CPU ms', value: numberOf(forEach[2]!), better: 'lower' },
    { name: 'peak RSS MB', value: numberOf(rss[1]!), better: 'lower' },
  ];
}
