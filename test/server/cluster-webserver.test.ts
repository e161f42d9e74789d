/**
 * A cluster's web server executes nothing: another process's executor and worker do. Two
 * runtimes on one store stand for the two processes here (the multi-process test runs them as
 * OS processes on PostgreSQL): the API submits, follows an execution and its log over SSE, and
 * waits for an end it only sees in the store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/engine/runtime/runtime.js';
import { createScheduler } from '../../src/engine/scheduler/index.js';
import type { Scheduler } from '../../src/engine/scheduler/index.js';
import { catalog } from '../../src/plugins/registry.js';
import { buildServer } from '../../src/server/app.js';
import { LocalStorage } from '../../src/storage/local.js';
import type { Store } from '../../src/store/contract.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { parseSse, readAllEvents } from './sse-client.js';

const FLOW = `id: slow_steps
namespace: company.team
tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: step one
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.6S
  - id: last
    type: io.kestra.plugin.core.log.Log
    message: step two
`;

let dir: string;
let store: Store;
let executor: Runtime;
let web: Runtime;
let scheduler: Scheduler;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-cluster-web-'));
  store = await openSqliteStore(join(dir, 'windhover.db'));
  const storage = new LocalStorage(join(dir, 'storage'));
  const common = { store, storage, cluster: { exclusive: false, heartbeatMs: 200 } };
  executor = new Runtime({
    ...common,
    workRoot: join(dir, 'work-a'),
    cluster: { ...common.cluster, id: 'exec' },
  });
  web = new Runtime({
    ...common,
    workRoot: join(dir, 'work-b'),
    roles: { executor: false, worker: false },
    cluster: { ...common.cluster, id: 'web', roles: ['webserver'] },
  });
  await executor.start();
  await web.start();
  scheduler = createScheduler({ runtime: web, store, catalog, cluster: { memberId: 'web', fires: false } });
  await scheduler.start();
  const app = await buildServer({ runtime: web, store, storage, catalog, scheduler }, { uiRoot: false });
  url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/api/v1/main`;
  close = async () => {
    await app.close();
    await scheduler.stop();
    await web.stop(1000);
    await executor.stop(1000);
    await store.close();
  };
  const saved = await fetch(`${url}/flows`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-yaml' },
    body: FLOW,
  });
  expect(saved.status).toBe(200);
});

afterAll(async () => {
  await close();
  await rm(dir, { recursive: true, force: true });
});

describe('a web server that executes nothing', () => {
  it('is a member with its role only', async () => {
    const members = await store.listMembers();
    expect(members.map((m) => [m.id, m.roles])).toEqual(
      expect.arrayContaining([
        ['exec', ['executor', 'worker']],
        ['web', ['webserver']],
      ]),
    );
  });

  it('follows an execution run elsewhere, change by change, to its end', async () => {
    const started = await fetch(`${url}/executions/company.team/slow_steps`, { method: 'POST' });
    const { id } = (await started.json()) as { id: string };
    const events = await readAllEvents(`${url}/executions/${id}/follow`);
    const states = events.map((e) => (JSON.parse(e.data) as { state: { current: string } }).state.current);
    expect(events.at(-1)?.id).toBe('end');
    expect(states.at(-1)).toBe('SUCCESS');
    // Seen while running too, not only at the end (the Sleep lasts 0.6 s; reads are 0.25 s apart).
    expect(events.filter((e) => e.id === 'progress').length).toBeGreaterThanOrEqual(1);
    expect(states).toContain('RUNNING');
  });

  it('follows the log written by another process, then closes at the end', async () => {
    const started = await fetch(`${url}/executions/company.team/slow_steps`, { method: 'POST' });
    const { id } = (await started.json()) as { id: string };
    const response = await fetch(`${url}/logs/${id}/follow`, { headers: { accept: 'text/event-stream' } });
    const lines = parseSse(await response.text()).map(
      (m) => (JSON.parse(m.data) as { message: string }).message,
    );
    expect(lines.filter((l) => l === 'step one' || l === 'step two')).toEqual(['step one', 'step two']);
    expect(new Set(lines).size).toBe(lines.length); // no line twice
  });

  it('waits for an end it only sees in the store (?wait=true)', async () => {
    const response = await fetch(`${url}/executions/company.team/slow_steps?wait=true`, { method: 'POST' });
    const body = (await response.json()) as { state: { current: string }; taskRunList: unknown[] };
    expect(body.state.current).toBe('SUCCESS');
    expect(body.taskRunList).toHaveLength(3);
  });
});
