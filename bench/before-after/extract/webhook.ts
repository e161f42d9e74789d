/** Headline numbers of bench/webhook.ts (webhook latency under a fixed rate, two load generators). */
import type { Metric } from '../metric.js';

const STEP =
  /^(autocannon|open-loop)\s+rate (\d+)\/s: .*p50 ([\d.]+) ms, p99 ([\d.]+) ms, executions ended (\d+) ms after the load/gm;

/** Reads p50, p99 and the drain time of each generator × rate line of `npm run bench:webhook`. */
export function extractWebhook(output: string): Metric[] {
  const metrics: Metric[] = [];
  for (const [, generator, rate, p50, p99, drain] of output.matchAll(STEP)) {
    const step = `${generator} ${rate}/s`;
    metrics.push(
      { name: `${step} p50 ms`, value: Number(p50), better: 'lower' },
      { name: `${step} p99 ms`, value: Number(p99), better: 'lower' },
      { name: `${step} drain ms`, value: Number(drain), better: 'lower' },
    );
  }
  if (metrics.length === 0)
    throw new Error('output has no "<generator> rate N/s" lines: has the print format changed?');
  return metrics;
}
