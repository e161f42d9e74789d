/**
 * Issue 17's course pipeline benchmark, two parts.
 *
 * 1. The course's GCP taxi flow (examples/gcp/06_gcp_taxi.yaml, unchanged) for a 1,000,000-row
 *    yellow month against the GCP emulator: `windhover run` as a learner runs it (a process of
 *    its own, from spawn to exit), median of 3 runs, each on a fresh emulator and data folder
 *    (04_gcp_kv and 05_gcp_setup run first, untimed), so that every run loads the month into
 *    an empty table. The month is served by the test `wget` stand-in (no network). Each run's
 *    final table is counted with the official BigQuery client. Goal: under 30 s.
 * 2. `server local` start time (spawn → first 200 from /health, median of 5) with the GCP code
 *    against a baseline built in the same run from the commit before issue 17 (`BASE_COMMIT`,
 *    exported with `git archive` into a temporary folder and compiled once, cached). The GCP
 *    clients must load lazily: a module-load hook in the measured server records any
 *    `@google-cloud/*` module loaded, which must be none once /health answers (the hook is first
 *    shown to see an `import('@google-cloud/storage')`).
 *
 * Run with `npm run bench:gcp-course` (builds dist/ first). `--rows N`, `--runs N` and
 * `--start-runs N` change the month's size and the numbers of runs; `--skip-pipeline` and `--skip-start` leave
 * out part 1 or 2.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startGcpEmulator } from '../src/emulators/gcp/server.js';
import { serviceAccountKey } from '../test/emulators/gcp/support.js';
import { queryRows } from '../test/e2e/support/official-clients.js';
import { startTaxiFiles } from '../test/e2e/support/taxi-files.js';
import { cpuMsOf } from './process-cpu.js';

/** The last commit before issue 17's work: no GCP client, GCP tasks that only validate. */
const BASE_COMMIT = '1489a54';
const PROJECT = 'kestra-sandbox'; // what examples/gcp/04_gcp_kv.yaml sets
const DATASET = 'zoomcamp';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const ROWS = option('--rows', 1_000_000);
const RUNS = option('--runs', 3);
const START_RUNS = option('--start-runs', 5);
const ROOT = resolve('.');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => done(port));
    });
  });
}

/** Runs `node <args>` to its end; rejects with its output when it fails. */
function node(
  argv: string[],
  env: Record<string, string> = {},
  cwd = ROOT,
): Promise<{ stdout: string; stderr: string; ms: number }> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, argv, { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) done({ stdout, stderr, ms });
      else fail(new Error(`node ${argv.join(' ')} exited ${code}\n${stderr.slice(-4000)}`));
    });
  });
}

interface TaskRunJson {
  taskId: string;
  state: { current: string; startDate: string; endDate?: string };
}

// ---------------------------------------------------------------------------------------------
// Part 1: the taxi pipeline on the emulator

interface PipelineRun {
  wallMs: number;
  tasks: Map<string, number>;
  rows: number;
}

async function pipelineRun(path: string): Promise<PipelineRun> {
  const work = mkdtempSync(join(tmpdir(), 'wh-bench-gcp-'));
  const emulator = await startGcpEmulator({ port: 0, dataDir: join(work, 'emulator'), quiet: true });
  try {
    const env = {
      PATH: path,
      STORAGE_EMULATOR_HOST: emulator.url,
      BIGQUERY_EMULATOR_HOST: emulator.url,
      SECRET_GCP_CREDS: Buffer.from(serviceAccountKey(emulator.url)).toString('base64'),
    };
    const data = join(work, 'data');
    const run = (flow: string, ...inputs: string[]) =>
      node(
        ['bin/windhover.js', 'run', `examples/gcp/${flow}.yaml`, '--data', data, '--json', ...inputs],
        env,
      );
    await run('04_gcp_kv');
    await run('05_gcp_setup');
    const taxi = await run('06_gcp_taxi', '-i', 'taxi=yellow', '-i', 'year=2019', '-i', 'month=01');
    const execution = JSON.parse(taxi.stdout) as { taskRunList: TaskRunJson[] };
    const tasks = new Map<string, number>();
    for (const taskRun of execution.taskRunList)
      if (taskRun.state.endDate)
        tasks.set(taskRun.taskId, Date.parse(taskRun.state.endDate) - Date.parse(taskRun.state.startDate));
    const [counted] = await queryRows<{ n: number }>(
      emulator.url,
      PROJECT,
      `SELECT COUNT(DISTINCT unique_row_id) AS n FROM \`${PROJECT}.${DATASET}.yellow_tripdata\``,
    );
    return { wallMs: taxi.ms, tasks, rows: Number(counted!.n) };
  } finally {
    await emulator.close();
    rmSync(work, { recursive: true, force: true });
  }
}

