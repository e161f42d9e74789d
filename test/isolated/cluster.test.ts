/**
 * A cluster as separate OS processes on one PostgreSQL database: 1 web server, 2 executors,
 * 3 workers and 2 schedulers (`windhover server <role>`). A first run of 500 executions of mixed
 * flows (ForEach, Subflow, retries, a QUEUE concurrency limit) must all end correctly; during a
 * second run one worker and one executor are SIGKILLed, and every execution must still end in
 * its correct state. Throughout, a Schedule fires every 2 s: each slot exactly once, none
 * skipped; and the concurrency limit is never exceeded (checked on the state histories).
 * In test/isolated: eight processes and a thousand executions want the machine to themselves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../support/databases.js';
import { startServerProcess } from '../cli/server-process.js';
import type { ServerProcess } from '../cli/server-process.js';
import { windhoverAsync } from '../cli/windhover.js';

const db = await createPostgresDatabase('cluster');
const root = mkdtempSync(join(tmpdir(), 'wh-cluster-'));
const NS = 'cluster.test';
const LIMIT = 2;

const FLOWS = [
  `id: child
namespace: ${NS}
inputs:
  - id: n
    type: INT
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "child {{ inputs.n }}"
outputs:
  - id: doubled
    type: INT
    value: "{{ inputs.n * 2 }}"
`,
  `id: parent
namespace: ${NS}
inputs:
  - id: n
    type: INT
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: ${NS}
    flowId: child
    inputs:
      n: "{{ inputs.n }}"
    wait: true
    transmitFailed: true
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: "got {{ outputs.call.outputs.doubled }}"
`,
  `id: fan
namespace: ${NS}
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b", "c"]
    concurrencyLimit: 2
    tasks:
      - id: item
        type: io.kestra.plugin.core.log.Log
        message: "item {{ taskrun.value }}"
  - id: done
    type: io.kestra.plugin.core.log.Log
    message: all done
`,
  `id: flaky
namespace: ${NS}
tasks:
  - id: fail_once
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ taskrun.attemptsCount < 1 }}"
    retry:
      type: constant
      interval: PT0.2S
      maxAttempts: 3
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: recovered
`,
  `id: limited
namespace: ${NS}
concurrency:
  limit: ${LIMIT}
  behavior: QUEUE
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.05S
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: done
`,
  `id: ticker
namespace: ${NS}
tasks:
  - id: tick
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.date }}"
triggers:
  - id: every2s
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/2 * * * * *"
    withSeconds: true
`,
];

/** The flows of a run, in submission order: 500 for the first run. */
function mix(count: number): Array<{ flowId: string; inputs?: Record<string, string> }> {
  const plan: Array<{ flowId: string; inputs?: Record<string, string> }> = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 5;
    if (kind === 0) plan.push({ flowId: 'parent', inputs: { n: String(i) } });
    else if (kind === 1) plan.push({ flowId: 'fan' });
    else if (kind === 2) plan.push({ flowId: 'flaky' });
    else plan.push({ flowId: 'limited' });
  }
  return plan;
}

const processes = new Map<string, ServerProcess>();
let client: pg.Client;
let web: string;

async function startRole(name: string, role: string, extra: string[] = []): Promise<ServerProcess> {
  const started = await startServerProcess(
    ['server', role, '--data', join(root, name), '--port', '0', ...extra],
    {
      WINDHOVER_STORE_URL: db.url,
      WINDHOVER_STORAGE_URL: db.url,
      WINDHOVER_HEARTBEAT_INTERVAL: 'PT0.5S',
      WINDHOVER_MEMBER_TIMEOUT: 'PT3S',
    },
    60_000,
  );
  processes.set(name, started);
  return started;
}

async function submit(plan: ReturnType<typeof mix>): Promise<string[]> {
  const ids: string[] = [];
  // A few at a time, as clients would.
  for (let i = 0; i < plan.length; i += 20) {
    const batch = await Promise.all(
      plan.slice(i, i + 20).map(async ({ flowId, inputs }) => {
        const form = new FormData();
        for (const [key, value] of Object.entries(inputs ?? {})) form.set(key, value);
        const response = await fetch(`${web}/api/v1/main/executions/${NS}/${flowId}`, {
          method: 'POST',
          body: form,
        });
        expect(response.status, await response.clone().text()).toBe(200);
        return ((await response.json()) as { id: string }).id;
      }),
    );
    ids.push(...batch);
  }
  return ids;
}

