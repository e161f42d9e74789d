/**
 * bigquery.Query against the emulator through the official client: fetch, fetchOne and store
 * with values typed as Kestra gives them, a destination table, a job error as a FAILED task with
 * BigQuery's reason and position, an unknown dataset, and legacy SQL refused on the emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, statesOf } from '../../../engine/support/runtime.js';
import { BQ, PROJECT, startBigQueryHarness } from './support.js';
import type { BigQueryHarness } from './support.js';

let h: BigQueryHarness;

beforeAll(async () => {
  h = await startBigQueryHarness();
  await h.bigquery.createDataset('sales');
  await h.bigquery.query(
    'CREATE TABLE sales.orders (id INT64, customer STRING, amount NUMERIC, placed_at TIMESTAMP, day DATE, paid BOOL)',
  );
  await h.bigquery.query(`INSERT INTO sales.orders (id, customer, amount, placed_at, day, paid) VALUES
    (1, 'ada', 12.5, TIMESTAMP '2024-05-01 12:30:00.25+00', DATE '2024-05-01', TRUE),
    (2, 'bob', 7, TIMESTAMP '2024-05-02 08:00:00+00', DATE '2024-05-02', FALSE),
    (3, 'cy', 30.75, TIMESTAMP '2024-05-03 23:59:59+00', DATE '2024-05-03', TRUE)`);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('bigquery.Query', () => {
  it('fetches rows (fetchType: FETCH and the deprecated fetch: true) typed as Kestra gives them', async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: rows
    type: ${BQ}.Query
    sql: SELECT id, customer, amount, placed_at, day, paid FROM sales.orders ORDER BY id
    fetchType: FETCH
  - id: legacy_flag
    type: ${BQ}.Query
    sql: SELECT 1 AS id, "John" AS name UNION ALL SELECT 2, "Doe"
    fetch: true
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.rows.size }} {{ outputs.rows.rows[0].customer }} {{ outputs.rows.rows[0].amount + 1 }} {{ outputs.legacy_flag.rows | length }}"`),
    );
    expect(statesOf(ended), await h.errors(ended.id)).toEqual({
      rows: 'SUCCESS',
      legacy_flag: 'SUCCESS',
      show: 'SUCCESS',
    });
    const outputs = outputsOf(ended, 'rows')!;
    expect(outputs.size).toBe(3);
    expect(outputs.jobId).toMatch(/\S/);
    expect((outputs.rows as unknown[])[0]).toEqual({
      id: 1,
      customer: 'ada',
      amount: 12.5,
      placed_at: '2024-05-01T12:30:00.250Z',
      day: '2024-05-01',
      paid: true,
    });
    expect(outputsOf(ended, 'legacy_flag')!.rows).toEqual([
      { id: 1, name: 'John' },
      { id: 2, name: 'Doe' },
    ]);
    expect(await h.rt.logs(ended.id)).toContain('INFO show 3 ada 13.5 2');
  });

  it('fetches one row (fetchType: FETCH_ONE)', async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: one
    type: ${BQ}.Query
    sql: SELECT COUNT(*) AS orders, SUM(amount) AS total FROM sales.orders WHERE paid
    fetchType: FETCH_ONE`),
    );
    expect(statesOf(ended), await h.errors(ended.id)).toEqual({ one: 'SUCCESS' });
    expect(outputsOf(ended, 'one')).toMatchObject({ row: { orders: 2, total: 43.25 }, size: 1 });
  });

  it('stores rows to an internal-storage file (store: true), one JSON line per row', async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: stored
    type: ${BQ}.Query
    sql: SELECT id, customer FROM sales.orders ORDER BY id
    store: true
  - id: read
    type: io.kestra.plugin.core.log.Log
    message: "{{ read(outputs.stored.uri) }}"`),
    );
    expect(statesOf(ended), await h.errors(ended.id)).toEqual({ stored: 'SUCCESS', read: 'SUCCESS' });
    const outputs = outputsOf(ended, 'stored')!;
    expect(outputs.size).toBe(3);
    expect(String(outputs.uri)).toMatch(/^kestra:\/\/.*\.ion$/);
    const logs = await h.rt.logs(ended.id);
    const line = logs.find((l) => l.startsWith('INFO read'))!;
    expect(
      line
        .slice('INFO read '.length)
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      { id: 1, customer: 'ada' },
      { id: 2, customer: 'bob' },
      { id: 3, customer: 'cy' },
    ]);
  });

  it('reads a result of several pages (maxResults) into a STORE file', async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: many
    type: ${BQ}.Query
    sql: SELECT x, CONCAT('row ', CAST(x AS STRING)) AS label FROM UNNEST(GENERATE_ARRAY(1, 25000)) AS x ORDER BY x
    maxResults: 10000
    fetchType: STORE
  - id: count
    type: io.kestra.plugin.core.log.Log
    message: "{{ read(outputs.many.uri) | trim | split('\\n') | length }}"`),
    );
    expect(statesOf(ended), await h.errors(ended.id)).toEqual({ many: 'SUCCESS', count: 'SUCCESS' });
    expect(outputsOf(ended, 'many')!.size).toBe(25_000);
    expect(await h.rt.logs(ended.id)).toContain('INFO count 25000');
  });

  it('writes the result to destinationTable (course notes: dataset + destination) with a write disposition', async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: materialise
    type: ${BQ}.Query
    dataset: sales
    destination: paid_orders
    writeDisposition: WRITE_TRUNCATE
    sql: SELECT id, amount FROM orders WHERE paid
  - id: again
    type: ${BQ}.Query
    destinationTable: sales.paid_orders
    writeDisposition: WRITE_TRUNCATE
    sql: SELECT id, amount FROM sales.orders WHERE paid
  - id: count
    type: ${BQ}.Query
    sql: SELECT COUNT(*) AS n FROM sales.paid_orders
    fetchType: FETCH_ONE`),
    );
    expect(statesOf(ended), await h.errors(ended.id)).toEqual({
      materialise: 'SUCCESS',
      again: 'SUCCESS',
      count: 'SUCCESS',
    });
    expect(outputsOf(ended, 'materialise')!.destinationTable).toEqual({
      project: PROJECT,
      dataset: 'sales',
      table: 'paid_orders',
    });
    // WRITE_TRUNCATE twice: still the two paid orders.
    expect(outputsOf(ended, 'count')!.row).toEqual({ n: 2 });
  });

  it('partitions and clusters a destination table, and runs a script whose last statement gives the rows', async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: daily
    type: ${BQ}.Query
    destinationTable: sales.daily
    timePartitioningField: day
    clusteringFields: [customer]
    labels:
      team: data
    sql: SELECT day, customer, SUM(amount) AS total FROM sales.orders GROUP BY day, customer
  - id: metadata
    type: ${BQ}.TableMetadata
    dataset: sales
    table: daily
  - id: script
    type: ${BQ}.Query
    sql: |
      CREATE TABLE sales.scratch (x INT64);
      INSERT INTO sales.scratch VALUES (1), (2);
      SELECT SUM(x) AS total FROM sales.scratch;
    fetchType: FETCH_ONE`),
    );
    expect(statesOf(ended), await h.errors(ended.id)).toEqual({
      daily: 'SUCCESS',
      metadata: 'SUCCESS',
      script: 'SUCCESS',
    });
    expect(outputsOf(ended, 'metadata')).toMatchObject({
      numRows: 3,
      definition: { timePartitioning: { type: 'DAY', field: 'day' }, clustering: ['customer'] },
    });
    expect(outputsOf(ended, 'script')).toMatchObject({ row: { total: 3 }, size: 1 });
  });

  it('fails a query that would bill more than maximumBytesBilled', async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: billed
    type: ${BQ}.Query
    maximumBytesBilled: 1
    sql: SELECT * FROM sales.orders`),
    );
    expect(statesOf(ended)).toEqual({ billed: 'FAILED' });
    expect(await h.errors(ended.id)).toContain(
      'bytesBilledLimitExceeded: Query exceeded limit for bytes billed',
    );
  });

  it("fails a job error with BigQuery's reason, message and position, without a stack trace", async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: broken
    type: ${BQ}.Query
    sql: |
      SELECT id
      FROM sales.orders
      WHERE id = = 1`),
    );
    expect(statesOf(ended)).toEqual({ broken: 'FAILED' });
    const errors = await h.errors(ended.id);
    expect(errors).toMatch(/invalidQuery: .*at \[3:\d+\]/);
    expect(errors).not.toMatch(/\n\s+at /);
  });

  it('names an unknown dataset in a clear error', async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: missing
    type: ${BQ}.Query
    sql: SELECT * FROM no_such_dataset.orders`),
    );
    expect(statesOf(ended)).toEqual({ missing: 'FAILED' });
    const errors = await h.errors(ended.id);
    expect(errors).toContain('notFound');
    expect(errors).toContain('no_such_dataset');
  });

  it('refuses legacy SQL on the emulator with a clear error', async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: legacy
    type: ${BQ}.Query
    legacySql: true
    sql: SELECT 1`),
    );
    expect(statesOf(ended)).toEqual({ legacy: 'FAILED' });
    expect(await h.errors(ended.id)).toContain(
      'legacy SQL (`legacySql: true`) is not supported by the BigQuery emulator',
    );
  });

  it('cancels its BigQuery job when the task is stopped (here by its timeout)', async () => {
    const sql =
      'SELECT SUM(a * b) AS n FROM UNNEST(GENERATE_ARRAY(1, 30000)) AS a CROSS JOIN UNNEST(GENERATE_ARRAY(1, 30000)) AS b';
    const started = Date.now();
    const ended = await h.rt.run(
      h.flow(`  - id: slow
    type: ${BQ}.Query
    timeout: PT1S
    labels:
      purpose: cancel-test
    sql: ${sql}`),
    );
    expect(statesOf(ended).slow).not.toBe('SUCCESS');
    // The job ends DONE, stopped, long before the query itself could have finished.
    let status: { state?: string; errorResult?: { reason?: string } } | undefined;
    for (let waited = 0; waited < 15_000 && status?.state !== 'DONE'; waited += 50) {
      const [jobs] = await h.bigquery.getJobs({ allUsers: true, projection: 'full' });
      const job = jobs.find(
        (j) =>
          (j.metadata as { configuration?: { query?: { query?: string } } }).configuration?.query?.query ===
          sql,
      );
      status = (job?.metadata as { status?: typeof status } | undefined)?.status;
      if (status?.state !== 'DONE') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toMatchObject({ state: 'DONE', errorResult: { reason: 'stopped' } });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('runs a dry run without rows', async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: dry
    type: ${BQ}.Query
    dryRun: true
    sql: SELECT * FROM sales.orders`),
    );
    expect(statesOf(ended), await h.errors(ended.id)).toEqual({ dry: 'SUCCESS' });
    expect(outputsOf(ended, 'dry')).not.toHaveProperty('rows');
  });
});
