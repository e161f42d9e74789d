/**
 * Start-up of `windhover server local` with the peers bench's flows, compared between built
 * checkouts (issue 22): spawn → first answer of the chain-1 webhook (`wait: true`), the CPU time
 * the server had used by then (less sensitive to a busy machine), RSS once ready, and RSS after a small load (sequential calls of the mixed and chain-41 flows). Checkouts are
 * started in turn, one at a time, round after round, each on a fresh data folder; medians are
 * printed. Windhover only (the n8n side is `npm run bench:peers`).
 *
 * Run (each checkout built with `npm run build`):
 *   node --import tsx bench/peers/start-ab.ts [--runs N] <checkout> <checkout>…
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../free-port.js';
import { cpuMsOf } from '../process-cpu.js';
import { median } from '../stats.js';
import { REQUEST_BODY, windhoverChain, windhoverMixed, windhoverWebhookPath } from './flows.js';
import type { FlowName } from './flows.js';
import { startWindhover, windhoverFailure } from './windhover.js';

/** Sequential webhook calls after the ready answer, per flow. */
const LOAD: ReadonlyArray<[FlowName, number]> = [
  ['mixed', 50],
  ['chain-41', 20],
];

interface StartSample {
  readyMs: number;
  /** CPU (user + system) of the server process when it was ready; NaN where /proc is missing. */
  cpuReadyMs: number;
  rssReadyMb: number;
  rssLoadedMb: number;
}

async function sample(checkout: string): Promise<StartSample> {
  const root = mkdtempSync(join(tmpdir(), 'wh-start-ab-'));
  const port = await freePort();
  const flows = {
    'chain-1': windhoverChain('chain-1', 1),
    'chain-41': windhoverChain('chain-41', 41),
    mixed: windhoverMixed(),
  };
  const server = await startWindhover(root, port, flows, 'chain-1', true, checkout);
  try {
    const cpuReadyMs = cpuMsOf(server.child.pid!) ?? NaN;
    const rssReadyMb = server.rssMb();
    for (const [name, count] of LOAD) {
      for (let i = 0; i < count; i++) {
        const response = await fetch(`http://127.0.0.1:${port}${windhoverWebhookPath(name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: REQUEST_BODY,
        });
        const failure = windhoverFailure(await response.text());
        if (failure) throw new Error(`${checkout} ${name}: ${failure}`);
      }
    }
    return { readyMs: server.readyMs, cpuReadyMs, rssReadyMb, rssLoadedMb: server.rssMb() };
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 7;
  const checkouts = args.map((path) => resolve(path));
  if (checkouts.length === 0) throw new Error('usage: start-ab.ts [--runs N] <checkout>…');
  const samples = new Map<string, StartSample[]>(checkouts.map((c) => [c, []]));
  const loads: number[] = [];
  for (let round = 0; round < runs; round++) {
    for (const checkout of checkouts) {
      loads.push(loadavg()[0]!);
      const one = await sample(checkout);
      samples.get(checkout)!.push(one);
      console.log(
        `round ${round + 1} ${checkout}: ready ${one.readyMs.toFixed(0)} ms (CPU ${one.cpuReadyMs.toFixed(0)} ms), RSS ready ${one.rssReadyMb.toFixed(0)} MB, after load ${one.rssLoadedMb.toFixed(0)} MB`,
      );
    }
  }
  console.log(`\nload average (1 min) during the runs: median ${median(loads).toFixed(1)}`);
  for (const [checkout, list] of samples) {
    const m = (pick: (s: StartSample) => number) => median(list.map(pick)).toFixed(0);
    console.log(
      `${checkout}: median of ${list.length}: ready ${m((s) => s.readyMs)} ms (CPU ${m((s) => s.cpuReadyMs)} ms), RSS ready ${m((s) => s.rssReadyMb)} MB, RSS after load ${m((s) => s.rssLoadedMb)} MB`,
    );
  }
}

await main();
