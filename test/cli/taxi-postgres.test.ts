/**
 * The course's taxi load (examples/flows/12_taxi_postgres.yaml) end to end through
 * `windhover run`, against the real PostgreSQL: a shell task fetches a gzipped month of
 * synthetic taxi trips from a real HTTP server with `wget | gunzip`, an `If` per colour creates
 * the tables, CopyIn loads the staging table, an UPDATE gives rows md5 ids, a MERGE fills the
 * final table, and the execution's files are purged. Loading the same month twice adds nothing.
 * The same flow runs again on `windhover server standalone` with its store and internal storage
 * in PostgreSQL, submitted through the API, loading a database of its own.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import { startServerProcess } from './server-process.js';
import type { ServerProcess } from './server-process.js';
import { windhoverAsync } from './windhover.js';

const db = await createPostgresDatabase('taxi');
/** Where the standalone server loads the trips, and where it keeps its store and files. */
const standaloneDb = await createPostgresDatabase('taxi_sa');
const storeDb = await createPostgresDatabase('taxi_store');
const ROWS = { yellow: 4000, green: 2500 };
const dir = mkdtempSync(join(tmpdir(), 'windhover-taxi-'));
// Run as root, script tasks run as users of their own, which pass through here to their working directories.
chmodSync(dir, 0o711);

/** A gzipped month of synthetic trips, in the public files' layout. */
function gzippedMonth(taxi: 'yellow' | 'green'): Buffer {
  return spawnSync(
    process.execPath,
    ['test/fixtures/make-taxi-csv.mjs', taxi, '2019-01', String(ROWS[taxi]), '--gz'],
    { maxBuffer: 64 * 1024 * 1024 },
  ).stdout;
}

let server: Server;
let sourceUrl = '';
let flowFile = '';
let example = '';

/** The example as written, pointed at a test database. */
function flowFor(target: TestDatabase): string {
  return example
    .replace('url: jdbc:postgresql://127.0.0.1:5432/test', `url: ${target.jdbcUrl}`)
    .replace('username: postgres', `username: ${target.username}`);
}

