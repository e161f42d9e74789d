/** The side-by-side comparison: both servers up at once, every measurement alternating between them. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../free-port.js';
import { median } from '../stats.js';
import {
  n8nChain,
  n8nMixed,
  n8nWebhookPath,
  REQUEST_BODY,
  windhoverChain,
  windhoverMixed,
  windhoverWebhookPath,
} from './flows.js';
import { sequentialLatencies, perTaskMs, throughput } from './measure.js';
import type { Target } from './measure.js';
import { ensureN8n, importWorkflows, n8nEnv, n8nFailure } from './n8n.js';
import { startServer } from './server.js';
import type { RunningServer } from './server.js';
import { executionCounts, startWindhover, windhoverFailure } from './windhover.js';

/** How much to measure. */
export interface CompareOptions {
  root: string;
  rounds: number;
  warmup: number;
  clients: number;
  seconds: number;
  throughputRounds: number;
  idleSeconds: number;
}

/** One row of the result table: lower or higher is better, and the advantage Windhover should have. */
export interface Row {
  label: string;
  windhover: number;
  n8n: number;
  unit: string;
  better: 'lower' | 'higher';
  goal?: number;
  note?: string;
}

/** Runs the comparison and returns its rows (both servers stopped and their folders left under root). */
export async function compare(
  options: CompareOptions,
): Promise<{ rows: Row[]; n8nVersion: string; notes: string[] }> {
  const { entry, version } = ensureN8n();
  const n8nFolder = join(options.root, 'n8n');
  mkdirSync(n8nFolder, { recursive: true });
  console.log(
    `n8n ${version}: importing and activating the workflows (runs its migrations on a new SQLite file)…`,
  );
  importWorkflows(entry, n8nFolder, [n8nChain('chain-1', 1), n8nChain('chain-41', 41), n8nMixed()]);

  const servers: RunningServer[] = [];
  try {
    // Started one after the other, so that neither start-up competes with the other for the cores.
    const windhover = await startWindhover(
      join(options.root, 'windhover'),
      await freePort(),
      {
        'chain-1': windhoverChain('chain-1', 1),
        'chain-41': windhoverChain('chain-41', 41),
        mixed: windhoverMixed(),
      },
      'chain-1',
    );
    servers.push(windhover);
    console.log(
      `Windhover ready in ${windhover.readyMs.toFixed(0)} ms (/health ${windhover.healthMs.toFixed(0)} ms)`,
    );
    const n8nPort = await freePort();
    const n8n = await startServer({
      name: 'n8n',
      port: n8nPort,
      command: process.execPath,
      args: [entry, 'start'],
      env: n8nEnv(n8nFolder, n8nPort),
      cwd: n8nFolder,
      logFile: join(options.root, 'n8n.log'),
      healthPath: '/healthz',
      readyPath: n8nWebhookPath('chain-1'),
      readyBody: REQUEST_BODY,
      readyFailure: n8nFailure,
      timeoutMs: 120_000,
    });
    servers.push(n8n);
    console.log(`n8n ready in ${n8n.readyMs.toFixed(0)} ms (/healthz ${n8n.healthMs.toFixed(0)} ms)`);

    const targets: Target[] = [
      { server: windhover, path: windhoverWebhookPath, failure: windhoverFailure },
      {
        server: n8n,
        path: n8nWebhookPath,
        failure: (body) => (body.includes('"value"') ? undefined : 'no value'),
      },
    ];
    const rssBefore = { w: windhover.rssMb(), n: n8n.rssMb() };
    console.log(`sequential requests: ${options.warmup} warm-up rounds, then ${options.rounds} rounds…`);
    const latencies = await sequentialLatencies(
      targets,
      ['chain-1', 'chain-41', 'mixed'],
      options.rounds,
      options.warmup,
    );
    console.log(
      `${options.clients} clients, ${options.throughputRounds} × ${options.seconds} s per server and flow…`,
    );
    const chainLoad = await throughput(
      targets,
      'chain-1',
      options.clients,
      options.seconds,
      options.throughputRounds,
    );
    const mixedLoad = await throughput(
      targets,
      'mixed',
      options.clients,
      options.seconds,
      options.throughputRounds,
    );
    const rssLoaded = { w: windhover.rssMb(), n: n8n.rssMb() };
    console.log(`idle ${options.idleSeconds} s…`);
    await new Promise((resolve) => setTimeout(resolve, options.idleSeconds * 1000));
    const rssIdle = { w: windhover.rssMb(), n: n8n.rssMb() };
    const counts = await executionCounts(windhover.port);

    const med = (server: string, name: string) => median(latencies.get(`${server}/${name}`)!);
    const load = (m: typeof chainLoad, server: string) => m.get(server)!;
    const failed = load(chainLoad, 'n8n').failed + load(mixedLoad, 'n8n').failed;
    const rows: Row[] = [
      {
        label: 'per-task overhead, (chain-41 − chain-1) / 40',
        windhover: perTaskMs(latencies, 'Windhover'),
        n8n: perTaskMs(latencies, 'n8n'),
        unit: 'ms',
        better: 'lower',
        goal: 2,
      },
      {
        label: `executions/s, ${options.clients} clients, chain-1`,
        windhover: load(chainLoad, 'Windhover').perSecond,
        n8n: load(chainLoad, 'n8n').perSecond,
        unit: '/s',
        better: 'higher',
        goal: 10,
      },
      {
        label: 'server RSS after the load',
        windhover: rssLoaded.w,
        n8n: rssLoaded.n,
        unit: 'MB',
        better: 'lower',
        goal: 4,
      },
      {
        label: `server RSS after ${options.idleSeconds} s idle`,
        windhover: rssIdle.w,
        n8n: rssIdle.n,
        unit: 'MB',
        better: 'lower',
      },
      {
        label: 'ready (spawn → first webhook answer)',
        windhover: windhover.readyMs,
        n8n: n8n.readyMs,
        unit: 'ms',
        better: 'lower',
        goal: 5,
      },
      {
        label: 'spawn → first health answer',
        windhover: windhover.healthMs,
        n8n: n8n.healthMs,
        unit: 'ms',
        better: 'lower',
      },
      {
        label: 'server RSS once ready, before any load',
        windhover: rssBefore.w,
        n8n: rssBefore.n,
        unit: 'MB',
        better: 'lower',
      },
      {
        label: 'chain-1 request, median',
        windhover: med('Windhover', 'chain-1'),
        n8n: med('n8n', 'chain-1'),
        unit: 'ms',
        better: 'lower',
      },
      {
        label: 'chain-41 request, median',
        windhover: med('Windhover', 'chain-41'),
        n8n: med('n8n', 'chain-41'),
        unit: 'ms',
        better: 'lower',
      },
      {
        label: 'mixed flow request, median',
        windhover: med('Windhover', 'mixed'),
        n8n: med('n8n', 'mixed'),
        unit: 'ms',
        better: 'lower',
      },
      {
        label: `mixed flow executions/s, ${options.clients} clients`,
        windhover: load(mixedLoad, 'Windhover').perSecond,
        n8n: load(mixedLoad, 'n8n').perSecond,
        unit: '/s',
        better: 'higher',
      },
    ];
    const notes = [
      `${options.rounds} sequential requests per flow and server (after ${options.warmup} warm-up rounds); throughput: median of ${options.throughputRounds} runs of ${options.seconds} s (runs: Windhover ${load(
        chainLoad,
        'Windhover',
      )
        .runs.map((r) => r.toFixed(0))
        .join(', ')}; n8n ${load(chainLoad, 'n8n')
        .runs.map((r) => r.toFixed(0))
        .join(', ')})`,
      `Windhover executions in its store: ${counts.all}, of which SUCCESS: ${counts.success}; failed answers under load: Windhover ${load(chainLoad, 'Windhover').failed + load(mixedLoad, 'Windhover').failed}, n8n ${failed}`,
    ];
    return { rows, n8nVersion: version, notes };
  } finally {
    for (const server of servers.reverse()) await server.stop();
  }
}
