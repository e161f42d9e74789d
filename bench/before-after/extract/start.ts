/** Headline numbers of bench/server-start.ts (spawn → first 200 from /health). */
import type { Metric } from '../metric.js';

const LINE = /^(.+?)\s+wall median\s+(\d+) ms(?:\s+cpu median\s+(\d+) ms)?/gm;

/** Reads wall (and CPU) medians of each Windhover line of `npm run bench:start` (not `node -e`). */
export function extractStart(output: string): Metric[] {
  const metrics: Metric[] = [];
  for (const [, label, wall, cpu] of output.matchAll(LINE)) {
    if (label!.startsWith('baseline: node')) continue;
    metrics.push({ name: `${label} wall ms`, value: Number(wall), better: 'lower' });
    if (cpu !== undefined) metrics.push({ name: `${label} CPU ms`, value: Number(cpu), better: 'lower' });
  }
  if (metrics.length === 0)
    throw new Error('output has no "wall median" lines: has the print format changed?');
  return metrics;
}