beforeAll(async () => {
  if (!db.available) return;
  const files = new Map([
    ['/yellow/yellow_tripdata_2019-01.csv.gz', gzippedMonth('yellow')],
    ['/green/green_tripdata_2019-01.csv.gz', gzippedMonth('green')],
  ]);
  server = createServer((req, res) => {
    const body = files.get(req.url ?? '');
    if (!body) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/gzip' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sourceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  example = readFileSync('examples/flows/12_taxi_postgres.yaml', 'utf8');
  expect(example).toContain('url: jdbc:postgresql://127.0.0.1:5432/test');
  flowFile = join(dir, 'taxi.yaml');
  writeFileSync(flowFile, flowFor(db));
});

afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await db.drop();
  await standaloneDb.drop();
  await storeDb.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function count(table: string, target: TestDatabase = db): Promise<number> {
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const result = await client.query<{ n: string; ids: string; files: string }>(
      `SELECT count(*) AS n, count(unique_row_id) AS ids, count(DISTINCT filename) AS files FROM ${table}`,
    );
    const row = result.rows[0]!;
    expect(Number(row.ids)).toBe(Number(row.n)); // every row got its md5 id
    return Number(row.n);
  } finally {
    await client.end();
  }
}

interface ExecutionJson {
  state: { current: string };
  labels: Array<{ key: string; value: string }>;
  taskRunList: Array<{ taskId: string; state: { current: string }; outputs?: Record<string, unknown> }>;
}

/** Runs the flow for a colour and returns the ended execution. */
type Loader = (taxi: 'yellow' | 'green') => Promise<ExecutionJson>;

const loadWithRun: Loader = async (taxi) => {
  const run = await windhoverAsync([
    'run',
    flowFile,
    '--data',
    join(dir, 'data'),
    '--json',
    '-i',
    `taxi=${taxi}`,
    '-i',
    `source_url=${sourceUrl}`,
  ]);
  expect(run.stderr, run.stderr).not.toMatch(/FAILED/);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as ExecutionJson;
};

/** The assertions, whichever way the flow runs, loading `target`. */
function loadsTaxiMonths(load: Loader, target: TestDatabase): void {
  it('loads a yellow month, and loading it again adds nothing (MERGE on md5 ids)', async () => {
    const first = await load('yellow');
    expect(first.state.current).toBe('SUCCESS');
    expect(first.labels).toEqual(
      expect.arrayContaining([
        { key: 'file', value: 'yellow_tripdata_2019-01.csv' },
        { key: 'taxi', value: 'yellow' },
      ]),
    );
    const ran = first.taskRunList.map((r) => `${r.taskId}:${r.state.current}`);
    expect(ran).toEqual(
      expect.arrayContaining([
        'yellow_create_tables:SUCCESS',
        'yellow_copy_in:SUCCESS',
        'yellow_merge:SUCCESS',
        'purge_files:SUCCESS',
      ]),
    );
    expect(ran.some((r) => r.startsWith('green_'))).toBe(false);
    const copy = first.taskRunList.find((r) => r.taskId === 'yellow_copy_in')!;
    expect(copy.outputs?.rowCount).toBe(ROWS.yellow);
    expect(await count('public.yellow_tripdata', target)).toBe(ROWS.yellow);

    // The purge removed the downloaded CSV from internal storage.
    const extract = first.taskRunList.find((r) => r.taskId === 'extract')!;
    const csv = (extract.outputs?.outputFiles as Record<string, string>)['yellow_tripdata_2019-01.csv']!;
    const purged = first.taskRunList.find((r) => r.taskId === 'purge_files')!.outputs?.uris as string[];
    expect(purged).toContain(csv);

    const second = await load('yellow');
    expect(second.state.current).toBe('SUCCESS');
    expect(await count('public.yellow_tripdata', target)).toBe(ROWS.yellow);
    expect(await count('public.yellow_tripdata_staging', target)).toBe(ROWS.yellow);
  }, 30_000);

  it('loads a green month through its own branch and tables', async () => {
    const execution = await load('green');
    expect(execution.taskRunList.some((r) => r.taskId.startsWith('yellow_'))).toBe(false);
    expect(await count('public.green_tripdata', target)).toBe(ROWS.green);
  }, 30_000);
}

describe.skipIf(!db.available)(`course taxi load into PostgreSQL ${db.reason}`, () => {
  loadsTaxiMonths(loadWithRun, db);
});

describe.skipIf(!db.available)(
  `course taxi load on server standalone, store and files in PostgreSQL ${db.reason}`,
  () => {
    const API = '/api/v1/main';
    let server: ServerProcess | undefined;

    beforeAll(async () => {
      server = await startServerProcess(
        [
          'server',
          'standalone',
          '--data',
          join(dir, 'standalone'),
          '--port',
          '0',
          '--store-url',
          storeDb.url,
        ],
        { WINDHOVER_STORAGE_URL: storeDb.url },
        30_000,
      );
      expect(server.stdout()).toContain('store postgres://');
      const saved = await fetch(`${server.url}${API}/flows`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-yaml' },
        body: flowFor(standaloneDb),
      });
      expect(saved.status, await saved.clone().text()).toBe(200);
    }, 40_000);

    afterAll(async () => {
      if (server) expect(await server.stop()).toBe(0);
    });

    loadsTaxiMonths(async (taxi) => {
      const form = new FormData();
      form.set('taxi', taxi);
      form.set('source_url', sourceUrl);
      const run = await fetch(`${server!.url}${API}/executions/zoomcamp/postgres_taxi?wait=true`, {
        method: 'POST',
        body: form,
      });
      const text = await run.text();
      expect(run.status, `${text}\n${server!.stderr()}`).toBe(200);
      const execution = JSON.parse(text) as ExecutionJson;
      expect(execution.state.current, `${text}\n${server!.stderr()}`).toBe('SUCCESS');
      return execution;
    }, standaloneDb);
  },
);
