import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const FLOW = `id: measured
namespace: company.metrics
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.2S
`;

const FAILING = `id: failing
namespace: company.metrics
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: expected
`;

/** The value of one sample line, e.g. `name{a="b"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('health and metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    // With auth on: both routes stay open.
    server = await startTestServer({ auth: { username: 'admin', password: 'pw' } });
  });
  afterAll(() => server.close());

  const scrape = async () => {
    const res = await server.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain; version=0.0.4');
    return res.body;
  };

  it('answers /health with status UP, without credentials', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'UP',
      details: {
        store: { status: 'UP' },
        // One process plays every role here; without roles given, it reports its runtime's.
        member: { id: server.local.runtime.memberId, roles: ['executor', 'worker'] },
        cluster: { roles: { executor: 1, worker: 1 }, schedulerLease: null },
      },
    });
  });

  it('counts executions by state, starts and task run durations, each once', async () => {
    const before = await scrape();
    expect(sample(before, 'windhover_executions{state="SUCCESS"}')).toBe(0);
    const { runtime, store } = server.local;
    const flow = await deployFlow(store, FLOW);
    const failing = await deployFlow(store, FAILING);
    for (let i = 0; i < 3; i++) await runtime.waitForEnd((await runtime.submit(flow)).id);
    await runtime.waitForEnd((await runtime.submit(failing)).id);

    const text = await scrape();
    expect(sample(text, 'windhover_executions{state="SUCCESS"}')).toBe(3);
    expect(sample(text, 'windhover_executions{state="FAILED"}')).toBe(1);
    expect(sample(text, 'windhover_executions{state="RUNNING"}')).toBe(0);
    const labels = 'namespace="company.metrics",flow_id="measured"';
    expect(sample(text, `windhover_executions_started_total{${labels}}`)).toBe(3);
    expect(
      sample(text, 'windhover_executions_started_total{namespace="company.metrics",flow_id="failing"}'),
    ).toBe(1);
    // Two task runs per execution, each counted once although every step re-sends the execution.
    expect(sample(text, `windhover_task_run_duration_seconds_count{${labels},state="SUCCESS"}`)).toBe(6);
    expect(
      sample(
        text,
        'windhover_task_run_duration_seconds_count{namespace="company.metrics",flow_id="failing",state="FAILED"}',
      ),
    ).toBe(1);
    // The three naps of 0.2 s are in the sum, and none of them fits the 0.1 s bucket.
    expect(
      sample(text, `windhover_task_run_duration_seconds_sum{${labels},state="SUCCESS"}`),
    ).toBeGreaterThanOrEqual(0.6);
    expect(
      sample(text, `windhover_task_run_duration_seconds_bucket{${labels},state="SUCCESS",le="0.1"}`),
    ).toBeLessThanOrEqual(3);
    expect(
      sample(text, `windhover_task_run_duration_seconds_bucket{${labels},state="SUCCESS",le="+Inf"}`),
    ).toBe(6);
    expect(sample(text, 'windhover_worker_jobs{status="pending"}')).toBe(0);
    expect(sample(text, 'windhover_worker_jobs{status="claimed"}')).toBe(0);
  });

  it('writes valid exposition text: every sample line is name{labels} number, after its TYPE', async () => {
    const text = await scrape();
    const typed = new Set<string>();
    for (const line of text.trimEnd().split('\n')) {
      const type = /^# TYPE (\w+) (counter|gauge|histogram)$/.exec(line);
      if (type) {
        typed.add(type[1]!);
        continue;
      }
      if (line.startsWith('# HELP ')) continue;
      const match = /^(\w+?)(_bucket|_sum|_count)?(\{[^}]*\})? (-?[\d.e+]+|\+Inf|NaN)$/.exec(line);
      expect(match, line).not.toBeNull();
      const name = match![1]!;
      expect(typed.has(name) || typed.has(`${name}${match![2] ?? ''}`), line).toBe(true);
    }
  });

  it('answers 503 DOWN when the store does not answer', async () => {
    const other = await startTestServer();
    try {
      await other.local.store.close();
      const res = await other.app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'DOWN', details: { store: { status: 'DOWN' } } });
    } finally {
      await other.close().catch(() => undefined);
    }
  });
});
