/**
 * PostgreSQL Query, Queries, CopyIn and CopyOut against a real server (a database of this file's
 * own), through real flows (SQLite store, executor, worker, local storage).
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllPools } from '../../../src/plugins/jdbc/run/pools.js';
import { LocalStorage } from '../../../src/storage/local.js';
import { createPostgresDatabase } from '../../support/databases.js';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';

const db = await createPostgresDatabase('pgtasks');
const PG = 'io.kestra.plugin.jdbc.postgresql';

let rt: TestRuntime;
let storage: LocalStorage;
let admin: pg.Client;

/** A flow whose tasks connect to the test database through pluginDefaults. */
const flow = (tasks: string, defaults = true) => `id: pg_${Math.random().toString(36).slice(2, 8)}
namespace: test.pg
tasks:
${tasks}
${
  defaults
    ? `pluginDefaults:
  - type: ${PG}
    values:
      url: ${db.jdbcUrl}
      username: ${db.username}
      password: unused-with-trust-auth`
    : ''
}`;

const sql = async (text: string, values?: unknown[]): Promise<Record<string, unknown>[]> =>
  (await admin.query<Record<string, unknown>>(text, values)).rows;

/** Connections to the test database other than the test's own. */
async function taskConnections(): Promise<{ pid: number; state: string; query: string }[]> {
  return sql(
    'SELECT pid, state, query FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [db.name],
  ) as Promise<{ pid: number; state: string; query: string }[]>;
}

/** Closes the pools and checks that the task runs left no connection behind. */
async function expectNoConnectionsLeft(): Promise<void> {
  await closeAllPools();
  for (let i = 0; i < 50 && (await taskConnections()).length > 0; i++)
    await new Promise((r) => setTimeout(r, 20));
  expect(await taskConnections()).toEqual([]);
}

const storedText = async (uri: unknown) => (await storage.readBuffer(String(uri))).toString();

