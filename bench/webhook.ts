/**
 * Webhook throughput: Kestra's own benchmark flow (Webhook trigger → OutputValues → Log) on a
 * real `windhover server local` process, loaded at rising rates by two generators, one after the
 * other at each rate:
 *
 * - autocannon with `overallRate`: each connection sends its share of the second's requests back
 *   to back, then waits for the next second, so the load arrives in a burst at each second's
 *   start; latencies are corrected for coordinated omission with a 1 ms expected interval. A
 *   worst case for the tail.
 * - a scheduled open-loop client (load.ts): request i is due at start + i/rate and sent then,
 *   whatever the earlier answers did; its latency counts from the due time.
 *
 * For each: the p50/p99 latency of the webhook answers, the rate actually sent, non-2xx answers,
 * and how long the executions took to all end SUCCESS after the load stopped (the executions/s
 * the server really sustains, not only accepts). The answer: the highest rate whose p99 < 100 ms
 * and whose executions all ended within 5 s of the load.
 *
 * Run: npm run bench:webhook [-- --seconds 10 --rates 100,250,500,750,1000]
 * The load generator and the server share this machine's cores, as a user's laptop would.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openLoop } from './load.js';
import { percentile } from './stats.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const seconds = Number(arg('seconds', '10'));
const rates = arg('rates', '100,250,500,750,1000,1250').split(',').map(Number);
const port = Number(arg('port', '18081'));
const base = `http://127.0.0.1:${port}`;

/** Kestra's benchmark flow (kestra.io/blogs "performance"): a webhook, an output, a log line. */
const FLOW = `id: benchmark_webhook
namespace: bench
tasks:
  - id: output
    type: io.kestra.plugin.core.output.OutputValues
    values:
      body: "{{ trigger.body }}"
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.output.values.body }}"
triggers:
  - id: webhook
    type: io.kestra.plugin.core.trigger.Webhook
    key: benchmark
`;

async function startServer(dataDir: string, flowDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['bin/windhover.js', 'server', 'local', '--data', dataDir, '-f', flowDir, '--port', String(port)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, WINDHOVER_USERNAME: '', WINDHOVER_PASSWORD: '' },
    },
  );
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error('the server did not answer /health within 15 s');
    try {
      const res = await fetch(`${base}/api/v1/main/flows/bench/benchmark_webhook`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function countSuccess(): Promise<number> {
  const res = await fetch(`${base}/api/v1/main/executions/search?namespace=bench&state=SUCCESS&size=1`);
  const body = (await res.json()) as { total: number };
  return body.total;
}

async function countAll(): Promise<number> {
  const res = await fetch(`${base}/api/v1/main/executions/search?namespace=bench&size=1`);
  const body = (await res.json()) as { total: number };
  return body.total;
}

interface Step {
  generator: 'autocannon' | 'open-loop';
  rate: number;
  sentPerSec: number;
  ok: number;
  non2xx: number;
  errors: number;
  p50: number;
  p99: number;
  drainMs: number;
  allEnded: boolean;
}

const WEBHOOK_PATH = '/api/v1/main/executions/webhook/bench/benchmark_webhook/benchmark';

/** Waits until every execution accepted so far has ended SUCCESS; the drain time and whether all did. */
async function drain(expected: number): Promise<{ drainMs: number; allEnded: boolean }> {
  const loadEnd = Date.now();
  let ended = 0;
  while (Date.now() - loadEnd < 60_000) {
    ended = await countSuccess();
    if (ended >= expected) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { drainMs: Date.now() - loadEnd, allEnded: ended >= expected };
}

/** Scheduled open-loop load (see load.ts); latency counts from each request's due time. */
async function openLoopAt(rate: number, before: number): Promise<Step> {
  const load = await openLoop({
    port,
    path: WEBHOOK_PATH,
    body: JSON.stringify({ hello: 'world' }),
    rate,
    seconds,
  });
  return {
    generator: 'open-loop',
    rate,
    sentPerSec: load.sent / Math.max(load.elapsedSeconds, seconds),
    ok: load.ok,
    non2xx: load.non2xx,
    errors: load.errors,
    p50: Math.round(percentile(load.latencies, 0.5) * 10) / 10,
    p99: Math.round(percentile(load.latencies, 0.99) * 10) / 10,
    ...(await drain(before + load.ok)),
  };
}

async function loadAt(rate: number, before: number): Promise<Step> {
  const result = await autocannon({
    url: `${base}${WEBHOOK_PATH}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hello: 'world' }),
    connections: Math.max(10, Math.min(200, Math.ceil(rate / 5))),
    overallRate: rate,
    duration: seconds,
  });
  const ok = result['2xx'];
  return {
    generator: 'autocannon',
    rate,
    sentPerSec: result.requests.total / seconds,
    ok,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ...(await drain(before + ok)),
  };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'wh-bench-webhook-'));
  const flowDir = join(root, 'flows');
  mkdirSync(flowDir);
  writeFileSync(join(flowDir, 'benchmark_webhook.yaml'), FLOW);
  const server = await startServer(join(root, 'data'), flowDir);
  const steps: Step[] = [];
  try {
    // Warm-up: JIT and SQLite caches, not measured.
    await autocannon({
      url: `${base}${WEBHOOK_PATH}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"warm":true}',
      connections: 10,
      overallRate: 100,
      duration: 3,
    });
    while ((await countSuccess()) < (await countAll())) await new Promise((r) => setTimeout(r, 50));
    const stopped = new Set<Step['generator']>();
    for (const rate of rates) {
      for (const generator of ['autocannon', 'open-loop'] as const) {
        if (stopped.has(generator)) continue;
        const before = await countSuccess();
        const step = generator === 'autocannon' ? await loadAt(rate, before) : await openLoopAt(rate, before);
        steps.push(step);
        console.log(
          `${generator.padEnd(10)} rate ${rate}/s: sent ${step.sentPerSec.toFixed(0)}/s, 2xx ${step.ok}, non-2xx ${step.non2xx}, errors ${step.errors}, ` +
            `p50 ${step.p50} ms, p99 ${step.p99} ms, executions ended ${step.drainMs} ms after the load${step.allEnded ? '' : ' (NOT ALL ENDED)'}`,
        );
        if (!step.allEnded || step.p99 > 1000) stopped.add(generator);
      }
      if (stopped.size === 2) break;
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(root, { recursive: true, force: true });
  }
  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ${seconds} s per rate`,
  );
  for (const generator of ['autocannon', 'open-loop'] as const) {
    const passing = steps.filter(
      (s) => s.generator === generator && s.p99 < 100 && s.allEnded && s.drainMs < 5000 && s.non2xx === 0,
    );
    const best = passing.at(-1);
    console.log(
      best
        ? `${generator}: highest rate with p99 < 100 ms and every execution ended: ${best.rate}/s (p99 ${best.p99} ms)`
        : `${generator}: no rate met p99 < 100 ms`,
    );
  }
}

await main();
