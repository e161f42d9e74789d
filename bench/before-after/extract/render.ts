/** Headline numbers of bench/render.ts (renders per second of cached templates). */
import { numberOf } from '../metric.js';
import type { Metric } from '../metric.js';

// A template can hold a pipe (`| date(...)`), so the row is read from its right-hand end.
const ROW = /^\| (`.+`) \| ([\d,]+) \| ([\d,]+) \| ([\d, ]+) \|\s*$/gm;

/** Reads renders/s (median) of each template row of `npm run bench:render`. */
export function extractRender(output: string): Metric[] {
  const metrics = [...output.matchAll(ROW)].map(([, template, perSecond]): Metric => ({
    name: `${template} renders/s`,
    value: numberOf(perSecond!),
    better: 'higher',
  }));
  if (metrics.length === 0) throw new Error('output has no template rows: has the print format changed?');
  return metrics;
}
