/** Headline numbers of bench/cli-start.ts (whole-process time of `windhover` commands). */
import type { Metric } from '../metric.js';

// checkout (8 wide), command (36 wide), then the numbers: wall, − node, min, max[, cpu, − node].
const LINE =
  /^(this|compare)\s+(windhover .{0,36}?)\s+(-?\d+)\s+(-?\d+)\s+(\d+)\s+(\d+)(?:\s+(\d+)\s+(-?\d+))?\s*$/gm;

/** Reads wall and CPU medians, less `node -e ""`'s, of each command of the checkout measured ("this"). */
export function extractCli(output: string): Metric[] {
  const metrics: Metric[] = [];
  for (const [, checkout, command, , wallLessNode, , , , cpuLessNode] of output.matchAll(LINE)) {
    if (checkout !== 'this') continue;
    metrics.push({ name: `${command!.trim()} wall − node ms`, value: Number(wallLessNode), better: 'lower' });
    if (cpuLessNode !== undefined)
      metrics.push({ name: `${command!.trim()} CPU − node ms`, value: Number(cpuLessNode), better: 'lower' });
  }
  if (metrics.length === 0)
    throw new Error('output has no "this  windhover …" lines: has the print format changed?');
  return metrics;
}
