/**
 * The parts of the BigQuery emulator's API the clients reach less directly: the root base URL that
 * `BIGQUERY_EMULATOR_HOST` gives the client, resumable uploads of load data, jobs.list, the error
 * body of an unknown path, tables and jobs kept across a restart, and TIMESTAMP values written as
 * BigQuery writes them without format options.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigQuery } from '@google-cloud/bigquery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { javaStyleSeconds } from '../../../../src/emulators/gcp/bigquery/rows.js';
import { startGcpEmulator } from '../../../../src/emulators/gcp/server.js';
import { bigQueryClient, projectId, startBigQueryTest } from './support.js';
import type { BigQueryTestContext } from './support.js';

let context: BigQueryTestContext;

beforeAll(async () => {
  context = await startBigQueryTest();
  await context.bigquery.createDataset('api');
});

afterAll(async () => {
  await context?.emulator.close();
});

describe('the BigQuery API details', () => {
  it('serves the client pointed at it by BIGQUERY_EMULATOR_HOST (base URL without /bigquery/v2)', async () => {
    const previous = process.env.BIGQUERY_EMULATOR_HOST;
    process.env.BIGQUERY_EMULATOR_HOST = context.emulator.url;
    try {
      const plain = bigQueryClient(context.emulator.url);
      // The same credential as the other clients (the client's own copy of the auth library).
      const options = { projectId, authClient: plain.authClient } as unknown as ConstructorParameters<
        typeof BigQuery
      >[0];
      const client = new BigQuery(options);
      expect(client.baseUrl).toBe(context.emulator.url);
      const [rows] = await client.query('SELECT 40 + 2 AS answer');
      expect(rows).toEqual([{ answer: 42 }]);
    } finally {
      if (previous === undefined) delete process.env.BIGQUERY_EMULATOR_HOST;
      else process.env.BIGQUERY_EMULATOR_HOST = previous;
    }
  });

  it('loads data sent as a resumable upload, in two chunks', async () => {
    const base = `${context.emulator.url}/upload/bigquery/v2/projects/${projectId}/jobs`;
    const job = {
      jobReference: { projectId, jobId: 'resumable_load' },
      configuration: {
        load: {
          destinationTable: { projectId, datasetId: 'api', tableId: 'resumed' },
          sourceFormat: 'CSV',
          schema: {
            fields: [
              { name: 'n', type: 'INTEGER' },
              { name: 's', type: 'STRING' },
            ],
          },
        },
      },
    };
    const start = await fetch(`${base}?uploadType=resumable`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(job),
    });
    expect(start.status).toBe(200);
    const session = start.headers.get('location');
    expect(session).toContain('upload_id=');
    const data = Buffer.from('1,one\n2,two\n3,three\n');
    const first = await fetch(session!, {
      method: 'PUT',
      headers: { 'content-range': `bytes 0-5/${data.length}` },
      body: data.subarray(0, 6),
    });
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe('bytes=0-5');
    const last = await fetch(session!, {
      method: 'PUT',
      headers: { 'content-range': `bytes 6-${data.length - 1}/${data.length}` },
      body: data.subarray(6),
    });
    expect(last.status).toBe(200);
    const resource = (await last.json()) as { jobReference: { jobId: string } };
    expect(resource.jobReference.jobId).toBe('resumable_load');
    await context.bigquery.job('resumable_load').promise();
    const [rows] = await context.bigquery.query(`SELECT n, s FROM api.resumed ORDER BY n`);
    expect(rows).toEqual([
      { n: 1, s: 'one' },
      { n: 2, s: 'two' },
      { n: 3, s: 'three' },
    ]);
  });

  it('lists jobs, newest first', async () => {
    await context.bigquery.query('SELECT 1 AS listed');
    const [jobs] = await context.bigquery.getJobs({ maxResults: 2, autoPaginate: false });
    expect(jobs.length).toBe(2);
    const [all] = await context.bigquery.getJobs();
    expect(all.map((job) => job.id)).toContain('resumable_load');
  });

  it('answers an unknown path in Google error shape', async () => {
    const response = await fetch(`${context.emulator.url}/bigquery/v2/projects/${projectId}/nothing`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: number } };
    expect(body.error.code).toBe(404);
  });

  it('answers bad requests with a clear 400 in BigQuery shape', async () => {
    const post = async (path: string, body: string) => {
      const response = await fetch(`${context.emulator.url}/bigquery/v2/projects/${projectId}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      return {
        status: response.status,
        body: (await response.json()) as { error: { errors: { reason: string; message: string }[] } },
      };
    };
    const malformed = await post('/jobs', '{"configuration": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.errors[0]!.reason).toBe('invalid');
    const empty = await post('/jobs', '{"configuration": {}}');
    expect(empty.status).toBe(400);
    expect(empty.body.error.errors[0]!.message).toContain('exactly one job-specific configuration');
    const legacy = await post('/queries', JSON.stringify({ query: 'SELECT 1', useLegacySql: true }));
    expect(legacy.status).toBe(400);
    expect(legacy.body.error.errors[0]!.message).toContain('Legacy SQL is not supported');
    // A load that cannot run is a job that failed at once (the client throws on its status.errors).
    const response = await fetch(`${context.emulator.url}/bigquery/v2/projects/${projectId}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        configuration: {
          load: { sourceUris: ['s3://x/y.csv'], destinationTable: { datasetId: 'api', tableId: 'x' } },
        },
      }),
    });
    const job = (await response.json()) as {
      status: { state: string; errorResult: { reason: string; message: string } };
    };
    expect(job.status.state).toBe('DONE');
    expect(job.status.errorResult.reason).toBe('invalid');
    expect(job.status.errorResult.message).toContain('is not a gs://bucket/object URI');
  });

  it('writes TIMESTAMP as seconds in a Java double text without format options', async () => {
    expect(javaStyleSeconds(1_704_164_645_123_456n)).toBe('1.704164645123456E9');
    expect(javaStyleSeconds(1_704_164_645_000_000n)).toBe('1.704164645E9');
    expect(javaStyleSeconds(1_500_000n)).toBe('1.5');
    expect(javaStyleSeconds(0n)).toBe('0.0');
    expect(javaStyleSeconds(-86_400_000_000n)).toBe('-86400.0');
    const [table] = await context.bigquery.dataset('api').createTable('times', { schema: 'at:TIMESTAMP' });
    await table.insert([{ at: '2024-01-02T03:04:05Z' }]);
    const response = await fetch(
      `${context.emulator.url}/bigquery/v2/projects/${projectId}/datasets/api/tables/times/data`,
      {
        headers: { authorization: 'Bearer emulator' },
      },
    );
    const body = (await response.json()) as { rows: { f: { v: string }[] }[] };
    expect(body.rows[0]!.f[0]!.v).toBe('1.704164645E9');
  });
});

describe('a restart', () => {
  it('keeps datasets, tables, rows and finished jobs', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wh-bq-restart-'));
    try {
      let emulator = await startGcpEmulator({ port: 0, dataDir, quiet: true });
      let client = bigQueryClient(emulator.url);
      await client.createDataset('kept');
      await client.query(`CREATE TABLE \`${projectId}.kept.t\` AS SELECT 7 AS n`);
      const [job] = await client.createQueryJob({ query: 'SELECT 1 AS one', jobId: 'kept_job' });
      await job.getQueryResults();
      await emulator.close();
      emulator = await startGcpEmulator({ port: 0, dataDir, quiet: true });
      client = bigQueryClient(emulator.url);
      const [rows] = await client.query(`SELECT n FROM \`${projectId}.kept.t\``);
      expect(rows).toEqual([{ n: 7 }]);
      const [results] = await client.job('kept_job').getQueryResults();
      expect(results).toEqual([{ one: 1 }]);
      await emulator.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
