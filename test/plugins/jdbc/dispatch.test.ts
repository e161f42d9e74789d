/**
 * The course notes' `io.kestra.plugin.databases.sql.Query` on each database, with the URL written
 * as is (the type becomes the database's Query when the flow is validated) and from an expression
 * (the worker dispatches on the rendered URL), through real flows against real servers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllPools } from '../../../src/plugins/jdbc/run/pools.js';
import { LocalStorage } from '../../../src/storage/local.js';
import { createMysqlDatabase, createPostgresDatabase } from '../../support/databases.js';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';

const postgres = await createPostgresDatabase('dispatch');
const mysql = await createMysqlDatabase('dispatch');
const COURSE = 'io.kestra.plugin.databases.sql.Query';

let rt: TestRuntime;
let storage: LocalStorage;
const dir = mkdtempSync(join(tmpdir(), 'wh-dispatch-'));
let counter = 0;

/** A flow with a `url` input, so a task can take its URL from `{{ inputs.url }}`. */
const flow = (tasks: string) => `id: dispatch_${++counter}
namespace: test.dispatch
inputs:
  - id: url
    type: STRING
    defaults: none
tasks:
${tasks}`;

/** Two course-notes tasks: one with the URL written as is, one with it from the input. */
const literalAndRendered = (url: string, extra = '') => `  - id: literal
    type: ${COURSE}
    url: "${url}"${extra}
    sql: SELECT 'literal' AS via
    fetchType: FETCH_ONE
  - id: rendered
    type: ${COURSE}
    url: "{{ inputs.url }}"${extra}
    sql: SELECT 'rendered' AS via, '{{ "{{ not_a_variable }}" }}' AS braces
    fetchType: FETCH_ONE`;

beforeAll(async () => {
  rt = await startTestRuntime({ workerConcurrency: 2 });
  storage = new LocalStorage(join(rt.dataDir, 'storage'));
});

afterAll(async () => {
  await closeAllPools();
  await rt?.dispose();
  await postgres.drop();
  await mysql.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs both tasks on `url` and checks each ran once, its SQL rendered exactly once. */
async function expectBothRun(url: string, extra = ''): Promise<void> {
  const ended = await rt.run(flow(literalAndRendered(url, extra)), { url });
  expect(statesOf(ended)).toEqual({ literal: 'SUCCESS', rendered: 'SUCCESS' });
  expect(outputsOf(ended, 'literal')).toEqual({ row: { via: 'literal' }, size: 1 });
  // Rendered once: the text the expression produced is not rendered again.
  expect(outputsOf(ended, 'rendered')).toEqual({
    row: { via: 'rendered', braces: '{{ not_a_variable }}' },
    size: 1,
  });
}

describe.skipIf(!postgres.available)(`PostgreSQL ${postgres.reason}`, () => {
  it('runs with a literal URL and with a URL from an expression', async () => {
    await expectBothRun(postgres.jdbcUrl, `\n    username: ${postgres.username}`);
  });
});

describe.skipIf(!mysql.available)(`MySQL ${mysql.reason}`, () => {
  it('runs with a literal URL and with a URL from an expression (jdbc:mysql and jdbc:mariadb)', async () => {
    await expectBothRun(mysql.jdbcUrl, `\n    username: ${mysql.username}`);
    await expectBothRun(
      mysql.jdbcUrl.replace('jdbc:mysql:', 'jdbc:mariadb:'),
      `\n    username: ${mysql.username}`,
    );
  });

  it("keeps MySQL's inputFile when the URL comes from an expression", async () => {
    const ended = await rt.run(
      flow(`  - id: write
    type: io.kestra.plugin.core.storage.Write
    extension: .csv
    content: "1,pen\\n2,ink\\n"
  - id: create
    type: ${COURSE}
    url: "{{ inputs.url }}"
    username: ${mysql.username}
    sql: CREATE TABLE items (id int, name varchar(20))
  - id: load
    type: ${COURSE}
    url: "{{ inputs.url }}"
    username: ${mysql.username}
    inputFile: "{{ outputs.write.uri }}"
    sql: LOAD DATA LOCAL INFILE '{{ inputFile }}' INTO TABLE items FIELDS TERMINATED BY ','
  - id: count
    type: ${COURSE}
    url: "{{ inputs.url }}"
    username: ${mysql.username}
    sql: SELECT count(*) AS n FROM items
    fetchType: FETCH_ONE`),
      { url: mysql.jdbcUrl },
    );
    expect(statesOf(ended)).toEqual({
      write: 'SUCCESS',
      create: 'SUCCESS',
      load: 'SUCCESS',
      count: 'SUCCESS',
    });
    expect(outputsOf(ended, 'count')).toEqual({ row: { n: 2 }, size: 1 });
  });
});

describe('SQLite and DuckDB', () => {
  it('run with a literal URL and with a URL from an expression', async () => {
    await expectBothRun(`jdbc:sqlite:${join(dir, 'course.db')}`);
    await expectBothRun('jdbc:duckdb:');
    await expectBothRun(`jdbc:duckdb:${join(dir, 'course.duckdb')}`);
  });

  it("keeps DuckDB's outputFiles when the URL comes from an expression", async () => {
    const ended = await rt.run(
      flow(`  - id: export
    type: ${COURSE}
    url: "{{ inputs.url }}"
    outputFiles: [out]
    sql: COPY (SELECT 1 AS a, 'x' AS b) TO '{{ outputFiles.out }}' (HEADER, DELIMITER ',')`),
      { url: 'jdbc:duckdb:' },
    );
    expect(statesOf(ended)).toEqual({ export: 'SUCCESS' });
    const files = outputsOf(ended, 'export')!.outputFiles as Record<string, string>;
    expect((await storage.readBuffer(files.out!)).toString()).toBe('a,b\n1,x\n');
  });
});
