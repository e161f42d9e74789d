/** Headline numbers of bench/validate-flows.ts (1,000 flows of 50 tasks). */
import { markdownRows, numberOf } from '../metric.js';
import type { Metric } from '../metric.js';

/** Reads the median ms of Windhover's rows of `npm run bench:validate` (not the js-yaml baseline). */
export function extractValidate(output: string): Metric[] {
  const rows = markdownRows(output).filter(
    (cells) =>
      /^(validateFlowSource|`windhover flow validate)/.test(cells[0] ?? '') &&
      /^[\d,.]+ ms$/.test(cells[1] ?? ''),
  );
  if (rows.length < 2)
    throw new Error('output lacks the validateFlowSource and CLI rows: has the print format changed?');
  return rows.map((cells) => ({
    name: `${cells[0]} ms`,
    value: numberOf(cells[1]!.replace(' ms', '')),
    better: 'lower',
  }));
}
