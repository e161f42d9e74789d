/** What an extractor reads out of one benchmark run's printed output. */

/** One headline number of a benchmark run, and which way is better. */
export interface Metric {
  /** Stable name within the benchmark, e.g. "chain-40 ms/task". */
  name: string;
  value: number;
  better: 'lower' | 'higher';
}

/** Reads a benchmark's printed output into its headline numbers; throws when a line it needs is missing. */
export type Extractor = (output: string) => Metric[];

/** A number as the benchmarks print it: `1,234`, `12.5`, `-3`. */
export function numberOf(text: string): number {
  return Number(text.replace(/,/g, ''));
}

/** The first match of the pattern, or an error naming what was looked for (a changed print format). */
export function mustMatch(output: string, pattern: RegExp, what: string): RegExpMatchArray {
  const match = output.match(pattern);
  if (!match) throw new Error(`output has no ${what} (${pattern.source}): has the print format changed?`);
  return match;
}

/** The cells of each Markdown table row of the output (header and separator rows included). */
export function markdownRows(output: string): string[][] {
  return output
    .split('\n')
    .filter((line) => /^\|.*\|\s*$/.test(line))
    .map((line) =>
      line
        .trim()
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

/** The last top-level JSON object the output prints (the UI benchmarks end with one). */
export function lastJsonObject(output: string): Record<string, unknown> {
  const start = output.lastIndexOf('\n{\n');
  const text = start >= 0 ? output.slice(start + 1) : output.startsWith('{') ? output : '';
  const end = text.lastIndexOf('\n}');
  if (end < 0) throw new Error('output has no JSON object: has the print format changed?');
  return JSON.parse(text.slice(0, end + 2)) as Record<string, unknown>;
}
