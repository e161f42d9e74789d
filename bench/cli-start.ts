/**
 * How fast the `windhover` command answers: whole-process wall time (spawn → exit) of
 * `windhover --version`, `windhover flow validate` of the hello-world flow and `windhover run` of
 * it on a fresh data folder, with `node -e ""` as the baseline, interleaved (one of each per
 * round) so a busy machine slows all of them alike. Median of RUNS rounds.
 *
 * `--compare DIR` also times another checkout's build (its `bin/windhover.js` and `dist/`) in the
 * same rounds, e.g. a worktree of main before a change, so before/after share one machine state.
 *
 * Run with `npm run bench:cli` (builds dist/ first); `-- --runs 20 --compare ../wt-base` to vary.
 * Goals (issue 22): --version ≤ 150 ms, flow validate ≤ 300 ms, run of hello world ≤ 300 ms.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './stats.js';

const { values: options } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, compare: { type: 'string' } },
});
const RUNS = Number(options.runs);
const HELLO = 'examples/flows/01_hello_world.yaml';

/** One timed command: a label and the node arguments; `data` gets a fresh data folder per run. */
interface Case {
  label: string;
  args: (checkout: string, data: string) => string[];
  data?: boolean;
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
    data: true,
  },
];

/** Milliseconds from spawn to exit; rejects on a non-zero exit code. */
function timeToExit(args: string[]): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolvePromise(performance.now() - started)
        : reject(new Error(`${args.join(' ')} exited ${code}\n${stderr}`)),
    );
  });
}

const checkouts: { name: string; root: string }[] = [{ name: 'this', root: resolve('.') }];
if (options.compare) checkouts.push({ name: 'compare', root: resolve(options.compare) });

const timings = new Map<string, number[]>();
const keyOf = (checkout: string, label: string) => `${checkout}\t${label}`;
const loadBefore = loadavg()[0]!;
for (let round = 0; round < RUNS; round++) {
  for (const c of CASES) {
    // The baseline does not depend on the checkout: timed once per round.
    for (const checkout of c.label.startsWith('node') ? checkouts.slice(0, 1) : checkouts) {
      const data = mkdtempSync(join(tmpdir(), 'wh-bench-cli-'));
      try {
        const ms = await timeToExit(c.args(checkout.root, data));
        const key = keyOf(checkout.name, c.label);
        timings.set(key, [...(timings.get(key) ?? []), ms]);
      } finally {
        rmSync(data, { recursive: true, force: true });
      }
    }
  }
}

console.log(
  `CLI start, ${RUNS} interleaved rounds, spawn → exit; ${cpus().length} cores; load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after; node ${process.version}`,
);
if (options.compare) console.log(`this = ${checkouts[0]!.root}, compare = ${checkouts[1]!.root}`);
const baseline = median(timings.get(keyOf('this', CASES[0]!.label))!);
console.log(
  `${'checkout'.padEnd(8)} ${'command'.padEnd(36)} ${'median'.padStart(7)} ${'− node'.padStart(7)} ${'min'.padStart(6)} ${'max'.padStart(6)}`,
);
for (const c of CASES) {
  for (const checkout of checkouts) {
    const runs = timings.get(keyOf(checkout.name, c.label));
    if (!runs) continue;
    const m = median(runs);
    const overBaseline = c === CASES[0] ? '' : (m - baseline).toFixed(0);
    console.log(
      `${checkout.name.padEnd(8)} ${c.label.padEnd(36)} ${m.toFixed(0).padStart(7)} ${overBaseline.padStart(7)} ${Math.min(
        ...runs,
      )
        .toFixed(0)
        .padStart(6)} ${Math.max(...runs)
        .toFixed(0)
        .padStart(6)}`,
    );
  }
}
console.log('(milliseconds; "− node" is the median less the node -e "" median of the same run)');