async function benchPipeline(): Promise<void> {
  const madeAt = performance.now();
  const files = await startTaxiFiles([{ taxi: 'yellow', month: '2019-01', rows: ROWS }]);
  console.log(
    `made a ${ROWS.toLocaleString('en')}-row yellow month in ${seconds(performance.now() - madeAt)}`,
  );
  try {
    const runs: PipelineRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await pipelineRun(files.path);
      if (run.rows !== ROWS)
        throw new Error(`run ${i + 1}: the final table holds ${run.rows} ids, not ${ROWS}`);
      runs.push(run);
      console.log(
        `  run ${i + 1}: ${seconds(run.wallMs)} (final table: ${run.rows.toLocaleString('en')} distinct ids)`,
      );
    }
    const wall = median(runs.map((r) => r.wallMs));
    console.log(
      `06_gcp_taxi, ${ROWS.toLocaleString('en')} rows, windhover run spawn → exit: median ${seconds(wall)} ` +
        `(runs: ${runs.map((r) => seconds(r.wallMs)).join(', ')}; goal < 30 s: ${wall < 30_000 ? 'met' : 'NOT met'})`,
    );
    console.log('  task medians:');
    for (const taskId of runs[0]!.tasks.keys()) {
      const times = runs.flatMap((r) => (r.tasks.has(taskId) ? [r.tasks.get(taskId)!] : []));
      console.log(`    ${taskId.padEnd(22)} ${seconds(median(times)).padStart(7)}`);
    }
  } finally {
    files.remove();
  }
}

// ---------------------------------------------------------------------------------------------
// Part 2: server start, with and without the GCP code, and what it loads

/**
 * A module-load hook recording the `@google-cloud/*` modules and the emulator's own (dist/emulators)
 * to the file `log`, preloaded with --import.
 */
function moduleWatch(dir: string): { preload: string; log: string; loaded(): string[] } {
  const log = join(dir, 'google-cloud-modules.log');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, next) {
  if (url.includes('/node_modules/@google-cloud/') || url.includes('/dist/emulators/')) appendFileSync(log, url + '\\n');
  return next(url, context);
}
`,
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';
register('./hooks.mjs', import.meta.url, { data: { log: ${JSON.stringify(log)} } });
`,
  );
  return {
    preload: pathToFileURL(join(dir, 'register.mjs')).href,
    log,
    loaded: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}

interface StartTiming {
  wallMs: number;
  /** CPU the server had used when it first answered: less sensitive than wall time to a busy machine. */
  cpuMs?: number;
}