describe.skipIf(!db.available)(`PostgreSQL tasks ${db.reason}`, () => {
  beforeAll(async () => {
    rt = await startTestRuntime({ workerConcurrency: 4 });
    storage = new LocalStorage(join(rt.dataDir, 'storage'));
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`CREATE TABLE people (id int PRIMARY KEY, name text, born date);
      INSERT INTO people VALUES (1, 'Ada', '1815-12-10'), (2, 'Grace', '1906-12-09'), (3, 'Alan', '1912-06-23')`);
  });

  afterAll(async () => {
    await closeAllPools();
    await admin?.end();
    await rt?.dispose();
    await db.drop();
  });

  it('Query fetches one row, all rows, or nothing', async () => {
    const ended = await rt.run(
      flow(`  - id: one
    type: ${PG}.Query
    sql: SELECT id, name, born FROM people ORDER BY id
    fetchType: FETCH_ONE
  - id: all
    type: ${PG}.Query
    sql: SELECT id, name FROM people ORDER BY id
    fetchType: FETCH
  - id: none
    type: ${PG}.Query
    sql: SELECT * FROM people
  - id: empty
    type: ${PG}.Query
    sql: SELECT * FROM people WHERE id < 0
    fetchType: FETCH_ONE
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.one.row.name }} born {{ outputs.one.row.born }}; {{ outputs.all.size }} people"`),
    );
    expect(statesOf(ended)).toMatchObject({
      one: 'SUCCESS',
      all: 'SUCCESS',
      none: 'SUCCESS',
      log: 'SUCCESS',
    });
    expect(outputsOf(ended, 'one')).toEqual({ row: { id: 1, name: 'Ada', born: '1815-12-10' }, size: 1 });
    expect(outputsOf(ended, 'all')).toEqual({
      rows: [
        { id: 1, name: 'Ada' },
        { id: 2, name: 'Grace' },
        { id: 3, name: 'Alan' },
      ],
      size: 3,
    });
    expect(outputsOf(ended, 'none')).toEqual({});
    expect(outputsOf(ended, 'empty')).toEqual({ size: 0 });
    expect(await rt.logs(ended.id)).toContain('INFO log Ada born 1815-12-10; 3 people');
  });

  it('Query stores rows to a file, one JSON line per row, read by later tasks', async () => {
    const ended = await rt.run(
      flow(`  - id: store
    type: ${PG}.Query
    sql: SELECT g AS n, 'row ' || g AS label FROM generate_series(1, 2500) g
    fetchType: STORE
    fetchSize: 1000
  - id: count
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.store.size }} rows in {{ outputs.store.uri }}"`),
    );
    expect(statesOf(ended)).toEqual({ store: 'SUCCESS', count: 'SUCCESS' });
    const outputs = outputsOf(ended, 'store')!;
    expect(outputs.size).toBe(2500);
    expect(String(outputs.uri)).toMatch(/^kestra:\/\/.*\/result\.ion$/);
    const lines = (await storedText(outputs.uri)).trimEnd().split('\n');
    expect(lines).toHaveLength(2500);
    expect(JSON.parse(lines[0]!)).toEqual({ n: 1, label: 'row 1' });
    expect(JSON.parse(lines[2499]!)).toEqual({ n: 2500, label: 'row 2500' });
  });

  it('binds :name parameters, leaving casts and quoted text alone', async () => {
    const ended = await rt.run(
      flow(`  - id: q
    type: ${PG}.Query
    sql: "SELECT name, ':id' AS text, :name::text AS cast FROM people WHERE id = :id OR name = :name ORDER BY id"
    parameters:
      id: 2
      name: Alan
    fetchType: FETCH`),
    );
    expect(statesOf(ended)).toEqual({ q: 'SUCCESS' });
    expect(outputsOf(ended, 'q')).toEqual({
      rows: [
        { name: 'Grace', text: ':id', cast: 'Alan' },
        { name: 'Alan', text: ':id', cast: 'Alan' },
      ],
      size: 2,
    });
  });

  it('renders typed values (timestamptz, numeric, jsonb, arrays, bigint) in later expressions', async () => {
    const ended = await rt.run(
      flow(`  - id: typed
    type: ${PG}.Query
    timeZoneId: UTC
    sql: |
      SELECT '2024-05-01 12:30:00+02'::timestamptz AS at,
             '2024-05-01 12:30:00'::timestamp AS local,
             12.50::numeric AS price, 12345678901234567890.5::numeric AS huge,
             9007199254740993::bigint AS big, 42::bigint AS small,
             '{"a": {"b": [1, 2]}}'::jsonb AS doc, ARRAY[1, 2, 3] AS ints, ARRAY['x', NULL] AS texts,
             ARRAY[1.5, 2]::numeric[] AS nums, NULL::text AS nothing, true AS yes, 'abc'::bytea AS bytes
    fetchType: FETCH_ONE
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.typed.row.at }} | {{ outputs.typed.row.price + 1 }} | {{ outputs.typed.row.doc.a.b[1] }} | {{ outputs.typed.row.ints | length }}"`),
    );
    expect(statesOf(ended)).toEqual({ typed: 'SUCCESS', show: 'SUCCESS' });
    expect(outputsOf(ended, 'typed')!.row).toEqual({
      at: '2024-05-01T10:30:00Z',
      local: '2024-05-01T12:30:00',
      price: 12.5,
      huge: '12345678901234567890.5',
      big: '9007199254740993',
      small: 42,
      doc: { a: { b: [1, 2] } },
      ints: [1, 2, 3],
      texts: ['x', null],
      nums: [1.5, 2],
      nothing: null,
      yes: true,
      bytes: Buffer.from('abc').toString('base64'),
    });
    expect(await rt.logs(ended.id)).toContain('INFO show 2024-05-01T10:30:00Z | 13.5 | 2 | 3');
  });

  it('Queries runs statements in one transaction, with an output per result', async () => {
    const ended = await rt.run(
      flow(`  - id: qs
    type: ${PG}.Queries
    sql: |
      CREATE TABLE tx_ok (id int);
      INSERT INTO tx_ok VALUES (1), (2);
      SELECT count(*) AS n FROM tx_ok;
      SELECT id FROM tx_ok WHERE id = :id;
    parameters:
      id: 2
    fetchType: FETCH
    afterSQL: INSERT INTO tx_ok VALUES (3)`),
    );
    expect(statesOf(ended)).toEqual({ qs: 'SUCCESS' });
    expect(outputsOf(ended, 'qs')).toEqual({
      outputs: [
        { rows: [{ n: 2 }], size: 1 },
        { rows: [{ id: 2 }], size: 1 },
      ],
    });
    expect(await sql('SELECT id FROM tx_ok ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('Queries stores each result to its own file', async () => {
    const ended = await rt.run(
      flow(`  - id: qs
    type: ${PG}.Queries
    sql: SELECT 1 AS a; SELECT 2 AS b
    fetchType: STORE`),
    );
    const entries = outputsOf(ended, 'qs')!.outputs as { uri: string; size: number }[];
    expect(entries.map((e) => e.size)).toEqual([1, 1]);
    expect(entries[0]!.uri).not.toBe(entries[1]!.uri);
    expect(await storedText(entries[0]!.uri)).toBe('{"a":1}\n');
    expect(await storedText(entries[1]!.uri)).toBe('{"b":2}\n');
  });

  it('Queries rolls back every statement when one fails', async () => {
    const ended = await rt.run(
      flow(`  - id: qs
    type: ${PG}.Queries
    sql: |
      CREATE TABLE tx_bad (id int);
      INSERT INTO tx_bad VALUES (1);
      INSERT INTO tx_bad VALUES ('not a number');`),
    );
    expect(statesOf(ended)).toEqual({ qs: 'FAILED' });
    const logs = (await rt.logs(ended.id)).join('\n');
    expect(logs).toContain('invalid input syntax for type integer: "not a number" (SQLSTATE 22P02)');
    expect(logs).toContain(`${db.name}`);
    expect(await sql("SELECT to_regclass('tx_bad') AS t")).toEqual([{ t: null }]);
    await expectNoConnectionsLeft();
  });

  it('Queries without a transaction keeps what ran before the failure', async () => {
    const ended = await rt.run(
      flow(`  - id: qs
    type: ${PG}.Queries
    transaction: false
    sql: CREATE TABLE tx_none (id int); INSERT INTO tx_none VALUES (1); SELECT 1/0`),
    );
    expect(statesOf(ended)).toEqual({ qs: 'FAILED' });
    expect((await rt.logs(ended.id)).join('\n')).toContain('division by zero (SQLSTATE 22012)');
    expect(await sql('SELECT id FROM tx_none')).toEqual([{ id: 1 }]);
  });

  it('a task connects with its own url, username and password (no pluginDefaults)', async () => {
    const ended = await rt.run(
      flow(
        `  - id: q
    type: ${PG}.Query
    url: ${db.jdbcUrl}
    username: ${db.username}
    sql: SELECT current_database() AS db
    fetchType: FETCH_ONE`,
        false,
      ),
    );
    expect(outputsOf(ended, 'q')).toEqual({ row: { db: db.name }, size: 1 });
  });

  describe('CopyIn and CopyOut', () => {
    /** A file put straight into internal storage, as an earlier task would have. */
    const stored = async (name: string, content: string) => {
      const uri = `kestra:///test/pg/fixtures/${Math.random().toString(36).slice(2, 8)}/${name}`;
      await storage.put(uri, content);
      return uri;
    };

    beforeAll(async () => {
      await sql("CREATE TABLE trips (id int, vendor text, fare numeric, note text NOT NULL DEFAULT '-')");
    });

    it('loads a CSV with a header, a column list, a delimiter and a null string (url from pluginDefaults)', async () => {
      await sql('TRUNCATE trips');
      const uri = await stored('trips.csv', 'fare;id;vendor\n12.5;1;acme\nNA;2;"semi;colon"\n3;3;NA\n');
      const ended = await rt.run(
        flow(`  - id: load
    type: ${PG}.CopyIn
    from: "${uri}"
    table: public.Trips
    columns: [fare, id, vendor]
    format: CSV
    header: true
    delimiter: ";"
    nullString: NA`),
      );
      expect(statesOf(ended)).toEqual({ load: 'SUCCESS' });
      expect(outputsOf(ended, 'load')).toEqual({ rowCount: 3 });
      expect(await sql('SELECT id, vendor, fare::text, note FROM trips ORDER BY id')).toEqual([
        { id: 1, vendor: 'acme', fare: '12.5', note: '-' },
        { id: 2, vendor: 'semi;colon', fare: null, note: '-' },
        { id: 3, vendor: null, fare: '3', note: '-' },
      ]);
    });

    it('loads TEXT (tabs, \\N for NULL) by default', async () => {
      await sql('TRUNCATE trips');
      const uri = await stored('trips.tsv', '7\tzeta\t\\N\tx\n8\teta\t1.25\ty\n');
      const ended = await rt.run(
        flow(`  - id: load
    type: ${PG}.CopyIn
    from: "${uri}"
    table: trips`),
      );
      expect(outputsOf(ended, 'load')).toEqual({ rowCount: 2 });
      expect(await sql('SELECT id, vendor, fare::text, note FROM trips ORDER BY id')).toEqual([
        { id: 7, vendor: 'zeta', fare: null, note: 'x' },
        { id: 8, vendor: 'eta', fare: '1.25', note: 'y' },
      ]);
    });

    it('fails on a CSV with a missing column, naming the line, and loads nothing', async () => {
      await sql('TRUNCATE trips');
      const uri = await stored('short.csv', 'id,vendor,fare\n1,a,2\n2,b\n');
      const ended = await rt.run(
        flow(`  - id: load
    type: ${PG}.CopyIn
    from: "${uri}"
    table: trips
    columns: [id, vendor, fare]
    format: CSV
    header: true`),
      );
      expect(statesOf(ended)).toEqual({ load: 'FAILED' });
      const logs = (await rt.logs(ended.id)).join('\n');
      expect(logs).toContain('missing data for column "fare" (SQLSTATE 22P04)');
      expect(logs).toContain('line 3');
      expect(await sql('SELECT count(*)::int AS n FROM trips')).toEqual([{ n: 0 }]);
      await expectNoConnectionsLeft();
    });

    it('quotes table and column names: no SQL gets in through them', async () => {
      const uri = await stored('x.csv', '1\n');
      const ended = await rt.run(
        flow(`  - id: load
    type: ${PG}.CopyIn
    from: "${uri}"
    table: "trips (id) FROM STDIN; DROP TABLE people; --"
    format: CSV`),
      );
      expect(statesOf(ended)).toEqual({ load: 'FAILED' });
      expect((await rt.logs(ended.id)).join('\n')).toContain('does not exist (SQLSTATE 42P01)');
      expect(await sql("SELECT to_regclass('people')::text AS t")).toEqual([{ t: 'people' }]);
    });

    it('a missing from file fails clearly', async () => {
      const ended = await rt.run(
        flow(`  - id: load
    type: ${PG}.CopyIn
    from: kestra:///nowhere/missing.csv
    table: trips`),
      );
      expect(statesOf(ended)).toEqual({ load: 'FAILED' });
      expect((await rt.logs(ended.id)).join('\n')).toContain('does not exist in internal storage');
    });

    it('CopyOut writes a query to CSV and a table to TEXT', async () => {
      await sql('TRUNCATE trips');
      await sql("INSERT INTO trips VALUES (1, 'a', 1.5, 'n1'), (2, NULL, 2, 'n,2')");
      const ended = await rt.run(
        flow(`  - id: csv
    type: ${PG}.CopyOut
    sql: SELECT id, vendor, note FROM trips ORDER BY id;
    format: CSV
    header: true
    forceQuote: [note]
  - id: text
    type: ${PG}.CopyOut
    table: trips
    columns: [id, vendor]`),
      );
      expect(statesOf(ended)).toEqual({ csv: 'SUCCESS', text: 'SUCCESS' });
      const csv = outputsOf(ended, 'csv')!;
      expect(csv.rowCount).toBe(2);
      expect(String(csv.uri)).toMatch(/result\.csv$/);
      expect(await storedText(csv.uri)).toBe('id,vendor,note\n1,a,"n1"\n2,,"n,2"\n');
      const text = outputsOf(ended, 'text')!;
      expect(text.rowCount).toBe(2);
      expect((await storedText(text.uri)).split('\n').sort()).toEqual(['', '1\ta', '2\t\\N']);
    });

    it('a connection dropped mid-COPY fails the task with the server message, leaving nothing open', async () => {
      await sql(`CREATE TABLE slow_load (id int);
        CREATE FUNCTION slow_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.01); RETURN NEW; END $$;
        CREATE TRIGGER slow BEFORE INSERT ON slow_load FOR EACH ROW EXECUTE FUNCTION slow_row()`);
      const uri = await stored('many.txt', Array.from({ length: 3000 }, (_, i) => `${i}\n`).join(''));
      const deployed = await rt.deploy(
        flow(`  - id: load
    type: ${PG}.CopyIn
    from: "${uri}"
    table: slow_load`),
      );
      const execution = await rt.runtime.submit(deployed);
      let copying: { pid: number }[] = [];
      for (let i = 0; i < 250 && copying.length === 0; i++) {
        copying = (await taskConnections()).filter((c) => c.query.startsWith('COPY') && c.state === 'active');
        if (copying.length === 0) await new Promise((r) => setTimeout(r, 20));
      }
      expect(copying).toHaveLength(1);
      await sql('SELECT pg_terminate_backend($1)', [copying[0]!.pid]);
      const ended = await rt.runtime.waitForEnd(execution.id);
      expect(statesOf(ended)).toEqual({ load: 'FAILED' });
      expect((await rt.logs(ended.id)).join('\n')).toMatch(
        /terminating connection due to administrator command|Connection terminated/,
      );
      expect(await sql('SELECT count(*)::int AS n FROM slow_load')).toEqual([{ n: 0 }]);
      await expectNoConnectionsLeft();
    });
  });

  describe('bad input fails the task clearly and leaves no connection', () => {
    const failure = async (tasks: string, defaults = true) => {
      const ended = await rt.run(flow(tasks, defaults));
      expect(statesOf(ended)).toEqual({ bad: 'FAILED' });
      return (await rt.logs(ended.id)).filter((l) => l.startsWith('ERROR')).join('\n');
    };

    it('a SQL syntax error gives the database message', async () => {
      const logs = await failure(`  - id: bad
    type: ${PG}.Query
    sql: SELEC id FROM people`);
      expect(logs).toContain('syntax error at or near "SELEC" (SQLSTATE 42601)');
      expect(logs).toContain('at character 1');
      await expectNoConnectionsLeft();
    });

    it('an unknown parameter names it before connecting', async () => {
      const logs = await failure(`  - id: bad
    type: ${PG}.Query
    sql: SELECT * FROM people WHERE id = :idd
    parameters:
      id: 1`);
      expect(logs).toContain('`:idd`, which `parameters` does not define (given: `id`)');
    });

    it('a user that does not exist (trust auth accepts any password, so no wrong-password test)', async () => {
      const logs = await failure(`  - id: bad
    type: ${PG}.Query
    username: no_such_role_wh
    password: secret-pw-123
    sql: SELECT 1`);
      expect(logs).toContain('role "no_such_role_wh" does not exist (SQLSTATE 28000)');
      expect(logs).not.toContain('secret-pw-123');
      await expectNoConnectionsLeft();
    });

    it('a database that does not exist', async () => {
      const logs = await failure(
        `  - id: bad
    type: ${PG}.Query
    url: ${db.jdbcUrl}_missing
    username: ${db.username}
    sql: SELECT 1`,
        false,
      );
      expect(logs).toContain(`database "${db.name}_missing" does not exist (SQLSTATE 3D000)`);
    });

    it('an unknown host fails fast', async () => {
      const started = Date.now();
      const logs = await failure(
        `  - id: bad
    type: ${PG}.Query
    url: jdbc:postgresql://nonexistent.invalid:5432/x
    sql: SELECT 1`,
        false,
      );
      expect(logs).toContain('Cannot connect to PostgreSQL nonexistent.invalid:5432/x');
      expect(logs).toContain('ENOTFOUND');
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('a malformed url', async () => {
      const logs = await failure(
        `  - id: bad
    type: ${PG}.Query
    url: "jdbc:postgresql://h1,h2/x"
    sql: SELECT 1`,
        false,
      );
      expect(logs).toContain('lists several hosts');
    });
  });

  describe('cancellation', () => {
    const sleeping = async () =>
      (await taskConnections()).filter((c) => c.query.includes('pg_sleep(30)') && c.state === 'active');

    it('a timeout cancels the running query', async () => {
      const started = Date.now();
      const ended = await rt.run(
        flow(`  - id: slow
    type: ${PG}.Query
    timeout: PT1S
    sql: SELECT pg_sleep(30)`),
      );
      expect(statesOf(ended).slow).toMatch(/FAILED|KILLED/);
      expect(Date.now() - started).toBeLessThan(10_000);
      for (let i = 0; i < 50 && (await sleeping()).length > 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(await sleeping()).toEqual([]);
      await expectNoConnectionsLeft();
    });

    it('a kill cancels the running query within a second', async () => {
      const deployed = await rt.deploy(
        flow(`  - id: slow
    type: ${PG}.Queries
    sql: SELECT 1; SELECT pg_sleep(30)`),
      );
      const execution = await rt.runtime.submit(deployed);
      for (let i = 0; i < 250 && (await sleeping()).length === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(await sleeping()).toHaveLength(1);
      await rt.runtime.command(execution.id, { kind: 'kill' });
      const killedAt = Date.now();
      for (let i = 0; i < 100 && (await sleeping()).length > 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(await sleeping()).toEqual([]);
      expect(Date.now() - killedAt).toBeLessThan(1000);
      const ended = await rt.runtime.waitForEnd(execution.id);
      expect(ended.state.current).toBe('KILLED');
      await expectNoConnectionsLeft();
    });
  });
});
