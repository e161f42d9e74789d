/**
 * How fast the `windhover` command answers: whole-process wall time (spawn → exit) of
 * `windhover --version`, `windhover flow validate` of the hello-world flow and `windhover run` of
 * it on a fresh data folder, with `node -e ""` as the baseline, interleaved (one of each per
 * round) so a busy machine slows all of them alike. Median of RUNS rounds.
 *
 * Each run also reports the CPU time (user + system) the process used, read through GNU time
 * (`/usr/bin/time`, when installed): on a busy shared machine, wall time stretches with the load
 * while CPU time moves much less, so it shows a change more reliably.
 *
 * `--compare DIR` also times another checkout's build (its `bin/windhover.js` and `dist/`) in the
 * same rounds, e.g. a worktree of main before a change, so before/after share one machine state.
 *
 * Run with `npm run bench:cli` (builds dist/ first); `-- --runs 20 --compare ../wt-base` to vary.
 * Goals (issue 22): --version ≤ 150 ms, flow validate ≤ 300 ms, run of hello world ≤ 300 ms.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './stats.js';

const { values: options } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, compare: { type: 'string' } },
});
const RUNS = Number(options.runs);
const HELLO = 'examples/flows/01_hello_world.yaml';

/** One timed command: a label and the node arguments (`data`: a data folder, fresh per run). */
interface Case {
  label: string;
  args: (checkout: string, data: string) => string[];
}

const CASES: Case[] = [
  { label: 'node -e ""', args: () => ['-e', ''] },
  { label: 'windhover --version', args: (root) => [join(root, 'bin/windhover.js'), '--version'] },
  {
    label: 'windhover flow validate <hello>',
    args: (root) => [join(root, 'bin/windhover.js'), 'flow', 'validate', HELLO],
  },
  {
    label: 'windhover run <hello> --data <tmp>',
    args: (root, data) => [join(root, 'bin/windhover.js'), 'run', HELLO, '--data', data],
  },
];

const GNU_TIME = '/usr/bin/time';
const withCpu = existsSync(GNU_TIME);

interface Timing {
  wallMs: number;
  cpuMs?: number;
}

/** Wall milliseconds from spawn to exit, and CPU milliseconds; rejects on a non-zero exit code. */
function timeToExit(args: string[], scratch: string): Promise<Timing> {
  const cpuFile = join(scratch, 'cpu.txt');
  const [command, commandArgs] = withCpu
    ? [GNU_TIME, ['-f', '%U %S', '-o', cpuFile, process.execPath, ...args]]
    : [process.execPath, args];
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}\n${stderr}`));
      if (!withCpu) return resolvePromise({ wallMs });
      const [user, system] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
      resolvePromise({ wallMs, cpuMs: (user! + system!) * 1000 });
    });
  });
}

const checkouts: { name: string; root: string }[] = [{ name: 'this', root: resolve('.') }];
if (options.compare) checkouts.push({ name: 'compare', root: resolve(options.compare) });

const timings = new Map<string, Timing[]>();
const keyOf = (checkout: string, label: string) => `${checkout}\t${label}`;
const loadBefore = loadavg()[0]!;
for (let round = 0; round < RUNS; round++) {
  for (const c of CASES) {
    // The baseline does not depend on the checkout: timed once per round.
    for (const checkout of c.label.startsWith('node') ? checkouts.slice(0, 1) : checkouts) {
      const scratch = mkdtempSync(join(tmpdir(), 'wh-bench-cli-'));
      try {
        const timing = await timeToExit(c.args(checkout.root, join(scratch, 'data')), scratch);
        const key = keyOf(checkout.name, c.label);
        timings.set(key, [...(timings.get(key) ?? []), timing]);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    }
  }
}

console.log(
  `CLI start, ${RUNS} interleaved rounds, spawn → exit; ${cpus().length} cores; load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after; node ${process.version}`,
);
if (options.compare) console.log(`this = ${checkouts[0]!.root}, compare = ${checkouts[1]!.root}`);
const column = (text: string | number, width: number) =>
  (typeof text === 'number' ? text.toFixed(0) : text).padStart(width);
const baselineRuns = timings.get(keyOf('this', CASES[0]!.label))!;
const baselineWall = median(baselineRuns.map((t) => t.wallMs));
const baselineCpu = withCpu ? median(baselineRuns.map((t) => t.cpuMs!)) : NaN;
console.log(
  `${'checkout'.padEnd(8)} ${'command'.padEnd(36)} ${column('wall', 6)} ${column('− node', 7)} ${column('min', 6)} ${column('max', 6)}${withCpu ? ` ${column('cpu', 6)} ${column('− node', 7)}` : ''}`,
);
for (const c of CASES) {
  for (const checkout of checkouts) {
    const runs = timings.get(keyOf(checkout.name, c.label));
    if (!runs) continue;
    const wall = runs.map((t) => t.wallMs);
    const wallMedian = median(wall);
    const isBaseline = c === CASES[0];
    let line = `${checkout.name.padEnd(8)} ${c.label.padEnd(36)} ${column(wallMedian, 6)} ${column(isBaseline ? '' : wallMedian - baselineWall, 7)} ${column(Math.min(...wall), 6)} ${column(Math.max(...wall), 6)}`;
    if (withCpu) {
      const cpuMedian = median(runs.map((t) => t.cpuMs!));
      line += ` ${column(cpuMedian, 6)} ${column(isBaseline ? '' : cpuMedian - baselineCpu, 7)}`;
    }
    console.log(line);
  }
}
console.log(
  '(milliseconds, medians; "− node" is the median less the node -e "" median of the same run; cpu is user + system)',
);
