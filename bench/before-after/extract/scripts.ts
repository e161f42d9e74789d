/** Headline numbers of bench/scripts.ts (overhead of a python.Commands task over a bare spawn). */
import type { Metric } from '../metric.js';

const LINE = /^`(.+) -c pass` × (\d+): overhead per task median ([-\d.]+) ms/gm;

/** Reads the per-task overhead for `python3` on PATH (and the real binary when it differs). */
export function extractScripts(output: string): Metric[] {
  const metrics: Metric[] = [];
  for (const [, python, , overhead] of output.matchAll(LINE)) {
    // The real binary's path differs between machines; name it by role, not by path.
    const which = python === 'python3' ? 'python3 on PATH' : 'python3 real binary';
    metrics.push({ name: `${which} overhead ms/task`, value: Number(overhead), better: 'lower' });
  }
  if (metrics.length === 0)
    throw new Error('output has no "`python -c pass` × N" lines: has the print format changed?');
  return metrics;
}