const TERMINAL = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'SKIPPED', 'RETRIED'];

/** Waits until every execution given (and every child) has ended for good. */
async function waitForAll(ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM executions
       WHERE (id = ANY($1) OR header->'parent'->>'executionId' = ANY($1))
         AND NOT (state = ANY($2) AND header->'control' ? 'ended')`,
      [ids, TERMINAL],
    );
    if (rows[0]!.n === 0) return;
    if (Date.now() > deadline)
      throw new Error(`${rows[0]!.n} executions still unfinished after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Checks every execution of a run (and the children) ended as its flow must. */
async function checkRun(ids: string[], exactAttempts: boolean): Promise<void> {
  const { rows } = await client.query<{ flow_id: string; state: string; n: number }>(
    `SELECT flow_id, state, count(*)::int AS n FROM executions
     WHERE id = ANY($1) OR header->'parent'->>'executionId' = ANY($1) GROUP BY 1, 2 ORDER BY 1, 2`,
    [ids],
  );
  const expected = mix(ids.length).reduce<Record<string, number>>((counts, { flowId }) => {
    counts[flowId] = (counts[flowId] ?? 0) + 1;
    return counts;
  }, {});
  expected.child = expected.parent!;
  expect(Object.fromEntries(rows.map((r) => [`${r.flow_id} ${r.state}`, r.n]))).toEqual(
    Object.fromEntries(Object.entries(expected).map(([flow, n]) => [`${flow} SUCCESS`, n])),
  );
  // Every task run of every execution succeeded; ForEach ran its three items; the subflow's output came back.
  const runs = await client.query<{ flow_id: string; runs: number; ok: boolean }>(
    `SELECT e.flow_id, count(t.id)::int AS runs, bool_and(t.body->'state'->>'current' = 'SUCCESS') AS ok
     FROM executions e JOIN task_runs t ON t.execution_id = e.id WHERE e.id = ANY($1) GROUP BY e.id, e.flow_id`,
    [ids],
  );
  const runsPerFlow: Record<string, number> = { parent: 2, fan: 5, flaky: 2, limited: 2 };
  for (const row of runs.rows) {
    expect(row.ok).toBe(true);
    expect(row.runs).toBe(runsPerFlow[row.flow_id]);
  }
  expect(runs.rows).toHaveLength(ids.length);
  const got = await client.query<{ message: string; n: string }>(
    `SELECT l.message, e.header->'inputs'->>'n' AS n FROM logs l JOIN executions e ON e.id = l.execution_id
     WHERE l.execution_id = ANY($1) AND l.task_id = 'after' AND e.flow_id = 'parent'`,
    [ids],
  );
  expect(got.rows.length).toBeGreaterThanOrEqual(ids.length / 5);
  for (const row of got.rows) expect(row.message).toBe(`got ${Number(row.n) * 2}`);
  if (exactAttempts) {
    const attempts = await client.query<{ n: number }>(
      `SELECT jsonb_array_length(t.body->'attempts') AS n FROM task_runs t JOIN executions e ON e.id = t.execution_id
       WHERE e.id = ANY($1) AND t.body->>'taskId' = 'fail_once'`,
      [ids],
    );
    expect(new Set(attempts.rows.map((r) => r.n))).toEqual(new Set([2]));
  }
}

beforeAll(async () => {
  if (!db.available) return;
  client = new pg.Client({ connectionString: db.url });
  // Schema first, as docs/deploy.md says: the processes then start on a migrated database.
  const migrated = await windhoverAsync(['sys', 'migrate', '--store-url', db.url]);
  expect(migrated.code, migrated.stderr).toBe(0);
  web = (await startRole('web', 'webserver')).url;
  await Promise.all([
    startRole('executor-1', 'executor'),
    startRole('executor-2', 'executor'),
    startRole('worker-1', 'worker', ['--worker-concurrency', '8']),
    startRole('worker-2', 'worker', ['--worker-concurrency', '8']),
    startRole('worker-3', 'worker', ['--worker-concurrency', '8']),
    startRole('scheduler-1', 'scheduler'),
    startRole('scheduler-2', 'scheduler'),
  ]);
  await client.connect();
  for (const source of FLOWS) {
    const saved = await fetch(`${web}/api/v1/main/flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-yaml' },
      body: source,
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
  }
}, 180_000);

afterAll(async () => {
  const alive = [...processes.values()].filter(
    (p) => p.child.exitCode === null && p.child.signalCode === null,
  );
  await Promise.all(alive.map((p) => p.stop()));
  await client?.end().catch(() => {});
  await db.drop();
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe.skipIf(!db.available)('a cluster of separate processes on PostgreSQL', () => {
  it('has every process as a member, with its role', async () => {
    const { rows } = await client.query<{ roles: string[] }>('SELECT roles FROM cluster_members');
    const count = (role: string) => rows.filter((r) => r.roles.includes(role)).length;
    expect([count('webserver'), count('executor'), count('worker'), count('scheduler')]).toEqual([
      1, 2, 3, 2,
    ]);
  });

  it('runs 500 executions of mixed flows to their correct end', async () => {
    const started = Date.now();
    const ids = await submit(mix(500));
    await waitForAll(ids, 240_000);
    console.info(
      `cluster: 500 executions (and 100 subflows) ended ${Date.now() - started} ms after the first submission`,
    );
    await checkRun(ids, true);
  }, 300_000);

  it('ends every execution correctly when a worker and an executor are SIGKILLed mid-run', async () => {
    const started = Date.now();
    const submitting = submit(mix(300));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const name of ['worker-1', 'executor-1']) processes.get(name)!.child.kill('SIGKILL');
    const ids = await submitting;
    await waitForAll(ids, 240_000);
    console.info(
      `cluster: 300 executions ended ${Date.now() - started} ms after the first submission, with two processes killed`,
    );
    await checkRun(ids, false);
    // The dead were found out and removed from the cluster.
    const { rows } = await client.query<{ roles: string[] }>('SELECT roles FROM cluster_members');
    expect(rows.filter((r) => r.roles.includes('worker'))).toHaveLength(2);
    expect(rows.filter((r) => r.roles.includes('executor'))).toHaveLength(1);
  }, 300_000);

  it('never ran more executions of the limited flow at once than its limit', async () => {
    const { rows } = await client.query<{ histories: Array<{ state: string; date: string }> }>(
      `SELECT header->'state'->'histories' AS histories FROM executions WHERE flow_id = 'limited'`,
    );
    const submitted = [...mix(500), ...mix(300)].filter((p) => p.flowId === 'limited').length;
    expect(rows.length).toBe(submitted);
    // Each execution holds a slot from its RUNNING to its end; at one instant, ends come first.
    const marks: Array<[number, number]> = [];
    for (const { histories } of rows) {
      const running = histories.find((h) => h.state === 'RUNNING');
      const end = histories.find((h) => TERMINAL.includes(h.state));
      expect(running && end).toBeTruthy();
      marks.push([Date.parse(running!.date), 1], [Date.parse(end!.date), -1]);
    }
    marks.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let active = 0;
    let most = 0;
    for (const [, change] of marks) most = Math.max(most, (active += change));
    expect(most).toBeLessThanOrEqual(LIMIT);
    expect(most).toBe(LIMIT); // the limit was reached: the check above saw real contention
  });

  it('fired each Schedule slot exactly once, skipping none, while schedulers and executors came and went', async () => {
    const { rows } = await client.query<{ slot: string; n: number }>(
      `SELECT header->'trigger'->'variables'->>'date' AS slot, count(*)::int AS n FROM executions
       WHERE flow_id = 'ticker' GROUP BY 1 ORDER BY 1`,
    );
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    const slots = rows.map((r) => Date.parse(r.slot));
    for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBe(2000);
  });
});