/** Spawn → first 200 from /health of `server local` in `tree`; the server is then stopped. */
async function timeToHealthy(tree: string, nodeArgs: string[] = []): Promise<StartTiming> {
  const data = mkdtempSync(join(tmpdir(), 'wh-bench-gcp-start-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(tree, 'bin/windhover.js'), 'server', 'local', '--data', data, '--port', String(port)],
    { cwd: tree, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`the server exited with ${child.exitCode} before answering`);
      if (performance.now() - started > 15_000) throw new Error('no 200 from /health within 15 s');
      const status = await fetch(`http://127.0.0.1:${port}/health`).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) {
        const wallMs = performance.now() - started;
        const cpuMs = cpuMsOf(child.pid!);
        return cpuMs === undefined ? { wallMs } : { wallMs, cpuMs };
      }
      await new Promise((done) => setTimeout(done, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(data, { recursive: true, force: true });
  }
}

/** The baseline commit's tree, compiled once into a temporary folder (kept for later runs). */
function baselineTree(): string {
  const tree = join(tmpdir(), `windhover-bench-base-${BASE_COMMIT}`);
  if (existsSync(join(tree, 'dist', 'cli', 'main.js'))) return tree;
  console.log(`building the baseline ${BASE_COMMIT} in ${tree} (once)…`);
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  const archive = spawnSync('git', ['archive', '--format=tar', BASE_COMMIT], { maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new Error(`git archive ${BASE_COMMIT}: ${archive.stderr.toString()}`);
  const untar = spawnSync('tar', ['-x', '-C', tree], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`tar: ${untar.stderr.toString()}`);
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
  const tsc = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: tree,
      encoding: 'utf8',
    },
  );
  if (tsc.status !== 0) throw new Error(`tsc in ${tree}: ${tsc.stdout}${tsc.stderr}`);
  // The same built UI in both trees, so that both servers serve the same files.
  if (existsSync(join(ROOT, 'dist', 'ui')))
    cpSync(join(ROOT, 'dist', 'ui'), join(tree, 'dist', 'ui'), { recursive: true });
  return tree;
}

async function benchStart(): Promise<void> {
  const base = baselineTree();
  const watchDir = mkdtempSync(join(tmpdir(), 'wh-bench-gcp-watch-'));
  try {
    const watch = moduleWatch(watchDir);
    // The hook sees a GCP client when one is loaded…
    await node([
      '--import',
      watch.preload,
      '--input-type=module',
      '-e',
      "await import('@google-cloud/storage')",
    ]);
    const control = watch.loaded().length;
    if (control === 0) throw new Error('the module hook did not see @google-cloud/storage being loaded');
    rmSync(watch.log, { force: true });
    // …and none while the server starts.
    const loadedAtStart: string[] = [];
    const current: StartTiming[] = [];
    const baseline: StartTiming[] = [];
    const currentPlain: StartTiming[] = [];
    // Interleaved, so that a change in the machine's load touches all three alike.
    for (let i = 0; i < START_RUNS; i++) {
      baseline.push(await timeToHealthy(base));
      currentPlain.push(await timeToHealthy(ROOT));
      current.push(await timeToHealthy(ROOT, ['--import', watch.preload]));
      loadedAtStart.push(...watch.loaded());
    }
    const show = (label: string, timings: StartTiming[]) => {
      const wall = timings.map((t) => t.wallMs);
      const cpu = timings.flatMap((t) => (t.cpuMs === undefined ? [] : [t.cpuMs]));
      const cpuText = cpu.length > 0 ? `, cpu median ${median(cpu).toFixed(0).padStart(5)} ms` : '';
      console.log(
        `${label.padEnd(44)} wall median ${median(wall).toFixed(0).padStart(5)} ms${cpuText} ` +
          `(wall runs: ${wall.map((v) => v.toFixed(0)).join(', ')}; cpu runs: ${cpu.join(', ')})`,
      );
    };
    console.log(`server local start, spawn → first 200 from /health, ${START_RUNS} runs each:`);
    show(`baseline ${BASE_COMMIT} (before issue 17)`, baseline);
    show('current, with the GCP tasks and emulator', currentPlain);
    show('current, with the module-load hook', current);
    const clients = loadedAtStart.filter((url) => url.includes('/@google-cloud/'));
    console.log(
      `modules loaded by the server up to its first 200: @google-cloud ${clients.length}, ` +
        `emulator ${loadedAtStart.length - clients.length} ` +
        `(the hook saw ${control} for an import of @google-cloud/storage)`,
    );
    if (loadedAtStart.length > 0) {
      console.log(loadedAtStart.slice(0, 10).join('\n'));
      process.exitCode = 1;
    }
  } finally {
    rmSync(watchDir, { recursive: true, force: true });
  }
}

console.log(
  `issue 17 course pipeline bench — ${new Date().toISOString()}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(2)}`,
);
if (!args.includes('--skip-pipeline')) await benchPipeline();
if (!args.includes('--skip-start')) await benchStart();
