/**
 * API requests while the store's PostgreSQL is away answer 503 `WH_STORE_UNAVAILABLE` with
 * `Retry-After`, never a 500, and succeed again once it is back: the server stopped, a request's
 * own session terminated under it, the pool out of connections. A web server (no executor or
 * worker) over real HTTP, on a private PostgreSQL cluster (test/support/private-postgres.ts) that
 * this file stops and whose sessions it ends, so no other client of the machine is touched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/engine/runtime/runtime.js';
import { createScheduler } from '../../src/engine/scheduler/index.js';
import { ErrorCodes } from '../../src/errors.js';
import { catalog } from '../../src/plugins/registry.js';
import { buildServer } from '../../src/server/app.js';
import { isStoreOutage } from '../../src/server/store-outage.js';
import { LocalStorage } from '../../src/storage/local.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import type { PostgresStore } from '../../src/store/postgres/index.js';
import type { TestDatabase } from '../support/databases.js';
import { startPrivatePostgres } from '../support/private-postgres.js';

const started = await startPrivatePostgres('api-outage');
const cluster = started.cluster;
const NS = 'outage.api';
const FLOW = `id: hello
namespace: ${NS}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: hi
`;

let dir: string;
let db: TestDatabase;
let store: PostgresStore;
let runtime: Runtime;
let api: string;
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  if (!cluster) return;
  dir = mkdtempSync(join(tmpdir(), 'wh-api-outage-'));
  db = await cluster.createDatabase('api_outage');
  // Two connections, given up after 1 s: the pool runs out quickly in the pool test.
  store = await openPostgresStore(db.url, { poolSize: 2, connectionTimeoutMs: 1000 });
  runtime = new Runtime({
    store,
    storage: new LocalStorage(join(dir, 'storage')),
    workRoot: join(dir, 'work'),
    roles: { executor: false, worker: false },
    cluster: { id: 'web', roles: ['webserver'], exclusive: false, heartbeatMs: 500 },
  });
  await runtime.start();
  const scheduler = createScheduler({ runtime, store, catalog, cluster: { memberId: 'web', fires: false } });
  const app = await buildServer(
    { runtime, store, storage: runtime.storage, catalog, scheduler },
    { uiRoot: false },
  );
  api = `${await app.listen({ host: '127.0.0.1', port: 0 })}/api/v1/main`;
  close = async () => {
    await app.close();
    await runtime.stop(1000);
    await store.close();
  };
  const saved = await fetch(`${api}/flows`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-yaml' },
    body: FLOW,
  });
  expect(saved.status).toBe(200);
});

afterAll(async () => {
  await close().catch(() => {});
  cluster?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What a request answered: status, Retry-After, and the error code when there is one. */
async function ask(path: string, init?: RequestInit) {
  const response = await fetch(`${api}${path}`, init);
  const text = await response.text();
  let code: string | undefined;
  let message = '';
  try {
    ({ code, message = '' } = JSON.parse(text) as { code?: string; message?: string });
  } catch {
    code = undefined;
  }
  return { status: response.status, retryAfter: response.headers.get('retry-after'), code, message };
}

/** Runs `sql` on the test's database as the cluster's superuser, in a session of its own. */
async function admin<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Holds an exclusive lock on the flows table in a transaction of its own, so that API reads of
 * flows wait on it with their connection checked out; `release` rolls back.
 */
