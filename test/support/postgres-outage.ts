/**
 * A PostgreSQL outage in the middle of a run of `windhover server standalone`, for the tests
 * that take the database away (test/cli/postgres-disconnect.test.ts ends the database's
 * sessions and refuses new ones; test/isolated/postgres-restart.test.ts stops and starts the
 * server). Both do it on a private cluster of their own (test/support/private-postgres.ts),
 * never on the machine's shared server. Each starts the server as an OS process, starts many
 * executions, makes its outage, then checks with the helpers here that every execution ended
 * in SUCCESS, once, with all of its task runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startServerProcess } from '../cli/server-process.js';
import type { ServerProcess } from '../cli/server-process.js';
import type { TestDatabase } from './databases.js';
import { withClient } from './postgres-store.js';

const API = '/api/v1/main';
export const OUTAGE_NAMESPACE = 'outage.test';

/**
 * Log tasks, a Sleep of 1 to 10 s (timers spread over the run), a shell command sleeping a second
 * (running jobs when the database goes) and a ForEach over three items: every kind of work in
 * flight during the outage.
 */
const FLOW = `id: busy
namespace: ${OUTAGE_NAMESPACE}
inputs:
  - id: n
    type: INT
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "start {{ inputs.n }}"
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: "PT{{ 1 + inputs.n % 10 }}S"
  - id: work
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - sleep 1
      - echo "worked {{ inputs.n }}"
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [a, b, c]
    tasks:
      - id: item
        type: io.kestra.plugin.core.log.Log
        message: "item {{ taskrun.value }} of {{ inputs.n }}"
  - id: bye
    type: io.kestra.plugin.core.log.Log
    message: "end {{ inputs.n }}"
`;

/** A standalone server on `db` (store and internal storage), with its data folder. */
export interface OutageServer {
  server: ServerProcess;
  /** Stops the process and removes its data folder; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `server standalone` on `db` with few worker slots (8), so that 100 executions take
 * long enough for the outage to land in the middle of the run.
 */
export async function startOutageServer(db: TestDatabase): Promise<OutageServer> {
  const data = mkdtempSync(join(tmpdir(), 'wh-pg-outage-'));
  const server = await startServerProcess(
    [
      'server',
      'standalone',
      '--data',
      data,
      '--port',
      '0',
      '--store-url',
      db.url,
      '--worker-concurrency',
      '8',
    ],
    { WINDHOVER_STORAGE_URL: db.url },
    30_000,
  );
  return {
    server,
    async stop() {
      const code = await server.stop();
      rmSync(data, { recursive: true, force: true });
      return code;
    },
  };
}

/** Deploys the flow (an error when the API refuses it). */
export async function deployOutageFlow(url: string): Promise<void> {
  const saved = await fetch(`${url}${API}/flows`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-yaml' },
    body: FLOW,
  });
  if (saved.status !== 200) throw new Error(`deploying the flow: ${saved.status} ${await saved.text()}`);
}

/**
 * Starts `count` executions (inputs 1…count) without waiting for them, ten requests at a time
 * (quickly, so that the outage finds most of them unfinished); returns their ids in input order.
 */
export async function startExecutions(url: string, count: number): Promise<string[]> {
  const start = async (n: number): Promise<string> => {
    const response = await fetch(`${url}${API}/executions/${OUTAGE_NAMESPACE}/busy`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n }),
    });
    const body = (await response.json()) as { id?: string };
    if (response.status !== 200 || body.id === undefined)
      throw new Error(`starting execution ${n}: ${response.status} ${JSON.stringify(body)}`);
    return body.id;
  };
  const ids: string[] = [];
  for (let first = 1; first <= count; first += 10) {
    const batch = Array.from({ length: Math.min(10, count - first + 1) }, (_, i) => start(first + i));
    ids.push(...(await Promise.all(batch)));
  }
  return ids;
}

/** An execution as the API returns it (the fields checked). */
export interface ExecutionView {
  id: string;
  state: { current: string };
  taskRunList: { taskId: string; value?: string; state: { current: string } }[];
}

/**
 * Polls the API until every execution of `ids` ended (or `timeoutMs` passed); returns each one's
 * last view. Failed requests (the server answers 503 while the database is away) are retried.
 */
