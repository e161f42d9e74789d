/** Base against head: medians, change and whether head is slower beyond the runs' own spread. */
import { median } from '../stats.js';
import type { Metric } from './metric.js';

/** Every value one metric of one benchmark took, per side. */
export interface Samples {
  benchmark: string;
  metric: string;
  better: Metric['better'];
  base: number[];
  head: number[];
}

/**
 * "slower" when every head run is worse than every base run (the ranges do not overlap, head on
 * the worse side), "better" the other way round (faster, or less memory), "no" when the ranges
 * overlap; with one run a side there is no spread to judge by.
 */
export function verdict(samples: Samples): 'slower' | 'better' | 'no' | 'n/a' {
  const { base, head, better } = samples;
  if (base.length < 2 || head.length < 2) return 'n/a';
  const worse = (a: number, b: number) => (better === 'lower' ? a > b : a < b);
  const baseWorst = better === 'lower' ? Math.max(...base) : Math.min(...base);
  const baseBest = better === 'lower' ? Math.min(...base) : Math.max(...base);
  if (head.every((h) => worse(h, baseWorst))) return 'slower';
  if (head.every((h) => worse(baseBest, h))) return 'better';
  return 'no';
}

const shown = (values: number[]): string => {
  if (values.length === 0) return '—';
  const m = median(values);
  if (Number.isInteger(m)) return String(m);
  return Math.abs(m) >= 100 ? m.toFixed(0) : Math.abs(m) >= 10 ? m.toFixed(1) : m.toFixed(3);
};

/** Change of the head median from the base median, in % (sign as measured; "better" says which way is good). */
function change(samples: Samples): string {
  if (samples.base.length === 0 || samples.head.length === 0) return '—';
  const base = median(samples.base);
  const head = median(samples.head);
  if (base === 0) return '—';
  const percent = ((head - base) / Math.abs(base)) * 100;
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(1)} %`;
}

/** The Markdown table of every metric: base median, head median, change, verdict. */
export function comparisonTable(all: Samples[]): string {
  const lines = [
    '| benchmark | metric | better | base median | head median | change | head slower beyond spread |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of all) {
    const judged = s.base.length && s.head.length ? verdict(s) : 'n/a';
    const cell = judged === 'slower' ? '**SLOWER**' : judged === 'n/a' ? 'n/a (under 2 runs a side)' : judged;
    lines.push(
      `| ${s.benchmark} | ${s.metric.replace(/\|/g, '\\|')} | ${s.better} | ${shown(s.base)} | ${shown(s.head)} | ${change(s)} | ${cell} |`,
    );
  }
  return lines.join('\n');
}
