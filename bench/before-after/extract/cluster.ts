/** Headline numbers of bench/cluster.ts (PostgreSQL, executor and workers as separate processes). */
import type { Metric } from '../metric.js';

const CHAIN = /^\(a\) chain-40, .*?: ([\d.]+) ms per task/m;
// Before issue 22: "(b) … 1 executor + 2 workers" and "(b') same, 2 executors + 2 workers";
// since: "(b) … N executor(s) + 2 workers". Both read as "N executor(s)".
const THROUGHPUT = /^\(b'?\) .*?(\d) executors? \+ 2 workers: median (\d+) executions\/s/gm;

/** Reads chain-40 per task (unless --only throughput) and each layout's executions/s (unless --only chain). */
export function extractCluster(output: string): Metric[] {
  const metrics: Metric[] = [];
  const chain = output.match(CHAIN);
  if (chain) metrics.push({ name: 'chain-40 ms/task', value: Number(chain[1]), better: 'lower' });
  for (const [, executors, perSecond] of output.matchAll(THROUGHPUT)) {
    if (perSecond === undefined || Number.isNaN(Number(perSecond))) continue;
    metrics.push({
      name: `${executors} executor(s) executions/s`,
      value: Number(perSecond),
      better: 'higher',
    });
  }
  if (metrics.length === 0) throw new Error('output has no (a) or (b) line: has the print format changed?');
  return metrics;
}
