/**
 * Query jobs through the official BigQuery client against the emulator: jobs.query with paging,
 * destination tables with each write disposition, DDL and DML, dry runs, errors with BigQuery's
 * reason and position, and the cancellation of a long query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectId, startBigQueryTest } from './support.js';
import type { BigQueryTestContext } from './support.js';

let context: BigQueryTestContext;

beforeAll(async () => {
  context = await startBigQueryTest();
  await context.bigquery.createDataset('q');
});

afterAll(async () => {
  await context?.emulator.close();
});

interface ApiError {
  code?: number;
  errors?: { reason?: string; message?: string; location?: string }[];
  message?: string;
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('query jobs', () => {
  it('answers a query with typed rows (jobs.query)', async () => {
    const [rows] = await context.bigquery.query(
      "SELECT 1 AS n, 'a' AS s, 2.5 AS f, TRUE AS b, DATE '2024-01-02' AS d, TIMESTAMP '2024-01-02 03:04:05 UTC' AS t",
    );
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, unknown>;
    expect(row).toMatchObject({ n: 1, s: 'a', f: 2.5, b: true });
    expect((row.d as { value: string }).value).toBe('2024-01-02');
    expect((row.t as { value: string }).value).toMatch(/^2024-01-02T03:04:05(\.0+)?Z$/);
  });

  it('pages through results with maxResults and pageToken', async () => {
    const [job] = await context.bigquery.createQueryJob({
      query: 'SELECT x FROM UNNEST(GENERATE_ARRAY(1, 250)) AS x ORDER BY x',
    });
    const [first, next] = await job.getQueryResults({ maxResults: 100, autoPaginate: false });
    expect(first).toHaveLength(100);
    expect((first[0] as { x: number }).x).toBe(1);
    expect(next).toBeTruthy();
    const [second, third] = await job.getQueryResults({
      ...(next as object),
      maxResults: 100,
      autoPaginate: false,
    });
    expect((second[0] as { x: number }).x).toBe(101);
    const [last, none] = await job.getQueryResults({
      ...(third as object),
      maxResults: 100,
      autoPaginate: false,
    });
    expect(last).toHaveLength(50);
    expect(none).toBeNull();
    const [all] = await job.getQueryResults();
    expect(all).toHaveLength(250);
  });

  it('writes to a destination table with WRITE_EMPTY, WRITE_APPEND and WRITE_TRUNCATE', async () => {
    const { bigquery } = context;
    const destination = bigquery.dataset('q').table('dest');
    const run = async (query: string, writeDisposition?: string) => {
      const [job] = await bigquery.createQueryJob({
        query,
        destination,
        ...(writeDisposition ? { writeDisposition } : {}),
      });
      await job.promise();
      return job;
    };
    await run('SELECT 1 AS n UNION ALL SELECT 2');
    await run('SELECT 3 AS n', 'WRITE_APPEND');
    let [rows] = await destination.getRows();
    expect(rows.map((row) => (row as { n: number }).n).sort()).toEqual([1, 2, 3]);
    const error = await failure(run('SELECT 4 AS n', 'WRITE_EMPTY'));
    expect(error.errors?.[0]?.reason).toBe('duplicate');
    await run('SELECT 9 AS n', 'WRITE_TRUNCATE');
    [rows] = await destination.getRows();
    expect(rows).toEqual([{ n: 9 }]);
  });

  it('runs DDL and DML and reports the rows a statement changed', async () => {
    const { bigquery } = context;
    await bigquery.query(`CREATE TABLE \`${projectId}.q.items\` (id INT64, name STRING)`);
    const [job] = await bigquery.createQueryJob({
      query: `INSERT INTO \`${projectId}.q.items\` (id, name) VALUES (1, "one"), (2, "two"), (3, "three")`,
    });
    const [metadata] = (await job.getMetadata()) as unknown as [
      { statistics: { query: { numDmlAffectedRows: string } } },
    ];
    await job.getQueryResults();
    const [done] = (await job.getMetadata()) as unknown as [
      { statistics: { query: { numDmlAffectedRows?: string } } },
    ];
    expect(done.statistics.query.numDmlAffectedRows ?? metadata.statistics.query.numDmlAffectedRows).toBe(
      '3',
    );
    await bigquery.query(`UPDATE q.items SET name = 'TWO' WHERE id = 2`, {
      defaultDataset: { datasetId: 'q' },
    } as object);
    const [rows] = await bigquery.query({
      query: 'SELECT id, name FROM q.items ORDER BY id',
      defaultDataset: { datasetId: 'q' },
    });
    expect(rows).toEqual([
      { id: 1, name: 'one' },
      { id: 2, name: 'TWO' },
      { id: 3, name: 'three' },
    ]);
    const [table] = (await bigquery.dataset('q').table('items').getMetadata()) as unknown as [
      { numRows: string; schema: { fields: unknown[] } },
    ];
    expect(table.numRows).toBe('3');
    expect(table.schema.fields).toEqual([
      { name: 'id', type: 'INTEGER', mode: 'NULLABLE' },
      { name: 'name', type: 'STRING', mode: 'NULLABLE' },
    ]);
  });

  it('reports invalidQuery with its line and column, as a job error and from jobs.query', async () => {
    const { bigquery } = context;
    const error = await failure(bigquery.query('SELECT 1 AS n,\n  FROM_WHAT(2) AS m'));
    expect(error.code).toBe(400);
    expect(error.errors?.[0]?.reason).toBe('invalidQuery');
    expect(error.message).toMatch(/at \[2:3\]/);
    // The job fails at once: jobs.insert already answers it DONE with its error, and the client throws.
    const jobError = await failure(
      bigquery.createQueryJob({ query: 'SELECT *\nFROM q.missing_table', jobId: 'failing_job' }),
    );
    expect(jobError.errors?.[0]?.reason).toBe('notFound');
    expect(jobError.message).toContain('at [2:6]');
    const [metadata] = (await bigquery.job('failing_job').getMetadata()) as unknown as [
      { status: { state: string; errorResult: { reason: string; message: string } } },
    ];
    expect(metadata.status.state).toBe('DONE');
    expect(metadata.status.errorResult.reason).toBe('notFound');
    expect(metadata.status.errorResult.message).toContain('q.missing_table');
  });

  it('runs a script whose statements read what earlier ones created', async () => {
    const [rows] = await context.bigquery.query({
      query: `CREATE TABLE q.scripted AS SELECT 1 AS n;
        INSERT INTO q.scripted (n) VALUES (2), (3);
        CREATE OR REPLACE VIEW q.scripted_view AS SELECT n * 10 AS ten FROM q.scripted;
        SELECT SUM(ten) AS total FROM q.scripted_view`,
    });
    expect(rows).toEqual([{ total: 60 }]);
    const [view] = (await context.bigquery.dataset('q').table('scripted_view').getMetadata()) as unknown as [
      { type: string },
    ];
    expect(view.type).toBe('VIEW');
  });

  it('leaves a destination table as it was when the query fails while it runs', async () => {
    const { bigquery } = context;
    const destination = bigquery.dataset('q').table('kept');
    const [job] = await bigquery.createQueryJob({ query: 'SELECT 1 AS n UNION ALL SELECT 2', destination });
    await job.promise();
    const error = await failure(
      bigquery
        .createQueryJob({
          query: "SELECT CAST(s AS INT64) AS n FROM UNNEST(['1', 'x']) AS s",
          destination,
          writeDisposition: 'WRITE_TRUNCATE',
        })
        .then(([failing]) => failing.promise()),
    );
    expect(error.errors?.[0]?.reason ?? (error as { reason?: string }).reason).toBe('invalidQuery');
    const [rows] = await destination.getRows();
    expect(rows.map((row) => (row as { n: number }).n).sort()).toEqual([1, 2]);
  });

  it('plans a dry run without running it', async () => {
    const { bigquery } = context;
    const [job] = await bigquery.createQueryJob({
      query: 'SELECT id FROM q.items',
      dryRun: true,
      defaultDataset: { datasetId: 'q' },
    });
    const metadata = job.metadata as {
      status: { state: string };
      statistics: { totalBytesProcessed: string; query: { schema: { fields: { name: string }[] } } };
    };
    expect(metadata.status.state).toBe('DONE');
    expect(Number(metadata.statistics.totalBytesProcessed)).toBeGreaterThan(0);
    expect(metadata.statistics.query.schema.fields.map((field) => field.name)).toEqual(['id']);
    const [jobs] = await bigquery.getJobs();
    expect(jobs.some((listed) => listed.id === job.id)).toBe(false);
  });

  it('refuses a query over maximumBytesBilled', async () => {
    const { bigquery } = context;
    const error = await failure(
      bigquery
        .createQueryJob({
          query: 'SELECT * FROM q.items',
          maximumBytesBilled: '1',
          defaultDataset: { datasetId: 'q' },
        })
        .then(([job]) => job.promise()),
    );
    expect(error.errors?.[0]?.reason ?? (error as { reason?: string }).reason).toBe(
      'bytesBilledLimitExceeded',
    );
  });

  it('answers a query while a long write runs, and cancels the write leaving nothing', async () => {
    const { bigquery } = context;
    const [writer] = await bigquery.createQueryJob({
      query: `CREATE TABLE q.slow AS SELECT a, b FROM UNNEST(GENERATE_ARRAY(1, 100000)) AS a CROSS JOIN UNNEST(GENERATE_ARRAY(1, 100000)) AS b`,
    });
    const started = Date.now();
    // In a project not queried before, so that this query also makes the hidden results dataset.
    const response = await fetch(`${context.emulator.url}/bigquery/v2/projects/windhover-other/queries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'SELECT 5 AS five', useLegacySql: false }),
    });
    const answer = (await response.json()) as { jobComplete: boolean; rows: unknown[] };
    expect(answer.jobComplete).toBe(true);
    expect(answer.rows).toEqual([{ f: [{ v: '5' }] }]);
    expect(Date.now() - started).toBeLessThan(5_000);
    await writer.cancel();
    const error = await failure(writer.promise());
    expect(error.errors?.[0]?.reason ?? (error as { reason?: string }).reason).toBe('stopped');
    const [exists] = await bigquery.dataset('q').table('slow').exists();
    expect(exists).toBe(false);
  });

  it('cancels a long query: the job ends DONE with reason stopped', async () => {
    const { bigquery } = context;
    const [job] = await bigquery.createQueryJob({
      query:
        'SELECT COUNT(*) AS n FROM UNNEST(GENERATE_ARRAY(1, 100000)) AS a CROSS JOIN UNNEST(GENERATE_ARRAY(1, 100000)) AS b WHERE MOD(a * b, 7) = 3',
    });
    // While it runs, getQueryResults answers jobComplete false once its timeoutMs has passed.
    const pending = await fetch(
      `${context.emulator.url}/bigquery/v2/projects/${projectId}/queries/${job.id}?timeoutMs=100`,
    );
    expect(((await pending.json()) as { jobComplete: boolean }).jobComplete).toBe(false);
    const started = Date.now();
    await job.cancel();
    const error = await failure(job.promise());
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error.errors?.[0]?.reason ?? (error as { reason?: string }).reason).toBe('stopped');
    const [metadata] = (await job.getMetadata()) as unknown as [
      { status: { state: string; errorResult: { reason: string } } },
    ];
    expect(metadata.status).toMatchObject({ state: 'DONE', errorResult: { reason: 'stopped' } });
  });
});
