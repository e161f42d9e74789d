/**
 * "Nothing else slower" (issue 22): every benchmark that existed before a base commit, run on the
 * base and on HEAD in one session, alternately (base, head, head, base, … so a drift in the
 * machine's load falls on both alike), each run's output kept, its headline numbers extracted and
 * compared in one Markdown table.
 *
 *   npm run bench:before-after -- --base <commit> [--runs N] [--only engine,store,…]
 *     [--base-dir DIR] [--head-dir DIR] [--out DIR] [--timeout-minutes M]
 *
 * The checkouts are clones of this repository in the temporary folder (one per commit, reused by
 * a later run), `npm ci` and built once; HEAD is the committed HEAD of the repository this runs in.
 * --only also takes the benchmarks outside the default selection (ui-home, ui-logs,
 * ui-big-execution). Outputs go to --out (default bench/out/before-after/<time>/), one file a run,
 * with summary.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../free-port.js';
import { BENCHMARKS } from './benchmarks.js';
import type { Benchmark } from './benchmarks.js';
import { defaultCheckoutDir, prepareCheckout, resolveCommit } from './checkouts.js';
import { comparisonTable } from './compare.js';
import type { Samples } from './compare.js';
import { runCaptured } from './run.js';

const { values: options } = parseArgs({
  options: {
    base: { type: 'string' },
    runs: { type: 'string', default: '2' },
    only: { type: 'string' },
    'base-dir': { type: 'string' },
    'head-dir': { type: 'string' },
    out: { type: 'string' },
    'timeout-minutes': { type: 'string', default: '10' },
  },
});
if (!options.base) throw new Error('--base <commit> is required (the commit before the change)');
const runs = Number(options.runs);
const timeoutMs = Number(options['timeout-minutes']) * 60_000;
const repo = resolve('.');

function selected(): Benchmark[] {
  if (!options.only) return BENCHMARKS.filter((b) => b.byDefault);
  const names = options.only.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length)
    throw new Error(
      `unknown benchmark(s) ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
    );
  return BENCHMARKS.filter((b) => names.includes(b.name));
}

const log = (line: string) => console.log(line);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const sides = {
  base: { commit: resolveCommit(repo, options.base), dir: '' },
  head: { commit: resolveCommit(repo, 'HEAD'), dir: '' },
};
sides.base.dir = resolve(options['base-dir'] ?? defaultCheckoutDir(sides.base.commit));
sides.head.dir = resolve(options['head-dir'] ?? defaultCheckoutDir(sides.head.commit));
const out = resolve(
  options.out ?? join('bench/out/before-after', new Date().toISOString().replace(/[:.]/g, '-')),
);
mkdirSync(out, { recursive: true });

log(
  `base ${sides.base.commit.slice(0, 12)} in ${sides.base.dir}; head ${sides.head.commit.slice(0, 12)} in ${sides.head.dir}`,
);
for (const side of Object.values(sides)) prepareCheckout(repo, side.commit, side.dir, log);

const benchmarks = selected();
const loadAtStart = load();
log(
  `running ${benchmarks.map((b) => b.name).join(', ')}, ${runs} run(s) a side; load average ${loadAtStart}; outputs in ${out}`,
);
const samples: Samples[] = [];
const durations: string[] = [];
const failures: string[] = [];
for (const benchmark of benchmarks) {
  const byMetric = new Map<string, Samples>();
  for (let i = 0; i < runs; i++) {
    // base, head, head, base, …: each side goes first every other round.
    const order = i % 2 === 0 ? (['base', 'head'] as const) : (['head', 'base'] as const);
    for (const side of order) {
      const file = join(out, `${benchmark.name}-${side}-${i + 1}.txt`);
      const args = benchmark.args({ headDir: sides.head.dir, port: await freePort() });
      const run = await runCaptured(args, sides[side].dir, file, timeoutMs);
      const took = `${benchmark.name} ${side} run ${i + 1}: ${run.seconds.toFixed(0)} s, load ${load()}`;
      durations.push(took);
      if (run.exitCode !== 0) {
        failures.push(`${benchmark.name} ${side} run ${i + 1} exited ${run.exitCode}: see ${file}`);
        log(`${took}: FAILED (exit ${run.exitCode}), output in ${file}`);
        continue;
      }
      try {
        for (const metric of benchmark.extract(run.output)) {
          const entry = byMetric.get(metric.name) ?? {
            benchmark: benchmark.name,
            metric: metric.name,
            better: metric.better,
            base: [],
            head: [],
          };
          entry[side].push(metric.value);
          byMetric.set(metric.name, entry);
        }
        log(took);
      } catch (error) {
        failures.push(`${benchmark.name} ${side} run ${i + 1}: ${(error as Error).message} (${file})`);
        log(`${took}: output not understood, ${(error as Error).message}`);
      }
    }
  }
  samples.push(...byMetric.values());
}

const summary = [
  `## Before/after: base ${sides.base.commit.slice(0, 12)}, head ${sides.head.commit.slice(0, 12)}`,
  '',
  `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ${runs} run(s) a side, alternating; load average ${loadAtStart} at the start, ${load()} at the end.`,
  '',
  comparisonTable(samples),
  '',
  '"head slower beyond spread": every head run worse than every base run.',
  ...benchmarks.flatMap((b) => (b.note ? [`${b.name}: ${b.note}.`] : [])),
  ...(failures.length ? ['', 'Failures:', ...failures.map((f) => `- ${f}`)] : []),
  '',
  'Durations:',
  ...durations.map((d) => `- ${d}`),
].join('\n');
writeFileSync(join(out, 'summary.md'), `${summary}\n`);
log(`\n${summary}`);
if (failures.length) process.exitCode = 1;
