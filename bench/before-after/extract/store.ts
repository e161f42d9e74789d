/** Headline numbers of bench/store.ts (commitSteps and completeJobs on a SQLite file). */
import { markdownRows, mustMatch, numberOf } from '../metric.js';
import type { Metric } from '../metric.js';

/** Reads the median µs per call of each row of `npm run bench:store`'s table, and the per-task sum. */
export function extractStore(output: string): Metric[] {
  const rows = markdownRows(output).filter((cells) => /^(commitSteps|completeJobs)/.test(cells[0] ?? ''));
  if (rows.length === 0)
    throw new Error('output has no commitSteps/completeJobs rows: has the print format changed?');
  const perTask = mustMatch(output, /Per task \(.*\): ([\d.]+) µs/, 'per-task line');
  return [
    ...rows.map((cells): Metric => ({
      name: `${cells[0]} median µs/call`,
      value: numberOf(cells[1]!),
      better: 'lower',
    })),
    { name: 'per task µs (1 commitSteps + 1 completeJobs)', value: numberOf(perTask[1]!), better: 'lower' },
  ];
}
