/**
 * How long `windhover server local` takes to be ready: the time from spawning the process to the
 * first `GET /health` that answers 200, median of 5 runs, each on a fresh data folder; with no
 * flows, and with `-f examples/flows` (14 flows validated and deployed before listening).
 * Baselines from the same run: a bare `node` process, and `windhover --version` (loading the CLI).
 *
 * Wall time depends on what else the machine runs, so each run also reports the CPU time the
 * server process had used when /health first answered (user + system, from /proc on Linux): on an
 * idle machine start-up is mostly one thread, and wall time comes close to it.
 *
 * Run with `npm run bench:start` (builds dist/ first). Goal: ready in under 1 s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { cpuMsOf } from './process-cpu.js';
import { median } from './stats.js';

const RUNS = 5;

/** Milliseconds from spawn to exit of a short command. */
function timeToExit(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${args.join(' ')} exited ${code}`)),
    );
  });
}

interface StartTiming {
  wallMs: number;
  cpuMs?: number;
}

/** From spawn to the first 200 of /health; the server is then stopped with SIGTERM. */
async function timeToHealthy(extraArgs: string[]): Promise<StartTiming> {
  const data = mkdtempSync(join(tmpdir(), 'wh-bench-start-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['bin/windhover.js', 'server', 'local', '--data', data, '--port', String(port), ...extraArgs],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
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
        return { wallMs, ...(cpuMs !== undefined ? { cpuMs } : {}) };
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(data, { recursive: true, force: true });
  }
}

async function measure(label: string, run: () => Promise<number | StartTiming>): Promise<void> {
  const timings: StartTiming[] = [];
  for (let i = 0; i < RUNS; i++) {
    const timing = await run();
    timings.push(typeof timing === 'number' ? { wallMs: timing } : timing);
  }
  const wall = timings.map((t) => t.wallMs);
  const cpu = timings.flatMap((t) => (t.cpuMs !== undefined ? [t.cpuMs] : []));
  const shown = wall.map((t) => t.toFixed(0)).join(', ');
  const cpuText = cpu.length ? `  cpu median ${median(cpu).toFixed(0).padStart(5)} ms` : '';
  console.log(
    `${label.padEnd(44)} wall median ${median(wall).toFixed(0).padStart(5)} ms${cpuText}   (wall runs: ${shown})`,
  );
}

console.log(
  `server start, ${RUNS} runs each, spawn → first 200 from /health; load average ${loadavg()[0]!.toFixed(2)}`,
);
await measure('baseline: node -e ""', () => timeToExit(['-e', '']));
await measure('baseline: windhover --version (CLI load)', () =>
  timeToExit(['bin/windhover.js', '--version']),
);
await measure('server local (empty data folder)', () => timeToHealthy([]));
await measure('server local -f examples/flows (14 flows)', () => timeToHealthy(['-f', 'examples/flows']));