async function lockFlows(): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE flows IN ACCESS EXCLUSIVE MODE');
  return {
    release: async () => {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

/** The pids of sessions of the database waiting on a lock (API reads stuck behind lockFlows). */
async function waitingOnLock(count: number): Promise<number[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await admin<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows.length >= count) return rows.map((row) => row.pid);
    if (Date.now() > deadline) throw new Error(`${rows.length} sessions waiting on the lock, not ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Asks `path` until it answers 200 (or 20 s passed); returns the statuses seen on the way. */
async function untilOk(path: string): Promise<number[]> {
  const seen: number[] = [];
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { status } = await ask(path);
    seen.push(status);
    if (status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return seen;
}

describe.skipIf(!started.available)(`the API while PostgreSQL is away ${started.reason}`, () => {
  it('answers 503 with Retry-After while the server is stopped, and 200 once it is back', async () => {
    expect((await ask('/flows/search')).status).toBe(200);
    await cluster!.stop('fast');
    try {
      const requests: [string, RequestInit?][] = [
        ['/flows/search'],
        [`/flows/${NS}/hello`],
        ['/executions/search'],
        [`/executions/${NS}/hello`, { method: 'POST' }],
        [
          '/flows',
          {
            method: 'POST',
            headers: { 'content-type': 'application/x-yaml' },
            body: FLOW.replace('hello', 'other'),
          },
        ],
        [`/namespaces/${NS}/kv/some_key`],
      ];
      const answers = await Promise.all(requests.map(([path, init]) => ask(path, init)));
      for (const [i, answer] of answers.entries()) {
        expect({ request: requests[i]![0], ...answer }).toMatchObject({
          status: 503,
          retryAfter: '5',
          code: ErrorCodes.STORE_UNAVAILABLE,
        });
        // It says what to do, and gives away neither the database's address nor a path.
        expect(answer.message).toMatch(/retry/i);
        expect(answer.message).not.toMatch(new RegExp(`${cluster!.port}|/tmp|127\\.0\\.0\\.1`));
      }
      const health = await fetch(api.replace('/api/v1/main', '/health'));
      expect(health.status).toBe(503);
    } finally {
      await cluster!.start();
    }
    const seen = await untilOk('/flows/search');
    expect(seen.at(-1)).toBe(200);
    expect(seen.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    const found = (await (await fetch(`${api}/flows/search`)).json()) as { total: number };
    expect(found.total).toBe(1);
  });

  it('answers 503 when the request’s own session is terminated under it', async () => {
    expect((await ask(`/flows/${NS}/hello`)).status).toBe(200);
    const lock = await lockFlows();
    try {
      const pending = ask('/flows/search');
      const [pid] = await waitingOnLock(1);
      expect(await admin('SELECT pg_terminate_backend($1) AS ended', [pid])).toEqual([{ ended: true }]);
      expect(await pending).toMatchObject({
        status: 503,
        retryAfter: '5',
        code: ErrorCodes.STORE_UNAVAILABLE,
      });
    } finally {
      await lock.release();
    }
    expect((await ask('/flows/search')).status).toBe(200);
  });

  it('answers 503 when no pooled connection frees up in time, and serves the waiting ones after', async () => {
    const lock = await lockFlows();
    let answers: Awaited<ReturnType<typeof ask>>[];
    try {
      // The pool's two connections wait on the lock; the third request waits for one of them.
      const held = [ask('/flows/search'), ask('/flows/search')];
      await waitingOnLock(2);
      const starved = await ask('/flows/search');
      expect(starved).toMatchObject({ status: 503, retryAfter: '5', code: ErrorCodes.STORE_UNAVAILABLE });
      answers = await Promise.race([
        Promise.all(held).then(() => {
          throw new Error('the held requests ended while the lock was held');
        }),
        new Promise<never[]>((resolve) => setTimeout(() => resolve([]), 100)),
      ]);
      await lock.release();
      answers = await Promise.all(held);
    } catch (error) {
      await lock.release().catch(() => {});
      throw error;
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
  });
});

describe('which errors are a store outage', () => {
  const coded = (code: string, message = 'x', extra: object = {}) =>
    Object.assign(new Error(message), { code, ...extra });
  it.each([
    ['admin shutdown (a terminated session)', coded('57P01'), true],
    ['the server starting or stopping', coded('57P03', 'the database system is shutting down'), true],
    ['a connection failure', coded('08006'), true],
    ['too many clients', coded('53300'), true],
    ['connection refused', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), true],
    [
      'a stopped server’s missing unix socket',
      coded('ENOENT', 'connect ENOENT', { syscall: 'connect' }),
      true,
    ],
    ['a missing file', coded('ENOENT', 'no such file', { syscall: 'open' }), false],
    ['the pool out of time', new Error('timeout exceeded when trying to connect'), true],
    ['a connection cut under a query', new Error('Connection terminated unexpectedly'), true],
    [
      'a database refusing connections',
      coded('55000', 'database "x" is not currently accepting connections'),
      true,
    ],
    ['another 55000', coded('55000', 'sequence "s" is not yet defined in this session'), false],
    ['every address refused (AggregateError)', new AggregateError([coded('ECONNREFUSED')], 'connect'), true],
    ['a wrapped outage (cause)', new Error('reading flows failed', { cause: coded('57P01') }), true],
    ['SQLite locked by another process', coded('SQLITE_BUSY', 'database is locked'), true],
    ['a unique violation', coded('23505'), false],
    ['a syntax error', coded('42601'), false],
    ['a bug', new TypeError('x is undefined'), false],
  ])('%s', (_what, error, outage) => {
    expect(isStoreOutage(error)).toBe(outage);
  });
});
