/**
 * MySQL Query and Queries against a real MariaDB (a database of this file's own), through real
 * flows (SQLite store, executor, worker, local storage).
 */
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllPools } from '../../../src/plugins/jdbc/run/pools.js';
import { LocalStorage } from '../../../src/storage/local.js';
import { createMysqlDatabase } from '../../support/databases.js';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';

const db = await createMysqlDatabase('mytasks');
const MY = 'io.kestra.plugin.jdbc.mysql';

let rt: TestRuntime;
let storage: LocalStorage;
let admin: mysql.Connection;

/** A flow whose tasks connect to the test database through pluginDefaults. */
const flow = (tasks: string, defaults = true) => `id: my_${Math.random().toString(36).slice(2, 8)}
namespace: test.mysql
tasks:
${tasks}
${
  defaults
    ? `pluginDefaults:
  - type: ${MY}
    values:
      url: ${db.jdbcUrl}
      username: ${db.username}`
    : ''
}`;

const sql = async (text: string, values?: unknown[]): Promise<Record<string, unknown>[]> =>
  (await admin.query(text, values))[0] as Record<string, unknown>[];

/** Connections to the test database other than the test's own. */
async function taskConnections(): Promise<{ id: number; command: string; info: string | null }[]> {
  return (await sql(
    'SELECT ID AS id, COMMAND AS command, INFO AS info FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
    [db.name],
  )) as { id: number; command: string; info: string | null }[];
}

/** Closes the pools and checks that the task runs left no connection behind. */
async function expectNoConnectionsLeft(): Promise<void> {
  await closeAllPools();
  for (let i = 0; i < 50 && (await taskConnections()).length > 0; i++)
    await new Promise((r) => setTimeout(r, 20));
  expect(await taskConnections()).toEqual([]);
}

const storedText = async (uri: unknown) => (await storage.readBuffer(String(uri))).toString();

