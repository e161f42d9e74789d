/**
 * DuckDB Query and Queries beyond test/plugins/jdbc/file-databases.test.ts: typed values as later
 * expressions see them, STORE read back, a kill interrupting a long query, and bad input.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStorage } from '../../../src/storage/local.js';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';

const DUCK = 'io.kestra.plugin.jdbc.duckdb';
let rt: TestRuntime;
let storage: LocalStorage;
const dir = mkdtempSync(join(tmpdir(), 'wh-duckdb-'));
let counter = 0;
const flow = (tasks: string) => `id: duck_${++counter}\nnamespace: test.duckdb\ntasks:\n${tasks}`;

const errors = async (executionId: string) =>
  (await rt.logs(executionId)).filter((l) => l.startsWith('ERROR')).join('\n');

beforeAll(async () => {
  rt = await startTestRuntime({ workerConcurrency: 2 });
  storage = new LocalStorage(join(rt.dataDir, 'storage'));
});
afterAll(async () => {
  await rt?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('DuckDB tasks', () => {
  it('gives typed values as PostgreSQL and MySQL do, usable in later expressions', async () => {
    const ended = await rt.run(
      flow(`  - id: typed
    type: ${DUCK}.Query
    sql: |
      SELECT 12.50::DECIMAL(10,2) AS price, 12345678901234567890123456789.5::DECIMAL(38,1) AS huge,
             9007199254740993::BIGINT AS big, 42::BIGINT AS small, 170141183460469231731687303715884105727::HUGEINT AS hugeint,
             DATE '2024-05-01' AS day, TIMESTAMP '2024-05-01 12:30:00.25' AS local,
             TIMESTAMPTZ '2024-05-01 12:30:00+02' AS at, TIME '10:11:12' AS t, INTERVAL 3 DAY AS span,
             [1, 2, 3] AS ints, {'name': 'pen', 'price': 1.50::DECIMAL(4,2), 'days': [DATE '2024-01-02']} AS doc,
             'abc'::BLOB AS bytes, true AS yes, NULL::VARCHAR AS nothing, 1.5::DOUBLE AS f
    fetchType: FETCH_ONE
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.typed.row.day }} | {{ outputs.typed.row.price + 1 }} | {{ outputs.typed.row.doc.name }} | {{ outputs.typed.row.ints | length }} | {{ outputs.typed.row.doc.days[0] }}"`),
    );
    expect(statesOf(ended)).toEqual({ typed: 'SUCCESS', show: 'SUCCESS' });
    expect(outputsOf(ended, 'typed')!.row).toEqual({
      price: 12.5,
      huge: '12345678901234567890123456789.5',
      big: '9007199254740993',
      small: 42,
      hugeint: '170141183460469231731687303715884105727',
      day: '2024-05-01',
      local: '2024-05-01T12:30:00.25',
      at: '2024-05-01T10:30:00Z',
      t: '10:11:12',
      span: '3 days',
      ints: [1, 2, 3],
      doc: { name: 'pen', price: 1.5, days: ['2024-01-02'] },
      bytes: Buffer.from('abc').toString('base64'),
      yes: true,
      nothing: null,
      f: 1.5,
    });
    expect(await rt.logs(ended.id)).toContain('INFO show 2024-05-01 | 13.5 | pen | 3 | 2024-01-02');
  });

  it('STORE streams a large result to a file, one JSON line per row', async () => {
    const ended = await rt.run(
      flow(`  - id: store
    type: ${DUCK}.Query
    sql: SELECT range AS n, 'row ' || range AS label FROM range(1, 100001)
    fetchType: STORE`),
    );
    expect(statesOf(ended)).toEqual({ store: 'SUCCESS' });
    const outputs = outputsOf(ended, 'store')!;
    expect(outputs.size).toBe(100_000);
    const lines = (await storage.readBuffer(String(outputs.uri))).toString().trimEnd().split('\n');
    expect(lines).toHaveLength(100_000);
    expect(JSON.parse(lines[0]!)).toEqual({ n: 1, label: 'row 1' });
    expect(JSON.parse(lines[99_999]!)).toEqual({ n: 100_000, label: 'row 100000' });
  });

  it('Queries on a file database: a transaction rolled back on failure leaves the file as it was', async () => {
    const file = join(dir, 'tx.duckdb');
    const ended = await rt.run(
      flow(`  - id: setup
    type: ${DUCK}.Queries
    url: jdbc:duckdb:${file}
    sql: CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)
  - id: failing
    type: ${DUCK}.Queries
    url: jdbc:duckdb:${file}
    allowFailure: true
    sql: INSERT INTO t VALUES (2); INSERT INTO t VALUES (1)
  - id: count
    type: ${DUCK}.Query
    url: jdbc:duckdb:${file}
    sql: SELECT count(*) AS n FROM t
    fetchType: FETCH_ONE`),
    );
    expect(statesOf(ended)).toEqual({ setup: 'SUCCESS', failing: 'WARNING', count: 'SUCCESS' });
    expect(await errors(ended.id)).toContain('Duplicate key "id: 1"');
    expect(outputsOf(ended, 'count')).toEqual({ row: { n: 1 }, size: 1 });
  });

  it('a kill interrupts a long query within a second', async () => {
    const deployed = await rt.deploy(
      flow(`  - id: long
    type: ${DUCK}.Query
    sql: SELECT count(*) FROM range(100000000000) a`),
    );
    const execution = await rt.runtime.submit(deployed);
    // Let the query start.
    for (let i = 0; i < 100; i++) {
      const current = await rt.store.getExecution(execution.id);
      if (current?.taskRunList.some((r) => r.state.current === 'RUNNING')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 300));
    const killedAt = Date.now();
    await rt.runtime.command(execution.id, { kind: 'kill' });
    const ended = await rt.runtime.waitForEnd(execution.id);
    expect(ended.state.current).toBe('KILLED');
    expect(Date.now() - killedAt).toBeLessThan(1000);
  });

  it('bad input fails clearly: a syntax error, a missing input file, an unknown parameter', async () => {
    const ended = await rt.run(
      flow(`  - id: syntax
    type: ${DUCK}.Query
    allowFailure: true
    sql: SELEC 1
  - id: missing
    type: ${DUCK}.Query
    allowFailure: true
    sql: SELECT * FROM read_csv_auto('nothere.csv')
  - id: param
    type: ${DUCK}.Query
    allowFailure: true
    sql: SELECT :nope AS x
    parameters:
      yes: 1`),
    );
    expect(statesOf(ended)).toEqual({ syntax: 'WARNING', missing: 'WARNING', param: 'WARNING' });
    const logs = await errors(ended.id);
    expect(logs).toMatch(/DuckDB: .*Parser Error: syntax error at or near "SELEC"/);
    expect(logs).toMatch(/DuckDB: IO Error: No files found that match the pattern "nothere.csv"/);
    expect(logs).toContain('`:nope`, which `parameters` does not define (given: `yes`)');
  });
});
