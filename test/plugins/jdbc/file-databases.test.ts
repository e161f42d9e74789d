/**
 * SQLite and DuckDB Query/Queries through real flows, on database files in a temp folder and
 * in memory; DuckDB reading a taxi CSV that a previous task produced.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStorage } from '../../../src/storage/local.js';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';

let rt: TestRuntime;
let storage: LocalStorage;
const dir = mkdtempSync(join(tmpdir(), 'wh-filedb-'));
let counter = 0;
const flow = (tasks: string, extra = '') =>
  `id: filedb_${++counter}\nnamespace: test.filedb\n${extra}tasks:\n${tasks}`;

beforeAll(async () => {
  rt = await startTestRuntime({ workerConcurrency: 2 });
  storage = new LocalStorage(join(rt.dataDir, 'storage'));
});
afterAll(async () => {
  await rt.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function errorOf(executionId: string, taskId: string): Promise<string> {
  const logs = await rt.store.getLogs(executionId);
  return logs
    .filter((l) => l.taskId === taskId && l.level === 'ERROR')
    .map((l) => l.message)
    .join('\n');
}

describe('SQLite', () => {
  it('Queries create and fill a file database; Query reads it back with each fetchType', async () => {
    const file = join(dir, 'shop.db');
    const ended = await rt.run(
      flow(`  - id: setup
    type: io.kestra.plugin.jdbc.sqlite.Queries
    url: jdbc:sqlite:${file}
    sql: |
      CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL, tags TEXT);
      INSERT INTO items VALUES (1, 'pen', 1.5, '["a"]'), (2, 'ink; blue', 3.25, NULL), (3, 'pad', 2, '[]');
  - id: one
    type: io.kestra.plugin.jdbc.sqlite.Query
    url: jdbc:sqlite:${file}
    sql: SELECT name, price FROM items WHERE id = :id
    parameters:
      id: 2
    fetchType: FETCH_ONE
  - id: all
    type: io.kestra.plugin.jdbc.sqlite.Query
    url: jdbc:sqlite:${file}
    sql: SELECT id, name FROM items ORDER BY id
    fetchType: FETCH
  - id: stored
    type: io.kestra.plugin.jdbc.sqlite.Query
    url: jdbc:sqlite:${file}
    sql: SELECT id, price FROM items ORDER BY id
    fetchType: STORE
  - id: use
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.one.row.name }} costs {{ outputs.one.row.price }}; {{ outputs.all.size }} items"
`),
    );
    expect(statesOf(ended)).toEqual({
      setup: 'SUCCESS',
      one: 'SUCCESS',
      all: 'SUCCESS',
      stored: 'SUCCESS',
      use: 'SUCCESS',
    });
    expect(outputsOf(ended, 'use')).toEqual({ value: 'ink; blue costs 3.25; 3 items' });
    expect(outputsOf(ended, 'all')?.rows).toEqual([
      { id: 1, name: 'pen' },
      { id: 2, name: 'ink; blue' },
      { id: 3, name: 'pad' },
    ]);
    const stored = outputsOf(ended, 'stored')!;
    expect(stored.size).toBe(3);
    const lines = (await storage.readBuffer(String(stored.uri))).toString().trim().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { id: 1, price: 1.5 },
      { id: 2, price: 3.25 },
      { id: 3, price: 2 },
    ]);
  });

  it('rolls Queries back when a statement fails, with SQLite’s message', async () => {
    const file = join(dir, 'rollback.db');
    const ended = await rt.run(
      flow(`  - id: setup
    type: io.kestra.plugin.jdbc.sqlite.Queries
    url: jdbc:sqlite:${file}
    sql: CREATE TABLE t (id INTEGER PRIMARY KEY)
  - id: failing
    type: io.kestra.plugin.jdbc.sqlite.Queries
    url: jdbc:sqlite:${file}
    sql: |
      INSERT INTO t VALUES (1);
      INSERT INTO nowhere VALUES (2);
`),
    );
    expect(statesOf(ended)).toEqual({ setup: 'SUCCESS', failing: 'FAILED' });
    expect(await errorOf(ended.id, 'failing')).toMatch(/SQLite: no such table: nowhere \(SQLITE_ERROR\)/);
    const check = await rt.run(
      flow(`  - id: count
    type: io.kestra.plugin.jdbc.sqlite.Query
    url: jdbc:sqlite:${file}
    sql: SELECT count(*) AS n FROM t
    fetchType: FETCH_ONE
`),
    );
    expect(outputsOf(check, 'count')?.row).toEqual({ n: 0 });
  });

  it('a relative path is in the working directory; outputDbFile keeps the file; sqliteFile brings it back', async () => {
    const ended = await rt.run(
      flow(`  - id: make
    type: io.kestra.plugin.jdbc.sqlite.Queries
    url: jdbc:sqlite:local.db
    outputDbFile: true
    sql: |
      CREATE TABLE kv (k TEXT, v TEXT);
      INSERT INTO kv VALUES ('a', 'one');
  - id: reuse
    type: io.kestra.plugin.jdbc.sqlite.Query
    url: jdbc:sqlite:copy.db
    sqliteFile: "{{ outputs.make.databaseUri }}"
    sql: SELECT v FROM kv WHERE k = 'a'
    fetchType: FETCH_ONE
`),
    );
    expect(statesOf(ended)).toEqual({ make: 'SUCCESS', reuse: 'SUCCESS' });
    expect(String(outputsOf(ended, 'make')?.databaseUri)).toMatch(/^kestra:\/\/\/.*local\.db$/);
    expect(outputsOf(ended, 'reuse')?.row).toEqual({ v: 'one' });
  });

  it('a database in a folder that does not exist fails clearly, and so does a syntax error', async () => {
    const ended = await rt.run(
      flow(`  - id: syntax
    type: io.kestra.plugin.jdbc.sqlite.Query
    url: 'jdbc:sqlite::memory:'
    sql: SELEC 1
    allowFailure: true
  - id: nofolder
    type: io.kestra.plugin.jdbc.sqlite.Query
    url: jdbc:sqlite:${join(dir, 'missing', 'x.db')}
    sql: SELECT 1
`),
    );
    expect(statesOf(ended)).toEqual({ syntax: 'WARNING', nofolder: 'FAILED' });
    expect(await errorOf(ended.id, 'syntax')).toContain('SQLite: near "SELEC": syntax error (SQLITE_ERROR)');
    expect(await errorOf(ended.id, 'nofolder')).toContain('folder of the database file');
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});

describe('DuckDB', () => {
  it('reads a taxi CSV from a previous task with read_csv_auto and aggregates it', async () => {
    const csv = spawnSync(
      process.execPath,
      ['test/fixtures/make-taxi-csv.mjs', 'yellow', '2019-01', '2000'],
      {
        encoding: 'utf8',
      },
    ).stdout;
    const fares = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[10]));
    const ended = await rt.run(
      flow(`  - id: write
    type: io.kestra.plugin.core.storage.Write
    content: ${JSON.stringify(csv)}
    extension: .csv
  - id: stats
    type: io.kestra.plugin.jdbc.duckdb.Query
    inputFiles:
      trips.csv: "{{ outputs.write.uri }}"
    sql: |
      SELECT count(*) AS trips, round(sum(fare_amount), 2) AS fares, min(tpep_pickup_datetime) AS first
      FROM read_csv_auto('{{ workingDir }}/trips.csv')
    fetchType: FETCH_ONE
  - id: relative
    type: io.kestra.plugin.jdbc.duckdb.Query
    inputFiles:
      trips.csv: "{{ outputs.write.uri }}"
    sql: SELECT count(*) AS n FROM read_csv_auto('trips.csv') WHERE passenger_count > :min
    parameters:
      min: 3
    fetchType: FETCH_ONE
  - id: use
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.stats.row.trips }} trips, first at {{ outputs.stats.row.first }}"
`),
    );
    expect(statesOf(ended)).toEqual({
      write: 'SUCCESS',
      stats: 'SUCCESS',
      relative: 'SUCCESS',
      use: 'SUCCESS',
    });
    const row = outputsOf(ended, 'stats')?.row as { trips: number; fares: number };
    expect(row.trips).toBe(2000);
    expect(row.fares).toBeCloseTo(
      fares.reduce((a, b) => a + b, 0),
      1,
    );
    expect(String(outputsOf(ended, 'use')?.value)).toMatch(/^2000 trips, first at 2019-01-01T\d\d:\d\d:\d\d/);
    const passengers = csv
      .trim()
      .split('\n')
      .slice(1)
      .filter((l) => Number(l.split(',')[3]) > 3).length;
    expect(outputsOf(ended, 'relative')?.row).toEqual({ n: passengers });
  });

  it('Queries keep typed values, write outputFiles, and roll back on failure', async () => {
    const ended = await rt.run(
      flow(`  - id: many
    type: io.kestra.plugin.jdbc.duckdb.Queries
    outputFiles: [out]
    fetchType: FETCH
    sql: |
      CREATE TABLE t (id BIGINT, amount DECIMAL(10,2), ts TIMESTAMP, tags VARCHAR[]);
      INSERT INTO t VALUES (9007199254740993, 12.5, '2024-03-01 10:00:00', ['x', 'y']);
      SELECT * FROM t;
      COPY t TO '{{ outputFiles.out }}' (HEADER, DELIMITER ',');
  - id: broken
    type: io.kestra.plugin.jdbc.duckdb.Queries
    url: jdbc:duckdb:${join(dir, 'dd.duckdb')}
    sql: |
      CREATE TABLE IF NOT EXISTS k (id INT);
      INSERT INTO k VALUES (1);
      SELECT * FROM nowhere;
    allowFailure: true
  - id: after
    type: io.kestra.plugin.jdbc.duckdb.Query
    url: jdbc:duckdb:${join(dir, 'dd.duckdb')}
    sql: SELECT count(*) AS tables FROM information_schema.tables WHERE table_name = 'k'
    fetchType: FETCH_ONE
`),
    );
    expect(statesOf(ended)).toEqual({ many: 'SUCCESS', broken: 'WARNING', after: 'SUCCESS' });
    const outputs = outputsOf(ended, 'many')!;
    expect((outputs.outputs as Array<{ rows: unknown[] }>)[0]!.rows).toEqual([
      { id: '9007199254740993', amount: 12.5, ts: '2024-03-01T10:00:00', tags: ['x', 'y'] },
    ]);
    const file = (outputs.outputFiles as Record<string, string>).out!;
    expect((await storage.readBuffer(file)).toString()).toBe(
      'id,amount,ts,tags\n9007199254740993,12.50,2024-03-01 10:00:00,"[x, y]"\n',
    );
    expect(await errorOf(ended.id, 'broken')).toMatch(/DuckDB: .*nowhere/);
    expect(outputsOf(ended, 'after')?.row).toEqual({ tables: 0 });
  });

  it('a timeout interrupts a long DuckDB query', async () => {
    const started = Date.now();
    const ended = await rt.run(
      flow(`  - id: long
    type: io.kestra.plugin.jdbc.duckdb.Query
    timeout: PT1S
    sql: SELECT count(*) FROM range(100000000000) a
`),
    );
    expect(statesOf(ended)).toEqual({ long: 'FAILED' });
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe("the course notes' databases.sql.Query", () => {
  it('runs on the database its URL names, written as is or rendered from an input', async () => {
    const file = join(dir, 'course.db');
    const ended = await rt.run(
      flow(
        `  - id: literal
    type: io.kestra.plugin.databases.sql.Query
    url: jdbc:sqlite:${file}
    sql: CREATE TABLE IF NOT EXISTS trips (id INTEGER)
  - id: rendered
    type: io.kestra.plugin.databases.sql.Query
    url: "{{ inputs.url }}"
    sql: SELECT 42 AS answer
    fetchType: FETCH_ONE
`,
        `inputs:\n  - id: url\n    type: STRING\n`,
      ),
      { url: 'jdbc:duckdb:' },
    );
    expect(statesOf(ended)).toEqual({ literal: 'SUCCESS', rendered: 'SUCCESS' });
    expect(ended.taskRunList.find((r) => r.taskId === 'literal')).toBeDefined();
    expect(outputsOf(ended, 'rendered')?.row).toEqual({ answer: 42 });
    expect(existsSync(file)).toBe(true);

    const wrong = await rt.run(
      flow(
        `  - id: rendered
    type: io.kestra.plugin.databases.sql.Query
    url: "{{ inputs.url }}"
    sql: SELECT 1
`,
        `inputs:\n  - id: url\n    type: STRING\n`,
      ),
      { url: 'jdbc:oracle:thin:@host:1521:db' },
    );
    expect(statesOf(wrong)).toEqual({ rendered: 'FAILED' });
    expect(await errorOf(wrong.id, 'rendered')).toContain('cannot tell which database to run on');
  });
});
