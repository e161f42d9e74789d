/**
 * Prometheus' text exposition format (version 0.0.4), written out by hand: counters and
 * histograms kept in memory per label set, gauges read at scrape time. Small enough not to need
 * prom-client, and each app gets its own registry (tests build many apps in one process).
 */

export type Labels = Readonly<Record<string, string>>;

/** The content type Prometheus expects. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `{a="x",b="y"}`, or '' without labels. */
export function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(',')}}`;
}

function formatNumber(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

function header(name: string, help: string, type: string): string {
  return `# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${name} ${type}\n`;
}

/** A sample of a gauge read at scrape time. */
export interface Sample {
  labels: Labels;
  value: number;
}

/** A gauge family written from samples. */
export function gaugeText(name: string, help: string, samples: readonly Sample[]): string {
  let out = header(name, help, 'gauge');
  for (const sample of samples)
    out += `${name}${formatLabels(sample.labels)} ${formatNumber(sample.value)}\n`;
  return out;
}

/** A monotonic counter per label set. */
export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = formatLabels(labels);
    const current = this.values.get(key);
    if (current) current.value += by;
    else this.values.set(key, { labels, value: by });
  }

  /** The value of one label set (0 when never incremented). */
  get(labels: Labels = {}): number {
    return this.values.get(formatLabels(labels))?.value ?? 0;
  }

  text(): string {
    let out = header(this.name, this.help, 'counter');
    for (const { labels, value } of this.values.values())
      out += `${this.name}${formatLabels(labels)} ${formatNumber(value)}\n`;
    return out;
  }
}

interface HistogramSeries {
  labels: Labels;
  /** Observations per bucket (not cumulative; summed when written). */
  buckets: number[];
  sum: number;
  count: number;
}

/** A histogram with fixed upper bounds, per label set. */
export class Histogram {
  private readonly series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = formatLabels(labels);
    let series = this.series.get(key);
    if (!series) {
      series = { labels, buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    const index = this.bounds.findIndex((bound) => value <= bound);
    if (index >= 0) series.buckets[index]! += 1;
    series.sum += value;
    series.count += 1;
  }

  /** Observations of one label set. */
  count(labels: Labels = {}): number {
    return this.series.get(formatLabels(labels))?.count ?? 0;
  }

  text(): string {
    let out = header(this.name, this.help, 'histogram');
    for (const series of this.series.values()) {
      let cumulative = 0;
      for (const [i, bound] of this.bounds.entries()) {
        cumulative += series.buckets[i]!;
        out += `${this.name}_bucket${formatLabels({ ...series.labels, le: formatNumber(bound) })} ${cumulative}\n`;
      }
      out += `${this.name}_bucket${formatLabels({ ...series.labels, le: '+Inf' })} ${series.count}\n`;
      out += `${this.name}_sum${formatLabels(series.labels)} ${formatNumber(series.sum)}\n`;
      out += `${this.name}_count${formatLabels(series.labels)} ${series.count}\n`;
    }
    return out;
  }
}
