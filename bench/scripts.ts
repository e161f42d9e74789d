/**
 * Script task overhead: a flow of 40 sequential `python.Commands` tasks running
 * `python3 -c pass` (Process runner) through the real runtime on the embedded store, versus
 * spawning `python3 -c pass` 40 times in a row from Node, measured in the same run.
 * Overhead per task = (flow time − direct time) / 40, median over the runs; measured twice:
 * with `python3` as found on PATH, and with the interpreter's real binary (no launcher such as
 * a pyenv shim in between, so less noise). As root, Windhover runs scripts as a user of their
 * own (src/plugins/scripts/run/identity.ts): the direct spawns then run as such a user too, with
 * the `python3` that user finds on PATH, so that both sides run the same program.
 * Run: npm run bench:scripts [-- --runs N] — compiled first (tsconfig.bench.json).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { deployFlow, openLocal } from '../src/engine/runtime/index.js';
import type { LocalSetup } from '../src/engine/runtime/index.js';
import type { Flow } from '../src/flow/model.js';
import { findOnPath } from '../src/plugins/scripts/run/environment.js';
import { reachablePath, SCRIPT_UIDS } from '../src/plugins/scripts/run/identity.js';

const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 7;
const TASKS = 40;
const scriptUser = process.getuid?.() === 0 ? { uid: SCRIPT_UIDS.first, gid: SCRIPT_UIDS.first } : undefined;
const PATH = scriptUser ? await reachablePath(process.env.PATH, scriptUser) : process.env.PATH;
const spawnAs = { env: { ...process.env, PATH }, ...(scriptUser ?? {}) };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function flowSource(python: string): string {
  const tasks = Array.from(
    { length: TASKS },
    (_, i) =>
      `  - id: t${i}\n    type: io.kestra.plugin.scripts.python.Commands\n    taskRunner:\n      type: io.kestra.plugin.core.runner.Process\n    commands:\n      - ${python} -c pass`,
  );
  return `id: python_chain\nnamespace: bench\ntasks:\n${tasks.join('\n')}\n`;
}

/** Spawns `python -c pass` 40 times, one after the other; total ms. */
async function direct(python: string): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < TASKS; i++) {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(python, ['-c', 'pass'], { stdio: ['ignore', 'pipe', 'pipe'], ...spawnAs });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
    });
  }
  return performance.now() - start;
}

/** One execution of the 40-task flow, submit to end; total ms. */
async function viaWindhover(setup: LocalSetup, flow: Flow): Promise<number> {
  const start = performance.now();
  const execution = await setup.runtime.submit(flow);
  const ended = await setup.runtime.waitForEnd(execution.id);
  const ms = performance.now() - start;
  if (ended.state.current !== 'SUCCESS') throw new Error(`execution ended ${ended.state.current}`);
  return ms;
}

interface Measure {
  python: string;
  direct: number[];
  windhover: number[];
  overheadPerTask: number[];
}

async function measure(setup: LocalSetup, python: string): Promise<Measure> {
  const flow = await deployFlow(setup.store, flowSource(python));
  // Warm-up: the JIT, the store, the page cache of the interpreter.
  await direct(python);
  await viaWindhover(setup, flow);
  const out: Measure = { python, direct: [], windhover: [], overheadPerTask: [] };
  for (let i = 0; i < runs; i++) {
    // Interleaved, so that a slow phase of the machine hits both.
    const d = await direct(python);
    const w = await viaWindhover(setup, flow);
    out.direct.push(d);
    out.windhover.push(w);
    out.overheadPerTask.push((w - d) / TASKS);
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'wh-bench-scripts-'));
const setup = await openLocal(dir);
await setup.runtime.start();
const results: Measure[] = [];
try {
  const onPath = findOnPath('python3', PATH);
  if (!onPath) throw new Error('python3 is not on PATH');
  const real = execFileSync('python3', ['-c', 'import os, sys; print(os.path.realpath(sys.executable))'], {
    encoding: 'utf8',
    ...spawnAs,
  }).trim();
  results.push(await measure(setup, 'python3'));
  if (real !== onPath) results.push(await measure(setup, real));
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}; python3 on PATH: ${onPath}`,
  );
  for (const r of results) {
    const f = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
    console.log(
      `\`${r.python} -c pass\` × ${TASKS}: overhead per task median ${median(r.overheadPerTask).toFixed(2)} ms ` +
        `(runs: ${r.overheadPerTask.map((v) => v.toFixed(2)).join(', ')}); ` +
        `windhover median ${median(r.windhover).toFixed(0)} ms (${f(r.windhover)}); ` +
        `direct spawn median ${median(r.direct).toFixed(0)} ms (${f(r.direct)})`,
    );
  }
} finally {
  await setup.close(1000);
  rmSync(dir, { recursive: true, force: true });
}
