/**
 * SQLite Query and Queries beyond test/plugins/jdbc/file-databases.test.ts: exact integers,
 * parameters of every kind, results read in batches from the SQLite thread, and kill or timeout
 * of a long statement (which runs on its own thread, so nothing else waits for it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStorage } from '../../../src/storage/local.js';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';

const LITE = 'io.kestra.plugin.jdbc.sqlite';
let rt: TestRuntime;
let storage: LocalStorage;
const dir = mkdtempSync(join(tmpdir(), 'wh-sqlite-'));
let counter = 0;
const flow = (tasks: string) => `id: lite_${++counter}\nnamespace: test.sqlite\ntasks:\n${tasks}`;

/** A statement that keeps SQLite busy for a few seconds (a recursive count). */
const SLOW_SQL =
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000000) SELECT count(*) AS n FROM c';

beforeAll(async () => {
  rt = await startTestRuntime({ workerConcurrency: 2 });
  storage = new LocalStorage(join(rt.dataDir, 'storage'));
});
afterAll(async () => {
  await rt?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite tasks', () => {
  it('reads results in batches: FETCH, STORE and FETCH_ONE of thousands of rows', async () => {
    const rows = `WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 2500) SELECT n, 'row ' || n AS label FROM c`;
    const ended = await rt.run(
      flow(`  - id: all
    type: ${LITE}.Query
    url: "jdbc:sqlite::memory:"
    sql: "${rows}"
    fetchType: FETCH
  - id: stored
    type: ${LITE}.Queries
    url: "jdbc:sqlite::memory:"
    sql: "${rows}; SELECT 1 AS one"
    fetchType: STORE
  - id: first
    type: ${LITE}.Queries
    url: "jdbc:sqlite::memory:"
    sql: "${rows}; SELECT 2 AS two"
    fetchType: FETCH_ONE`),
    );
    expect(statesOf(ended)).toEqual({ all: 'SUCCESS', stored: 'SUCCESS', first: 'SUCCESS' });
    const all = outputsOf(ended, 'all')!;
    expect(all.size).toBe(2500);
    expect((all.rows as unknown[])[2499]).toEqual({ n: 2500, label: 'row 2500' });
    const stored = outputsOf(ended, 'stored')!.outputs as { uri: string; size: number }[];
    expect(stored.map((s) => s.size)).toEqual([2500, 1]);
    const lines = (await storage.readBuffer(stored[0]!.uri)).toString().trimEnd().split('\n');
    expect(lines).toHaveLength(2500);
    expect(JSON.parse(lines[1000]!)).toEqual({ n: 1001, label: 'row 1001' });
    expect(outputsOf(ended, 'first')).toEqual({
      outputs: [
        { row: { n: 1, label: 'row 1' }, size: 1 },
        { row: { two: 2 }, size: 1 },
      ],
    });
  });

  it('keeps integers exact and binds parameters of every kind', async () => {
    const ended = await rt.run(
      flow(`  - id: typed
    type: ${LITE}.Query
    url: "jdbc:sqlite::memory:"
    sql: SELECT 9007199254740993 AS big, 42 AS small, 1.5 AS f, :yes AS yes, :nothing AS empty, :doc AS doc, :text AS text, x'616263' AS bytes
    parameters:
      yes: true
      nothing: null
      doc: { a: [1, 2] }
      text: "it's"
    fetchType: FETCH_ONE`),
    );
    expect(statesOf(ended)).toEqual({ typed: 'SUCCESS' });
    expect(outputsOf(ended, 'typed')!.row).toEqual({
      big: '9007199254740993',
      small: 42,
      f: 1.5,
      yes: 1,
      empty: null,
      doc: '{"a":[1,2]}',
      text: "it's",
      bytes: Buffer.from('abc').toString('base64'),
    });
  });

  it('a timeout fails a long statement at once, and other flows run meanwhile', async () => {
    const started = Date.now();
    const slow = rt.run(
      flow(`  - id: slow
    type: ${LITE}.Query
    url: "jdbc:sqlite::memory:"
    timeout: PT1S
    sql: ${SLOW_SQL}
    fetchType: FETCH_ONE`),
    );
    await new Promise((r) => setTimeout(r, 200));
    const otherStarted = Date.now();
    const other = await rt.run(
      flow(`  - id: quick
    type: io.kestra.plugin.core.debug.Return
    format: done`),
    );
    // The statement runs on its own thread: the executor and the worker's event loop stay free.
    expect(statesOf(other)).toEqual({ quick: 'SUCCESS' });
    expect(Date.now() - otherStarted).toBeLessThan(500);
    const ended = await slow;
    expect(statesOf(ended)).toEqual({ slow: 'FAILED' });
    expect(Date.now() - started).toBeLessThan(2500);
    expect((await rt.logs(ended.id)).join('\n')).toMatch(/timed out|timeout/i);
  });

  it('a kill ends the task within a second', async () => {
    const deployed = await rt.deploy(
      flow(`  - id: slow
    type: ${LITE}.Queries
    url: jdbc:sqlite:${join(dir, 'kill.db')}
    sql: CREATE TABLE t (n INTEGER); ${SLOW_SQL}`),
    );
    const execution = await rt.runtime.submit(deployed);
    await new Promise((r) => setTimeout(r, 400));
    const killedAt = Date.now();
    await rt.runtime.command(execution.id, { kind: 'kill' });
    const ended = await rt.runtime.waitForEnd(execution.id);
    expect(ended.state.current).toBe('KILLED');
    expect(Date.now() - killedAt).toBeLessThan(1000);
  });

  it('bad input fails clearly: a missing folder, a syntax error, a missing table', async () => {
    const ended = await rt.run(
      flow(`  - id: nofolder
    type: ${LITE}.Query
    allowFailure: true
    url: jdbc:sqlite:${join(dir, 'missing', 'x.db')}
    sql: SELECT 1
  - id: syntax
    type: ${LITE}.Query
    allowFailure: true
    url: "jdbc:sqlite::memory:"
    sql: SELEC 1
  - id: table
    type: ${LITE}.Query
    allowFailure: true
    url: "jdbc:sqlite::memory:"
    sql: SELECT * FROM nowhere`),
    );
    expect(statesOf(ended)).toEqual({ nofolder: 'WARNING', syntax: 'WARNING', table: 'WARNING' });
    const logs = (await rt.logs(ended.id)).filter((l) => l.startsWith('ERROR')).join('\n');
    expect(logs).toContain('the folder of the database file');
    expect(logs).toContain('does not exist; create it first');
    expect(logs).toContain('SQLite: near "SELEC": syntax error (SQLITE_ERROR)');
    expect(logs).toContain('SQLite: no such table: nowhere (SQLITE_ERROR)');
  });
});
