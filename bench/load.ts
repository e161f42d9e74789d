/** Load generators shared by the HTTP benchmarks. */
import { Agent, request } from 'node:http';

/** What an open-loop load sent and got back. */
export interface OpenLoopResult {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** The client errors by code (`ECONNRESET`, …; the message when there is no code). */
  errorCodes: Record<string, number>;
  /** Milliseconds from each request's due time to the end of its answer, ascending. */
  latencies: number[];
  elapsedSeconds: number;
}

/** Where and what an open-loop load sends. */
export interface OpenLoopOptions {
  port: number;
  path: string;
  body: string;
  rate: number;
  seconds: number;
}

/**
 * Scheduled open-loop load (node:http, keep-alive): request i is due at start + i/rate and sent
 * then, whatever the earlier answers did; its latency counts from the due time, so a stalled
 * server or a late client loop both show.
 */
export async function openLoop({
  port,
  path,
  body,
  rate,
  seconds,
}: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  const errorCodes: Record<string, number> = {};
  let sent = 0;
  const start = performance.now();
  await new Promise<void>((allAnswered) => {
    let answered = 0;
    const answer = () => {
      if (++answered === total) allAnswered();
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / rate <= now) {
        const due = start + (sent * 1000) / rate;
        sent++;
        const req = request(
          {
            agent,
            host: '127.0.0.1',
            port,
            path,
            method: 'POST',
            headers: { 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              latencies.push(performance.now() - due);
              if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) ok++;
              else non2xx++;
              answer();
            });
          },
        );
        req.on('error', (error: NodeJS.ErrnoException) => {
          errors++;
          const code = error.code ?? error.message;
          errorCodes[code] = (errorCodes[code] ?? 0) + 1;
          answer();
        });
        req.end(body);
      }
      if (sent < total) setTimeout(tick, 1);
    };
    if (total === 0) allAnswered();
    else tick();
  });
  const elapsedSeconds = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { sent, ok, non2xx, errors, errorCodes, latencies, elapsedSeconds };
}
