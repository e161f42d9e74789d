/** The measurements, each taken on both servers, alternating so that neither gets the quieter moments. */
import autocannon from 'autocannon';
import { median } from '../stats.js';
import { REQUEST_BODY } from './flows.js';
import type { FlowName } from './flows.js';
import type { RunningServer } from './server.js';

/** A server and the webhook path of each benchmark flow on it. */
export interface Target {
  server: RunningServer;
  path(name: FlowName): string;
  /** Why an answer's body shows the execution did not succeed; undefined when it did. */
  failure: (body: string) => string | undefined;
}

/** Milliseconds of one webhook request, sent to its answer's last byte; throws on a non-2xx or a failed execution. */
async function timeRequest(target: Target, name: FlowName): Promise<number> {
  const start = performance.now();
  const res = await fetch(`http://127.0.0.1:${target.server.port}${target.path(name)}`, {
    method: 'POST',
    body: REQUEST_BODY,
    headers: { 'content-type': 'application/json' },
  });
  const text = await res.text();
  const ms = performance.now() - start;
  const failure = res.ok ? target.failure(text) : `HTTP ${res.status}`;
  if (failure) throw new Error(`${target.server.name} ${name}: ${failure}: ${text.slice(0, 300)}`);
  return ms;
}

/**
 * Sequential request latencies (one request in flight in the whole bench) of each flow on each
 * target, interleaved: round i sends each flow to each target in turn, the target order
 * alternating by round. The first `warmup` rounds are not kept.
 */
export async function sequentialLatencies(
  targets: Target[],
  names: FlowName[],
  rounds: number,
  warmup: number,
): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>();
  for (let round = 0; round < warmup + rounds; round++) {
    const order = round % 2 ? [...targets].reverse() : targets;
    for (const target of order) {
      for (const name of names) {
        const ms = await timeRequest(target, name);
        if (round < warmup) continue;
        const key = `${target.server.name}/${name}`;
        samples.set(key, [...(samples.get(key) ?? []), ms]);
      }
    }
  }
  return samples;
}

/** Per-task overhead from sequential latencies: (median of chain-41 − median of chain-1) / 40. */
export function perTaskMs(samples: Map<string, number[]>, server: string): number {
  return (median(samples.get(`${server}/chain-41`)!) - median(samples.get(`${server}/chain-1`)!)) / 40;
}

/** Executions/s of a closed loop: `clients` connections, each sending its next request when the last is answered. */
export async function closedLoop(
  target: Target,
  name: FlowName,
  clients: number,
  seconds: number,
): Promise<{ perSecond: number; non2xx: number; errors: number }> {
  const result = await autocannon({
    url: `http://127.0.0.1:${target.server.port}${target.path(name)}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: REQUEST_BODY,
    connections: clients,
    duration: seconds,
  });
  return {
    perSecond: result['2xx'] / seconds,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Executions/s of each target, `rounds` closed-loop runs each, alternating targets; the median per target. */
export async function throughput(
  targets: Target[],
  name: FlowName,
  clients: number,
  seconds: number,
  rounds: number,
): Promise<Map<string, { perSecond: number; runs: number[]; failed: number }>> {
  const runs = new Map<string, { runs: number[]; failed: number }>();
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...targets].reverse() : targets;
    for (const target of order) {
      const r = await closedLoop(target, name, clients, seconds);
      const entry = runs.get(target.server.name) ?? { runs: [], failed: 0 };
      entry.runs.push(r.perSecond);
      entry.failed += r.non2xx + r.errors;
      runs.set(target.server.name, entry);
    }
  }
  return new Map([...runs].map(([server, r]) => [server, { perSecond: median(r.runs), ...r }]));
}
