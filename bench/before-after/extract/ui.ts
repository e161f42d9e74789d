/** Headline numbers of the UI benchmarks (ui-home, ui-logs-page, ui-big-execution): their JSON. */
import { lastJsonObject } from '../metric.js';
import type { Metric } from '../metric.js';

/** Objects whose numeric fields are themselves medians in ms (ui-home's per-request medians). */
const MEDIAN_MAPS = new Set(['requestMedianMs']);

/**
 * Reads every `{ median, all }` of the JSON the UI benchmarks end with (named by its path less
 * a trailing `Ms`, e.g. `pageMs.levelError ms`) and the fields of the median maps; all are milliseconds, lower is better.
 */
export function extractUi(output: string): Metric[] {
  const metrics: Metric[] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const [key, field] of Object.entries(value)) {
      if (key === 'median' && typeof field === 'number') {
        metrics.push({ name: `${path.join('.').replace(/Ms$/, '')} ms`, value: field, better: 'lower' });
      } else if (MEDIAN_MAPS.has(path.at(-1) ?? '') && typeof field === 'number') {
        metrics.push({ name: `${[...path, key].join('.')} ms`, value: field, better: 'lower' });
      } else {
        walk(field, [...path, key]);
      }
    }
  };
  walk(lastJsonObject(output), []);
  if (metrics.length === 0) throw new Error('the JSON has no medians: has the print format changed?');
  return metrics;
}