export async function waitForEnd(
  url: string,
  ids: readonly string[],
  timeoutMs: number,
): Promise<ExecutionView[]> {
  const deadline = Date.now() + timeoutMs;
  const last = new Map<string, ExecutionView>();
  const ended = (view: ExecutionView | undefined) =>
    view !== undefined &&
    ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'].includes(view.state.current);
  while (Date.now() < deadline) {
    for (const id of ids) {
      if (ended(last.get(id))) continue;
      const response = await fetch(`${url}${API}/executions/${id}`).catch(() => undefined);
      if (response?.status === 200) last.set(id, (await response.json()) as ExecutionView);
    }
    if (ids.every((id) => ended(last.get(id)))) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return ids.map((id) => last.get(id) ?? { id, state: { current: 'UNKNOWN' }, taskRunList: [] });
}

/** What the store holds: the flow's executions (distinct ids, ended ones), jobs, events and timers. */
export interface StoreCounts {
  executions: number;
  distinctIds: number;
  succeeded: number;
  /** Executions whose shell command ran. */
  worked: number;
  jobs: number;
  events: number;
  timers: number;
}

/** Counts what the store holds (see StoreCounts). */
export async function storeCounts(dbUrl: string): Promise<StoreCounts> {
  return withClient(dbUrl, async (client) => {
    const { rows } = await client.query<{ executions: string; distinct_ids: string; succeeded: string }>(
      `SELECT count(*) AS executions, count(DISTINCT id) AS distinct_ids,
              count(*) FILTER (WHERE state = 'SUCCESS') AS succeeded
       FROM executions WHERE namespace = $1`,
      [OUTAGE_NAMESPACE],
    );
    const left = async (table: string) =>
      Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
    return {
      executions: Number(rows[0]!.executions),
      distinctIds: Number(rows[0]!.distinct_ids),
      succeeded: Number(rows[0]!.succeeded),
      worked: Number(
        (
          await client.query<{ n: string }>(
            `SELECT count(*) AS n FROM task_runs WHERE body->>'taskId' = 'work' AND body->'state'->>'current' = 'SUCCESS'`,
          )
        ).rows[0]!.n,
      ),
      jobs: await left('jobs'),
      events: await left('events'),
      timers: await left('timers'),
    };
  });
}

/**
 * Waits until the run is under way (up to 20 s): a round of the eight worker slots' shell
 * commands done, others running and queued, Sleep timers pending, so that the outage catches
 * every kind of work in flight. Returns the store's counts then; throws if that never happened.
 */
export async function runUnderWay(dbUrl: string): Promise<StoreCounts> {
  const deadline = Date.now() + 20_000;
  const underWay = (c: StoreCounts) => c.worked >= 8 && c.timers > 0 && c.jobs > 0;
  let counts = await storeCounts(dbUrl);
  while (!underWay(counts)) {
    if (Date.now() > deadline)
      throw new Error(`the run did not get under way as planned: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    counts = await storeCounts(dbUrl);
  }
  return counts;
}

/** The task runs each execution must have: hello, nap, work, each + 3 items, bye. */
export const EXPECTED_TASK_RUNS = 8;

/** Counts task runs per (task, value) of one execution: a duplicate shows as a count above 1. */
export function duplicateTaskRuns(view: ExecutionView): string[] {
  const seen = new Map<string, number>();
  for (const run of view.taskRunList) {
    const key = `${run.taskId}${run.value !== undefined ? `[${run.value}]` : ''}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([key, n]) => `${view.id} ${key} ×${n}`);
}

/**
 * The executions of `views` that did not succeed, each with its task runs' states and its
 * WARN/ERROR log lines: what an assertion shows when the outage cost one.
 */
export async function unsuccessful(url: string, views: readonly ExecutionView[]): Promise<string[]> {
  const failed = views.filter((view) => view.state.current !== 'SUCCESS');
  return Promise.all(
    failed.map(async (view) => {
      const response = await fetch(`${url}${API}/logs/${view.id}`).catch(() => undefined);
      const logs =
        response?.status === 200 ? ((await response.json()) as { level: string; message: string }[]) : [];
      const problems = logs.filter((line) => line.level === 'ERROR' || line.level === 'WARN');
      const runs = view.taskRunList.map((run) => `${run.taskId}=${run.state.current}`).join(' ');
      return `${view.id} ${view.state.current} [${runs}] ${problems.map((line) => line.message).join(' | ')}`;
    }),
  );
}

/** Polls GET /health until it answers 200 (or `timeoutMs` passed); returns the last status. */
export async function waitForHealth(url: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await fetch(`${url}/health`).catch(() => undefined))?.status ?? 0;
    if (status === 200) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return status;
}

/** What a run looked like around its outage, for expectRecovered. */
export interface OutageRun {
  server: ServerProcess;
  dbUrl: string;
  executions: number;
  /** The store when the outage began (runUnderWay). */
  before: StoreCounts;
  /** What /health answered once the database was back. */
  healthy: number;
  views: readonly ExecutionView[];
  /** What the server's standard error must say of the outage. */
  noticed: RegExp;
}

/**
 * The outage tests' verdict: the outage came mid-run (executions unfinished, jobs and timers
 * pending), and afterwards every execution ended SUCCESS once with all of its task runs,
 * nothing is left queued, and the server lives, having said what happened in a line or a few
 * rather than a stack per failed query.
 */
export async function expectRecovered(run: OutageRun): Promise<void> {
  const { server, before, views, executions } = run;
  expect(before.succeeded).toBeLessThan(executions);
  expect(before.timers).toBeGreaterThan(0);
  expect(before.worked).toBeLessThan(executions);
  expect(run.healthy).toBe(200);
  expect(await unsuccessful(server.url, views)).toEqual([]);
  expect(views.flatMap(duplicateTaskRuns)).toEqual([]);
  expect(views.filter((v) => v.taskRunList.length !== EXPECTED_TASK_RUNS).map((v) => v.id)).toEqual([]);
  const after = await storeCounts(run.dbUrl);
  expect(after).toMatchObject({ executions, distinctIds: executions, jobs: 0, timers: 0 });
  expect(server.child.exitCode).toBeNull();
  expect(server.stderr()).toMatch(run.noticed);
  expect(server.stderr()).not.toMatch(/^\s+at /m);
}
