/**
 * Two `server standalone` processes on one PostgreSQL database (and one internal storage) are a
 * cluster of two members that each play every role: executions submitted to either end once,
 * files written by a task on one process are read by a task on the other, a Flow trigger starts
 * its downstream once per upstream, and when one process is SIGKILLed the other finishes its work.
 * In test/isolated: separate processes that want the machine to themselves.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../support/databases.js';
import { startServerProcess } from '../cli/server-process.js';
import type { ServerProcess } from '../cli/server-process.js';

const db = await createPostgresDatabase('standalone_pair');
const root = mkdtempSync(join(tmpdir(), 'wh-pair-'));
// Run as root, script tasks run as users of their own, which pass through here to their working directories.
chmodSync(root, 0o711);
const NS = 'pair.test';

const FLOWS = [
  // A file written by one task and read by the next: whichever process runs either task.
  `id: files
namespace: ${NS}
inputs:
  - id: n
    type: INT
tasks:
  - id: write
    type: io.kestra.plugin.core.storage.Write
    content: "line {{ inputs.n }}"
    extension: .txt
  - id: where
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - echo "worker $PPID"
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: read
        type: io.kestra.plugin.core.log.Log
        message: "{{ taskrun.value }} {{ read(outputs.write.uri) }}"
`,
  `id: after_files
namespace: ${NS}
tasks:
  - id: seen
    type: io.kestra.plugin.core.log.Log
    message: "after {{ trigger.executionId }}"
triggers:
  - id: on_files
    type: io.kestra.plugin.core.trigger.Flow
    preconditions:
      id: files_done
      flows:
        - namespace: ${NS}
          flowId: files
          states: [SUCCESS]
`,
];

const processes: ServerProcess[] = [];
let client: pg.Client;

async function startStandalone(name: string): Promise<ServerProcess> {
  const started = await startServerProcess(
    ['server', 'standalone', '--data', join(root, name), '--port', '0'],
    {
      WINDHOVER_STORE_URL: db.url,
      WINDHOVER_STORAGE_URL: db.url,
      WINDHOVER_HEARTBEAT_INTERVAL: 'PT0.5S',
      WINDHOVER_MEMBER_TIMEOUT: 'PT3S',
    },
    60_000,
  );
  processes.push(started);
  return started;
}

/** Submits `count` executions of `files`, alternating between the two processes' APIs. */
async function submit(urls: string[], count: number, from: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const form = new FormData();
      form.set('n', String(from + i));
      const response = await fetch(`${urls[i % urls.length]}/api/v1/main/executions/${NS}/files`, {
        method: 'POST',
        body: form,
      });
      expect(response.status, await response.clone().text()).toBe(200);
      return ((await response.json()) as { id: string }).id;
    }),
  );
}

/** Waits until the executions, and one `after_files` per execution, have ended. */
async function waitForAll(ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ open: number; after: number }>(
      `SELECT
         (SELECT count(*)::int FROM executions WHERE id = ANY($1) AND NOT header->'control' ? 'ended') AS open,
         (SELECT count(*)::int FROM executions WHERE flow_id = 'after_files'
            AND header->'trigger'->'variables'->>'executionId' = ANY($1) AND header->'control' ? 'ended') AS after`,
      [ids],
    );
    if (rows[0]!.open === 0 && rows[0]!.after >= ids.length) return;
    if (Date.now() > deadline)
      throw new Error(`unfinished after ${timeoutMs} ms: ${JSON.stringify(rows[0])}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Every execution succeeded and read its own file twice; one downstream each, succeeded. */
async function checkRun(ids: string[]): Promise<void> {
  const states = await client.query<{ state: string; n: number }>(
    'SELECT state, count(*)::int AS n FROM executions WHERE id = ANY($1) GROUP BY 1',
    [ids],
  );
  expect(states.rows).toEqual([{ state: 'SUCCESS', n: ids.length }]);
  const reads = await client.query<{ message: string; n: string }>(
    `SELECT l.message, e.header->'inputs'->>'n' AS n FROM logs l JOIN executions e ON e.id = l.execution_id
     WHERE l.execution_id = ANY($1) AND l.task_id = 'read'`,
    [ids],
  );
  expect(reads.rows).toHaveLength(ids.length * 2);
  for (const row of reads.rows) expect(row.message).toMatch(new RegExp(`^[ab] line ${row.n}$`));
  const downstream = await client.query<{ upstream: string; n: number; ok: boolean }>(
    `SELECT header->'trigger'->'variables'->>'executionId' AS upstream, count(*)::int AS n,
            bool_and(state = 'SUCCESS') AS ok
     FROM executions WHERE flow_id = 'after_files' AND header->'trigger'->'variables'->>'executionId' = ANY($1)
     GROUP BY 1`,
    [ids],
  );
  expect(downstream.rows).toHaveLength(ids.length);
  for (const row of downstream.rows) expect([row.n, row.ok]).toEqual([1, true]);
}

beforeAll(async () => {
  if (!db.available) return;
  client = new pg.Client({ connectionString: db.url });
  // Both start at once on an empty database: one migrates, the other waits for it.
  await Promise.all([startStandalone('one'), startStandalone('two')]);
  await client.connect();
  // Saved through the process that does not fire the triggers: the other learns of them from
  // PostgreSQL, before it reacts to the executions' ends.
  let leader: number | undefined;
  for (let tries = 0; leader === undefined && tries < 300; tries++) {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT m.pid FROM cluster_leases l JOIN cluster_members m ON m.id = l.holder WHERE l.name = 'scheduler'`,
    );
    leader = rows[0]?.pid;
    if (leader === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const standby = processes.find((p) => p.child.pid !== leader)!;
  expect(processes.filter((p) => p.child.pid === leader)).toHaveLength(1);
  for (const source of FLOWS) {
    const saved = await fetch(`${standby.url}/api/v1/main/flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-yaml' },
      body: source,
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
  }
}, 120_000);

afterAll(async () => {
  const alive = processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  await Promise.all(alive.map((p) => p.stop()));
  await client?.end().catch(() => {});
  await db.drop();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

describe.skipIf(!db.available)('two standalone processes on one PostgreSQL database', () => {
  it('share the work: both run tasks, and every execution ends once, correctly', async () => {
    const ids = await submit(
      processes.map((p) => p.url),
      60,
      0,
    );
    await waitForAll(ids, 60_000);
    await checkRun(ids);
    // Both processes ran tasks: a shell task prints the process that started it.
    const { rows } = await client.query<{ message: string }>(
      `SELECT DISTINCT message FROM logs WHERE execution_id = ANY($1) AND task_id = 'where'`,
      [ids],
    );
    expect(rows.map((r) => r.message).sort()).toEqual(processes.map((p) => `worker ${p.child.pid}`).sort());
  }, 180_000);

  it('finish every execution on the survivor when one is SIGKILLed mid-run', async () => {
    const [one, two] = processes;
    const submitting = submit([two!.url], 60, 1000);
    // Killed once it has taken part in this run: it holds work of it when it dies.
    for (let tries = 0; ; tries++) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM logs l JOIN executions e ON e.id = l.execution_id
         WHERE (e.header->'inputs'->>'n')::int >= 1000 AND l.message = $1`,
        [`worker ${one!.child.pid}`],
      );
      if (rows[0]!.n > 0) break;
      if (tries > 300) throw new Error('the first process ran nothing of the second run');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    one!.child.kill('SIGKILL');
    const ids = await submitting;
    await waitForAll(ids, 60_000);
    await checkRun(ids);
  }, 180_000);
});