describe.skipIf(!db.available)(`MySQL tasks ${db.reason}`, () => {
  beforeAll(async () => {
    rt = await startTestRuntime({ workerConcurrency: 4 });
    storage = new LocalStorage(join(rt.dataDir, 'storage'));
    admin = await mysql.createConnection({ uri: db.url, multipleStatements: true });
    await admin.query(`CREATE TABLE people (id int PRIMARY KEY, name varchar(50), born date);
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
    type: ${MY}.Query
    sql: SELECT id, name, born FROM people ORDER BY id
    fetchType: FETCH_ONE
  - id: all
    type: ${MY}.Query
    sql: SELECT id, name FROM people ORDER BY id
    fetchType: FETCH
  - id: none
    type: ${MY}.Query
    sql: SELECT * FROM people
  - id: empty
    type: ${MY}.Query
    sql: SELECT * FROM people WHERE id < 0
    fetchType: FETCH_ONE
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.one.row.name }} born {{ outputs.one.row.born }}; {{ outputs.all.size }} people"`),
    );
    expect(statesOf(ended)).toEqual({
      one: 'SUCCESS',
      all: 'SUCCESS',
      none: 'SUCCESS',
      empty: 'SUCCESS',
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

  it('Query stores rows to a file, one JSON line per row, without holding them', async () => {
    const ended = await rt.run(
      flow(`  - id: store
    type: ${MY}.Query
    sql: SELECT seq AS n, CONCAT('row ', seq) AS label FROM seq_1_to_5000
    fetchType: STORE
  - id: count
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.store.size }} rows"`),
    );
    expect(statesOf(ended)).toEqual({ store: 'SUCCESS', count: 'SUCCESS' });
    const outputs = outputsOf(ended, 'store')!;
    expect(outputs.size).toBe(5000);
    expect(String(outputs.uri)).toMatch(/^kestra:\/\/.*\/result\.ion$/);
    const lines = (await storedText(outputs.uri)).trimEnd().split('\n');
    expect(lines).toHaveLength(5000);
    expect(JSON.parse(lines[0]!)).toEqual({ n: 1, label: 'row 1' });
    expect(JSON.parse(lines[4999]!)).toEqual({ n: 5000, label: 'row 5000' });
  });

  it('FETCH_ONE of a large result reads the first row and leaves the connection usable', async () => {
    const ended = await rt.run(
      flow(`  - id: first
    type: ${MY}.Query
    sql: SELECT seq AS n FROM seq_1_to_200000
    fetchType: FETCH_ONE
  - id: after
    type: ${MY}.Query
    sql: SELECT 7 AS n
    fetchType: FETCH_ONE`),
    );
    expect(outputsOf(ended, 'first')).toEqual({ row: { n: 1 }, size: 1 });
    expect(outputsOf(ended, 'after')).toEqual({ row: { n: 7 }, size: 1 });
  });

  it('binds :name parameters, leaving quoted text, backslash escapes and # comments alone', async () => {
    const ended = await rt.run(
      flow(`  - id: q
    type: ${MY}.Query
    sql: |
      SELECT name, ':id' AS text, 'it\\'s :name' AS esc FROM people # :nope
      WHERE id = :id OR name = :name ORDER BY id
    parameters:
      id: 2
      name: Alan
    fetchType: FETCH`),
    );
    expect(statesOf(ended)).toEqual({ q: 'SUCCESS' });
    expect(outputsOf(ended, 'q')).toEqual({
      rows: [
        { name: 'Grace', text: ':id', esc: "it's :name" },
        { name: 'Alan', text: ':id', esc: "it's :name" },
      ],
      size: 2,
    });
  });

  it('binds maps and lists as JSON text, booleans and nulls as such', async () => {
    const ended = await rt.run(
      flow(`  - id: q
    type: ${MY}.Query
    sql: SELECT :doc AS doc, :list AS list, :yes AS yes, :none AS none, JSON_VALUE(:doc, '$.a[1]') AS second
    parameters:
      doc: { a: [1, 2] }
      list: [x, y]
      yes: true
      none: null
    fetchType: FETCH_ONE`),
    );
    expect(statesOf(ended)).toEqual({ q: 'SUCCESS' });
    expect(outputsOf(ended, 'q')!.row).toEqual({
      doc: '{"a":[1,2]}',
      list: '["x","y"]',
      yes: 1,
      none: null,
      second: '2',
    });
  });

  it('renders typed values (DECIMAL, BIGINT, DATETIME, TIMESTAMP, BOOLEAN, BIT, JSON, BLOB) in later expressions', async () => {
    await sql(`CREATE TABLE typed (
      price DECIMAL(10,2), huge DECIMAL(30,1), big BIGINT, small BIGINT, at DATETIME(3), ts TIMESTAMP NULL,
      yes BOOLEAN, flag BIT(1), bits BIT(8), doc JSON, bytes BLOB, t TIME, y YEAR, f DOUBLE, nothing VARCHAR(5))`);
    await sql(`INSERT INTO typed VALUES (12.50, 12345678901234567890123456789.5, 9007199254740993, 42,
      '2024-05-01 12:30:00.250', '2024-05-01 12:30:00', true, b'1', b'101', '{"a": {"b": [1, 2]}}', 'abc', '10:11:12', 2024, 1.5, NULL)`);
    const ended = await rt.run(
      flow(`  - id: typed
    type: ${MY}.Query
    sql: SELECT * FROM typed
    fetchType: FETCH_ONE
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.typed.row.at }} | {{ outputs.typed.row.price + 1 }} | {{ outputs.typed.row.yes }} | {{ outputs.typed.row.big }}"`),
    );
    expect(statesOf(ended)).toEqual({ typed: 'SUCCESS', show: 'SUCCESS' });
    expect(outputsOf(ended, 'typed')!.row).toEqual({
      price: 12.5,
      huge: '12345678901234567890123456789.5',
      big: '9007199254740993',
      small: 42,
      at: '2024-05-01T12:30:00.250',
      ts: '2024-05-01T12:30:00',
      yes: true,
      flag: true,
      bits: 5,
      // MariaDB's JSON is LONGTEXT marked as JSON in its column metadata: parsed like MySQL 8's.
      doc: { a: { b: [1, 2] } },
      bytes: Buffer.from('abc').toString('base64'),
      t: '10:11:12',
      y: 2024,
      f: 1.5,
      nothing: null,
    });
    expect(await rt.logs(ended.id)).toContain(
      'INFO show 2024-05-01T12:30:00.250 | 13.5 | true | 9007199254740993',
    );
  });

  it('timeZoneId sets the session time zone', async () => {
    const ended = await rt.run(
      flow(`  - id: tz
    type: ${MY}.Query
    timeZoneId: Asia/Kolkata
    sql: SELECT @@session.time_zone AS zone, CONVERT_TZ('2024-01-01 00:00:00', '+00:00', @@session.time_zone) AS local
    fetchType: FETCH_ONE`),
    );
    expect(outputsOf(ended, 'tz')).toEqual({
      row: { zone: '+05:30', local: '2024-01-01T05:30:00' },
      size: 1,
    });
  });

  it('Queries runs statements in one transaction, with an output per result', async () => {
    const ended = await rt.run(
      flow(`  - id: qs
    type: ${MY}.Queries
    sql: |
      CREATE TABLE tx_ok (id int) ENGINE=InnoDB;
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
    type: ${MY}.Queries
    sql: SELECT 1 AS a; SELECT 2 AS b
    fetchType: STORE`),
    );
    const entries = outputsOf(ended, 'qs')!.outputs as { uri: string; size: number }[];
    expect(entries.map((e) => e.size)).toEqual([1, 1]);
    expect(await storedText(entries[0]!.uri)).toBe('{"a":1}\n');
    expect(await storedText(entries[1]!.uri)).toBe('{"b":2}\n');
  });

  it('Queries rolls back every statement when one fails', async () => {
    await sql('CREATE TABLE tx_bad (id int NOT NULL) ENGINE=InnoDB');
    const ended = await rt.run(
      flow(`  - id: qs
    type: ${MY}.Queries
    sql: |
      INSERT INTO tx_bad VALUES (1);
      INSERT INTO tx_bad VALUES (2);
      INSERT INTO tx_bad VALUES (NULL);`),
    );
    expect(statesOf(ended)).toEqual({ qs: 'FAILED' });
    const logs = (await rt.logs(ended.id)).join('\n');
    expect(logs).toContain("Column 'id' cannot be null (error 1048, SQLSTATE 23000)");
    expect(logs).toContain(db.name);
    expect(await sql('SELECT count(*) AS n FROM tx_bad')).toEqual([{ n: 0 }]);
    await expectNoConnectionsLeft();
  });

  it('Queries without a transaction keeps what ran before the failure', async () => {
    await sql('CREATE TABLE tx_none (id int NOT NULL) ENGINE=InnoDB');
    const ended = await rt.run(
      flow(`  - id: qs
    type: ${MY}.Queries
    transaction: false
    sql: INSERT INTO tx_none VALUES (1); INSERT INTO tx_none VALUES (NULL)`),
    );
    expect(statesOf(ended)).toEqual({ qs: 'FAILED' });
    expect(await sql('SELECT id FROM tx_none')).toEqual([{ id: 1 }]);
  });

  it('loads inputFile with LOAD DATA LOCAL INFILE, from a previous task output', async () => {
    await sql('CREATE TABLE products (id int, name varchar(50), price decimal(6,2))');
    const ended = await rt.run(
      flow(`  - id: write
    type: io.kestra.plugin.core.storage.Write
    extension: .csv
    content: |
      id,name,price
      1,"pen",1.50
      2,"ink, blue",3.25
  - id: load
    type: ${MY}.Query
    inputFile: "{{ outputs.write.uri }}"
    sql: |
      LOAD DATA LOCAL INFILE '{{ inputFile }}' INTO TABLE products
      FIELDS TERMINATED BY ',' ENCLOSED BY '"' LINES TERMINATED BY '\\n' IGNORE 1 ROWS`),
    );
    expect(statesOf(ended)).toEqual({ write: 'SUCCESS', load: 'SUCCESS' });
    expect(await sql('SELECT id, name, price FROM products ORDER BY id')).toEqual([
      { id: 1, name: 'pen', price: '1.50' },
      { id: 2, name: 'ink, blue', price: '3.25' },
    ]);
  });

  it('LOAD DATA LOCAL INFILE of any other local file is refused', async () => {
    const ended = await rt.run(
      flow(`  - id: load
    type: ${MY}.Query
    sql: LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE people`),
    );
    expect(statesOf(ended)).toEqual({ load: 'FAILED' });
    expect((await rt.logs(ended.id)).join('\n')).toContain(
      "`LOAD DATA LOCAL INFILE '/etc/passwd'` reads a local file",
    );
    await expectNoConnectionsLeft();
  });

  it('accepts jdbc:mariadb: URLs and credentials given on the task', async () => {
    const ended = await rt.run(
      flow(
        `  - id: q
    type: ${MY}.Query
    url: ${db.jdbcUrl.replace('jdbc:mysql:', 'jdbc:mariadb:')}
    username: ${db.username}
    sql: SELECT DATABASE() AS db
    fetchType: FETCH_ONE`,
        false,
      ),
    );
    expect(outputsOf(ended, 'q')).toEqual({ row: { db: db.name }, size: 1 });
  });

  describe('bad input fails the task clearly and leaves no connection', () => {
    const failure = async (tasks: string, defaults = true) => {
      const ended = await rt.run(flow(tasks, defaults));
      expect(statesOf(ended)).toEqual({ bad: 'FAILED' });
      return (await rt.logs(ended.id)).filter((l) => l.startsWith('ERROR')).join('\n');
    };

    it('a SQL syntax error gives the database message', async () => {
      const logs = await failure(`  - id: bad
    type: ${MY}.Query
    sql: SELEC id FROM people`);
      expect(logs).toContain('You have an error in your SQL syntax');
      expect(logs).toContain('(error 1064, SQLSTATE 42000)');
      await expectNoConnectionsLeft();
    });

    it('a wrong password names the user, never the password', async () => {
      const user = `wh_pw_${Math.random().toString(36).slice(2, 8)}`;
      await sql(`CREATE USER '${user}'@'%' IDENTIFIED BY 'right-pw-1'`);
      await sql(`CREATE USER '${user}'@'localhost' IDENTIFIED BY 'right-pw-1'`);
      try {
        const logs = await failure(
          `  - id: bad
    type: ${MY}.Query
    url: ${db.jdbcUrl}
    username: ${user}
    password: wrong-pw-123
    sql: SELECT 1`,
          false,
        );
        expect(logs).toContain(`Access denied for user '${user}'`);
        expect(logs).toContain('SQLSTATE 28000');
        expect(logs).not.toContain('wrong-pw-123');
      } finally {
        await sql(`DROP USER IF EXISTS '${user}'@'%'`);
        await sql(`DROP USER IF EXISTS '${user}'@'localhost'`);
      }
    });

    it('an unknown host fails fast', async () => {
      const started = Date.now();
      const logs = await failure(
        `  - id: bad
    type: ${MY}.Query
    url: jdbc:mysql://nonexistent.invalid:3306/x
    sql: SELECT 1`,
        false,
      );
      expect(logs).toContain('Cannot connect to MySQL nonexistent.invalid:3306/x');
      expect(logs).toContain('ENOTFOUND');
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('a database that does not exist', async () => {
      const logs = await failure(
        `  - id: bad
    type: ${MY}.Query
    url: ${db.jdbcUrl}_missing
    username: ${db.username}
    sql: SELECT 1`,
        false,
      );
      expect(logs).toContain(`Unknown database '${db.name}_missing'`);
    });

    it('an unknown parameter names it before connecting', async () => {
      const logs = await failure(`  - id: bad
    type: ${MY}.Query
    sql: SELECT * FROM people WHERE id = :idd
    parameters:
      id: 1`);
      expect(logs).toContain('`:idd`, which `parameters` does not define (given: `id`)');
    });

    it('an inputFile that is not stored', async () => {
      const logs = await failure(`  - id: bad
    type: ${MY}.Query
    inputFile: kestra:///nowhere/x.csv
    sql: LOAD DATA LOCAL INFILE '{{ inputFile }}' INTO TABLE people`);
      expect(logs).toContain('`kestra:///nowhere/x.csv` does not exist in internal storage');
    });
  });

  describe('cancellation', () => {
    const sleeping = async () =>
      (await taskConnections()).filter((c) => c.command === 'Query' && c.info?.includes('SLEEP(30)'));

    it('a timeout kills the running query', async () => {
      const started = Date.now();
      const ended = await rt.run(
        flow(`  - id: slow
    type: ${MY}.Query
    timeout: PT1S
    sql: SELECT SLEEP(30)`),
      );
      expect(statesOf(ended).slow).toMatch(/FAILED|KILLED/);
      expect(Date.now() - started).toBeLessThan(10_000);
      for (let i = 0; i < 50 && (await sleeping()).length > 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(await sleeping()).toEqual([]);
      await expectNoConnectionsLeft();
    });

    it('a kill stops the running query within a second', async () => {
      const deployed = await rt.deploy(
        flow(`  - id: slow
    type: ${MY}.Queries
    sql: SELECT 1; SELECT SLEEP(30)`),
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
