/**
 * Windhover's per-task overhead on the embedded store, the measure of issue 22 item 2, without
 * n8n: `server local` of each given checkout (built dist), sequential `wait: true`
 * webhook requests of a 1-task and a 41-task chain of `Return` tasks, interleaved; per-task =
 * (median chain-41 − median chain-1) / 40, wall and the server's CPU (from /proc) alike.
 * The servers of all checkouts run at once and take turns by blocks of 20 requests, the order
 * alternating, so that a before and an after share the machine's moments; each run starts
 * fresh servers (the order of start alternating too).
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

/** A started server of one checkout and its data folder. */
interface Started {
  tree: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

async function start(tree: string, label: string): Promise<Started> {
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
  return {
    tree,
    port,
    pid: server.child.pid!,
    stop: async () => {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** What one server's measured requests took, gathered block by block. */
interface Samples {
  chain1: number[];
  chain41: number[];
  cpu1: number;
  cpu41: number;
}

/** 10 chain-1 then 10 chain-41 requests, with the server's CPU over each ten (/proc counts 10 ms ticks). */
async function block(server: Started, into: Samples): Promise<void> {
  let before = cpuMsOf(server.pid)!;
  for (let i = 0; i < 10; i++) into.chain1.push(await post(server.port, 'chain-1'));
  let after = cpuMsOf(server.pid)!;
  into.cpu1 += after - before;
  before = after;
  for (let i = 0; i < 10; i++) into.chain41.push(await post(server.port, 'chain-41'));
  after = cpuMsOf(server.pid)!;
  into.cpu41 += after - before;
}

/**
 * One run: a server of every checkout at once, warmed up, then blocks of requests sent to each
 * in turn (the order alternating), so that every checkout gets the same moments of the machine.
 */
async function runAll(alt: number): Promise<Map<string, RunResult>> {
  const servers: Started[] = [];
  try {
    for (const tree of alt % 2 ? [...trees].reverse() : trees)
      servers.push(await start(tree, `${tree.split('/').pop()}-${alt}`));
    for (let i = 0; i < warmup; i++)
      for (const server of servers) {
        await post(server.port, 'chain-1');
        await post(server.port, 'chain-41');
      }
    const samples = new Map<Started, Samples>(
      servers.map((server) => [server, { chain1: [], chain41: [], cpu1: 0, cpu41: 0 }]),
    );
    for (let b = 0; b < rounds / 10; b++)
      for (const server of b % 2 ? [...servers].reverse() : servers)
        await block(server, samples.get(server)!);
    const results = new Map<string, RunResult>();
    for (const [server, s] of samples) {
      const chain1Ms = median(s.chain1);
      const chain41Ms = median(s.chain41);
      results.set(server.tree, {
        chain1Ms,
        chain41Ms,
        perTaskMs: (chain41Ms - chain1Ms) / 40,
        cpuPerTaskMs: (s.cpu41 - s.cpu1) / 40 / s.chain41.length,
      });
    }
    return results;
  } finally {
    for (const server of servers) await server.stop();
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
  for (const [tree, r] of await runAll(alt)) {
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
