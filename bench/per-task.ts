/**
 * Windhover's per-task overhead on the embedded store, the measure of issue 22 item 2, without
 * n8n: `server local` of each given checkout (built dist) in turn, sequential `wait: true`
 * webhook requests of a 1-task and a 41-task chain of `Return` tasks, interleaved; per-task =
 * (median chain-41 − median chain-1) / 40, wall and the server's CPU (from /proc) alike.
 * Checkouts alternate run by run, so a before and an after share the machine's moments.
 *
 *   node bench/out/js/bench/per-task.js [--trees dirA,dirB] [--alternations 5] [--rounds 300]
 *     [--warmup 100] [--cpu-prof DIR]   (DIR: the server runs under node --cpu-prof, one profile a run)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from './free-port.js';
import { REQUEST_BODY, windhoverChain, windhoverWebhookPath } from './peers/flows.js';
import type { FlowName } from './peers/flows.js';
import { startServer } from './peers/server.js';
import { windhoverFailure } from './peers/windhover.js';
import { cpuMsOf } from './process-cpu.js';
import { median } from './stats.js';

const { values } = parseArgs({
  options: {
    trees: { type: 'string', default: '.' },
    alternations: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '100' },
    'cpu-prof': { type: 'string' },
  },
});
const trees = values.trees.split(',').map((tree) => resolve(tree));
const alternations = Number(values.alternations);
const rounds = Number(values.rounds);
const warmup = Number(values.warmup);
const cpuProfDir = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;

/** One measured run of one checkout. */
interface RunResult {
  chain1Ms: number;
  chain41Ms: number;
  perTaskMs: number;
  /** Server CPU per task: (CPU of the chain-41 requests − CPU of the chain-1 requests) / 40 / rounds. */
  cpuPerTaskMs: number;
}

async function post(port: number, name: FlowName): Promise<number> {
  const start = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}${windhoverWebhookPath(name)}`, {
    method: 'POST',
    body: REQUEST_BODY,
    headers: { 'content-type': 'application/json' },
  });
  const text = await res.text();
  const ms = performance.now() - start;
  const failure = res.ok ? windhoverFailure(text) : `HTTP ${res.status}`;
  if (failure) throw new Error(`${name}: ${failure}: ${text.slice(0, 300)}`);
  return ms;
}

async function runOnce(tree: string, label: string): Promise<RunResult> {
  const root = mkdtempSync(join(tmpdir(), 'wh-per-task-'));
  const flowDir = join(root, 'flows');
  mkdirSync(flowDir);
  writeFileSync(join(flowDir, 'chain_1.yaml'), windhoverChain('chain-1', 1));
  writeFileSync(join(flowDir, 'chain_41.yaml'), windhoverChain('chain-41', 41));
  const port = await freePort();
  const profArgs = cpuProfDir
    ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir, '--cpu-prof-name', `${label}.cpuprofile`]
    : [];
  const server = await startServer({
    name: label,
    port,
    cwd: tree,
    command: process.execPath,
    args: [
      ...profArgs,
      'bin/windhover.js',
      'server',
      'local',
      '--data',
      join(root, 'data'),
      '-f',
      flowDir,
      '--port',
      String(port),
    ],
    env: { ...process.env, WINDHOVER_USERNAME: '', WINDHOVER_PASSWORD: '' },
    logFile: join(root, 'windhover.log'),
    healthPath: '/health',
    readyPath: windhoverWebhookPath('chain-1'),
    readyBody: REQUEST_BODY,
    readyFailure: windhoverFailure,
    timeoutMs: 60_000,
  });
  try {
    const pid = server.child.pid!;
    for (let i = 0; i < warmup; i++) {
      await post(port, 'chain-1');
      await post(port, 'chain-41');
    }
    const chain1: number[] = [];
    const chain41: number[] = [];
    let cpu1 = 0;
    let cpu41 = 0;
    // CPU in blocks of 10 requests, /proc counts in 10 ms ticks.
    for (let block = 0; block < rounds / 10; block++) {
      let before = cpuMsOf(pid)!;
      for (let i = 0; i < 10; i++) chain1.push(await post(port, 'chain-1'));
      let after = cpuMsOf(pid)!;
      cpu1 += after - before;
      before = after;
      for (let i = 0; i < 10; i++) chain41.push(await post(port, 'chain-41'));
      after = cpuMsOf(pid)!;
      cpu41 += after - before;
    }
    const chain1Ms = median(chain1);
    const chain41Ms = median(chain41);
    return {
      chain1Ms,
      chain41Ms,
      perTaskMs: (chain41Ms - chain1Ms) / 40,
      cpuPerTaskMs: (cpu41 - cpu1) / 40 / chain41.length,
    };
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

const f = (n: number, digits = 3) => n.toFixed(digits);
const results = new Map<string, RunResult[]>(trees.map((tree) => [tree, []]));
console.log(
  `load average at start: ${loadavg()
    .map((l) => f(l, 2))
    .join(', ')}`,
);
for (let alt = 0; alt < alternations; alt++) {
  const order = alt % 2 ? [...trees].reverse() : trees;
  for (const tree of order) {
    const r = await runOnce(tree, `${tree.split('/').pop()}-${alt}`);
    results.get(tree)!.push(r);
    console.log(
      `${alt} ${tree}: chain-1 ${f(r.chain1Ms)} ms, chain-41 ${f(r.chain41Ms)} ms, per task ${f(r.perTaskMs)} ms wall, ${f(r.cpuPerTaskMs)} ms CPU; load ${f(loadavg()[0]!, 2)}`,
    );
  }
}
console.log(
  `load average at end: ${loadavg()
    .map((l) => f(l, 2))
    .join(', ')}`,
);
for (const [tree, runs] of results) {
  const list = (key: keyof RunResult) => runs.map((r) => f(r[key])).join(' / ');
  console.log(
    `${tree}: per task wall median ${f(median(runs.map((r) => r.perTaskMs)))} ms (${list('perTaskMs')}), ` +
      `CPU median ${f(median(runs.map((r) => r.cpuPerTaskMs)))} ms (${list('cpuPerTaskMs')}), ` +
      `chain-1 ${f(median(runs.map((r) => r.chain1Ms)))} ms, chain-41 ${f(median(runs.map((r) => r.chain41Ms)))} ms`,
  );
}
