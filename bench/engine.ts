/**
 * Engine benchmarks on the embedded store (SQLite, WAL, a temp folder), every state change
 * committed: (a) chain-40 overhead per task, (b) 1,000 executions of a 2-task flow submitted
 * at once, (c) ForEach over 1,000 values with concurrencyLimit 0, (d) peak RSS during (b).
 * (a) and (c) also give the CPU time they took, steadier than wall time on a shared machine.
 * Run: npm run bench:engine [-- --runs N] — compiled first (tsconfig.bench.json), so it measures
 * the JavaScript users run, without a TypeScript loader in the process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployFlow, openLocal } from '../src/engine/runtime/index.js';
import type { LocalSetup } from '../src/engine/runtime/index.js';
import type { Flow } from '../src/flow/model.js';
import { median } from './stats.js';

const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 7;

async function withSetup<T>(fn: (setup: LocalSetup) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'wh-bench-'));
  const setup = await openLocal(dir);
  await setup.runtime.start();
  try {
    return await fn(setup);
  } finally {
    await setup.runtime.stop(1000);
    await setup.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function chainFlow(n: number): string {
  const tasks = Array.from(
    { length: n },
    (_, i) => `  - id: t${i}\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ taskrun.id }}"`,
  );
  return `id: chain\nnamespace: bench\ntasks:\n${tasks.join('\n')}\n`;
}

/** CPU time of this process (all threads), in ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Wall time of one execution, submit to end. */
async function timeOne(setup: LocalSetup, flow: Flow): Promise<number> {
  const start = performance.now();
  const execution = await setup.runtime.submit(flow);
  const ended = await setup.runtime.waitForEnd(execution.id);
  const ms = performance.now() - start;
  if (ended.state.current !== 'SUCCESS') throw new Error(`execution ended ${ended.state.current}`);
  return ms;
}

async function chain(): Promise<{
  perTaskMs: number;
  samples: number[];
  baselinePerTaskMs: number;
  coldPerTaskMs: number;
  cpuPerTaskMs: number;
}> {
  return withSetup(async (setup) => {
    // Baseline in the same run: a 1-task flow's fixed cost (create, start, end), subtracted.
    const one = await deployFlow(setup.store, chainFlow(1));
    const forty = await deployFlow(setup.store, chainFlow(40));
    // Warm-up: the JIT, and the database file and WAL growing to their working size. The
    // first executions are kept apart, to show the cold cost too.
    const cold: number[] = [];
    for (let i = 0; i < 60; i++) {
      await timeOne(setup, one);
      const ms = await timeOne(setup, forty);
      if (i < 20) cold.push(ms);
    }
    const base: number[] = [];
    const samples: number[] = [];
    // CPU time is summed apart: on a machine shared with other work it moves less than wall time.
    let cpuOne = 0;
    let cpuForty = 0;
    // One execution is ~10 ms: many samples make a stable median on a noisy machine.
    for (let i = 0; i < runs * 5; i++) {
      let c = cpuMs();
      base.push(await timeOne(setup, one));
      cpuOne += cpuMs() - c;
      c = cpuMs();
      samples.push(await timeOne(setup, forty));
      cpuForty += cpuMs() - c;
    }
    return {
      cpuPerTaskMs: (cpuForty - cpuOne) / samples.length / 39,
      perTaskMs: (median(samples) - median(base)) / 39,
      samples,
      baselinePerTaskMs: median(samples) / 40,
      coldPerTaskMs: median(cold) / 40,
    };
  });
}

async function throughput(): Promise<{ perSecond: number; peakRssMb: number; ms: number }> {
  return withSetup(async (setup) => {
    const flow = await deployFlow(
      setup.store,
      `id: two\nnamespace: bench\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.debug.Return\n    format: a\n  - id: b\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ outputs.a.value }}"\n`,
    );
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const start = performance.now();
    const ids = new Set<string>();
    let resolveAll!: () => void;
    const all = new Promise<void>((r) => (resolveAll = r));
    let ended = 0;
    setup.runtime.on('ended', (e) => {
      if (ids.has(e.id) && ++ended === 1000) resolveAll();
    });
    const submitted = await Promise.all(Array.from({ length: 1000 }, () => setup.runtime.submit(flow)));
    for (const e of submitted) ids.add(e.id);
    await all;
    const ms = performance.now() - start;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    return { perSecond: 1000 / (ms / 1000), peakRssMb: peak / 1024 / 1024, ms };
  });
}

async function forEach(): Promise<{ wall: number[]; cpu: number[] }> {
  return withSetup(async (setup) => {
    const source = `id: each\nnamespace: bench\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: "{{ range(1, 1000) }}"\n    concurrencyLimit: 0\n    tasks:\n      - id: r\n        type: io.kestra.plugin.core.debug.Return\n        format: "{{ taskrun.value }}"\n`;
    const wall: number[] = [];
    const cpu: number[] = [];
    const flow = await deployFlow(setup.store, source);
    for (let i = 0; i < Math.max(3, Math.ceil(runs / 2)); i++) {
      const c = cpuMs();
      wall.push(await timeOne(setup, flow));
      cpu.push(cpuMs() - c);
    }
    return { wall, cpu };
  });
}

const rssAtStart = process.memoryUsage().rss / 1024 / 1024;
const a = await chain();
const b: Array<Awaited<ReturnType<typeof throughput>>> = [];
for (let i = 0; i < 3; i++) b.push(await throughput());
const c = await forEach();
const fmt = (n: number) => n.toFixed(3);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}`);
console.log(
  `(a) chain-40: ${fmt(a.perTaskMs)} ms per task (median over ${a.samples.length} executions, fixed cost of a 1-task execution subtracted); ${fmt(a.baselinePerTaskMs)} ms per task without subtracting; executions took ${Math.min(...a.samples).toFixed(1)}–${Math.max(...a.samples).toFixed(1)} ms; cold (first 20 executions of a fresh store): ${fmt(a.coldPerTaskMs)} ms per task; CPU ${fmt(a.cpuPerTaskMs)} ms per task (all threads, 1-task execution subtracted)`,
);
console.log(
  `(b) 1,000 executions × 2 tasks: median ${median(b.map((r) => r.perSecond)).toFixed(0)} executions/s (runs: ${b.map((r) => r.perSecond.toFixed(0)).join(', ')})`,
);
console.log(
  `(c) ForEach 1,000 values, concurrencyLimit 0: median ${median(c.wall).toFixed(0)} ms (runs: ${c.wall.map((x) => x.toFixed(0)).join(', ')}); CPU median ${median(c.cpu).toFixed(0)} ms`,
);
console.log(
  `(d) peak RSS during (b): ${Math.max(...b.map((r) => r.peakRssMb)).toFixed(0)} MB (process at start, modules loaded: ${rssAtStart.toFixed(0)} MB)`,
);
