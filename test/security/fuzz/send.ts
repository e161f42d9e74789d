/**
 * Sending the fuzz suite's requests over real HTTP (keep-alive, as clients do) with a deadline,
 * and watching `/health` answer while they run.
 */
import { Agent, request } from 'node:http';
import type { FuzzRequest } from './requests.js';

/** What came back: a status, or `timeout` when nothing did within the deadline. */
export type Outcome =
  { status: number; ms: number; body: string } | { status: 'timeout' | 'error'; ms: number; body: string };

/** Sends one request and reads its whole answer, or gives up after `deadlineMs`. */
export function sendRequest(
  base: URL,
  agent: Agent,
  fuzz: FuzzRequest,
  deadlineMs: number,
): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolvePromise) => {
    let settled = false;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise(outcome);
    };
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: fuzz.method,
        path: fuzz.path,
        agent,
        headers: {
          ...fuzz.headers,
          ...(fuzz.body !== undefined ? { 'content-length': String(fuzz.body.length) } : {}),
          ...(base.username
            ? {
                authorization: `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`,
              }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.length < 64 && chunks.push(chunk));
        res.on('end', () =>
          finish({
            status: res.statusCode ?? 0,
            ms: performance.now() - started,
            body: Buffer.concat(chunks).toString('utf8', 0, 2000),
          }),
        );
        res.on('error', (error) =>
          finish({ status: 'error', ms: performance.now() - started, body: String(error) }),
        );
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: 'timeout', ms: performance.now() - started, body: '' });
    }, deadlineMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer and close before the client has sent the whole body (a 413):
      // the answer is what counts, and came through the response callback if it came.
      finish({
        status: 'error',
        ms: performance.now() - started,
        body: `${error.code ?? ''} ${error.message}`,
      });
    });
    if (fuzz.body !== undefined) req.end(fuzz.body);
    else req.end();
  });
}

/** Polls `/health` on its own connection every `everyMs`; `stop` returns the slowest answer. */
export function watchHealth(
  base: URL,
  everyMs: number,
): { stop(): Promise<{ slowestMs: number; failures: string[] }> } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let running = true;
  let slowestMs = 0;
  const failures: string[] = [];
  const loop = (async () => {
    while (running) {
      const outcome = await sendRequest(
        new URL(base.origin),
        agent,
        { method: 'GET', path: '/health', headers: {}, shape: 'health' },
        5000,
      );
      slowestMs = Math.max(slowestMs, outcome.ms);
      if (outcome.status !== 200)
        failures.push(`/health answered ${outcome.status} after ${Math.round(outcome.ms)} ms`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      agent.destroy();
      return { slowestMs, failures };
    },
  };
}
