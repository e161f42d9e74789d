/** The soak: Windhover alone under a steady webhook load for minutes, its memory sampled as it goes. */
import { freePort } from '../free-port.js';
import { openLoop } from '../load.js';
import { percentile } from '../stats.js';
import { REQUEST_BODY, windhoverChain, windhoverWebhookPath } from './flows.js';
import { executionCounts, startWindhover } from './windhover.js';

/** What the soak saw. */
export interface SoakResult {
  rate: number;
  seconds: number;
  /** How long sending took and every answer came back: above `seconds` when client or server fell behind. */
  elapsedSeconds: number;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  errorCodes: Record<string, number>;
  p50: number;
  p99: number;
  /** [seconds since the load started, RSS MB], every 10 s. */
  rss: Array<[number, number]>;
  executions: number;
  success: number;
  drainMs: number;
}

/**
 * `rate` webhook executions/s for `seconds` (open loop, the webhook answering at once as Kestra's
 * benchmark flow does: a 2-task flow), then waits until every accepted execution has ended.
 */
export async function soak(root: string, rate: number, seconds: number): Promise<SoakResult> {
  const server = await startWindhover(
    root,
    await freePort(),
    { soak: windhoverChain('soak', 2, false) },
    'soak',
    false,
  );
  try {
    const rss: Array<[number, number]> = [];
    const start = performance.now();
    const sampler = setInterval(() => {
      const at = Math.round((performance.now() - start) / 1000);
      rss.push([at, server.rssMb()]);
      console.log(`  ${String(at).padStart(4)} s  RSS ${server.rssMb().toFixed(0)} MB`);
    }, 10_000);
    const load = await openLoop({
      port: server.port,
      path: windhoverWebhookPath('soak'),
      body: REQUEST_BODY,
      rate,
      seconds,
    });
    clearInterval(sampler);
    rss.push([Math.round((performance.now() - start) / 1000), server.rssMb()]);
    const loadEnd = performance.now();
    let counts = await executionCounts(server.port);
    // The ready probe made one execution before the load.
    while (counts.success < load.ok + 1 && performance.now() - loadEnd < 120_000) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      counts = await executionCounts(server.port);
    }
    return {
      rate,
      seconds,
      elapsedSeconds: load.elapsedSeconds,
      sent: load.sent,
      ok: load.ok,
      non2xx: load.non2xx,
      errors: load.errors,
      errorCodes: load.errorCodes,
      p50: percentile(load.latencies, 0.5),
      p99: percentile(load.latencies, 0.99),
      rss,
      executions: counts.all,
      success: counts.success,
      drainMs: performance.now() - loadEnd,
    };
  } finally {
    await server.stop();
  }
}
