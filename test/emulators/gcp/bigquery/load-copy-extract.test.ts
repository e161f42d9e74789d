/**
 * Load, copy and extract jobs through the official clients against the emulator: CSV from gs://
 * with skipLeadingRows and a wildcard, gzip, Parquet (made by DuckDB), an upload of local data,
 * external tables, a failed load leaving the table as it was, copies with dispositions, and
 * extracts to gs:// (CSV with a sharded name, JSON, Parquet).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectId, startBigQueryTest } from './support.js';
import type { BigQueryTestContext } from './support.js';

let context: BigQueryTestContext;
let workDir: string;

const csv = 'id,name,amount\n1,alpha,1.5\n2,beta,2.5\n3,"gamma, the third",3.5\n';

beforeAll(async () => {
  context = await startBigQueryTest();
  workDir = await mkdtemp(join(tmpdir(), 'wh-bq-load-'));
  await context.bigquery.createDataset('ld');
  const [bucket] = await context.storage.createBucket('lake');
  await bucket.file('csv/part-1.csv').save(csv);
  await bucket.file('csv/part-2.csv').save('id,name,amount\n4,delta,4.5\n');
  await bucket.file('gz/rows.csv.gz').save(gzipSync(Buffer.from(csv)));
  await bucket.file('json/rows.json').save('{"id": 7, "name": "x"}\n{"id": 8, "name": "y", "extra": true}\n');
});

afterAll(async () => {
  await context?.emulator.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

interface ApiError {
  code?: number;
  errors?: { reason?: string; message?: string }[];
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

const schema = {
  fields: [
    { name: 'id', type: 'INTEGER' },
    { name: 'name', type: 'STRING' },
    { name: 'amount', type: 'FLOAT' },
  ],
};

async function rowsOf(tableId: string, order = 'id'): Promise<Record<string, unknown>[]> {
  const [rows] = await context.bigquery.query(
    `SELECT * FROM \`${projectId}.ld.${tableId}\` ORDER BY ${order}`,
  );
  return rows as Record<string, unknown>[];
}

describe('load jobs', () => {
  it('loads CSV from gs:// with skipLeadingRows, a wildcard and a schema', async () => {
    const table = context.bigquery.dataset('ld').table('from_csv');
    const [job] = await table.load(context.storage.bucket('lake').file('csv/part-1.csv'), {
      sourceFormat: 'CSV',
      skipLeadingRows: 1,
      schema,
    });
    expect(job.status?.state).toBe('DONE');
    expect(job.statistics?.load?.outputRows).toBe('3');
    expect(await rowsOf('from_csv')).toEqual([
      { id: 1, name: 'alpha', amount: 1.5 },
      { id: 2, name: 'beta', amount: 2.5 },
      { id: 3, name: 'gamma, the third', amount: 3.5 },
    ]);
    const [wildcard] = await context.bigquery.createJob({
      configuration: {
        load: {
          sourceUris: ['gs://lake/csv/*.csv'],
          destinationTable: { projectId, datasetId: 'ld', tableId: 'from_csv' },
          skipLeadingRows: 1,
          writeDisposition: 'WRITE_TRUNCATE',
        },
      },
    });
    await wildcard.promise();
    expect((await rowsOf('from_csv')).map((row) => row.id)).toEqual([1, 2, 3, 4]);
  });

  it('detects the schema of gzip CSV with autodetect', async () => {
    const [job] = await context.bigquery.createJob({
      configuration: {
        load: {
          sourceUris: ['gs://lake/gz/rows.csv.gz'],
          destinationTable: { projectId, datasetId: 'ld', tableId: 'detected' },
          autodetect: true,
          skipLeadingRows: 1,
        },
      },
    });
    await job.promise();
    const [metadata] = (await context.bigquery.dataset('ld').table('detected').getMetadata()) as unknown as [
      { schema: { fields: { name: string; type: string }[] } },
    ];
    expect(metadata.schema.fields.map((field) => [field.name, field.type])).toEqual([
      ['id', 'INTEGER'],
      ['name', 'STRING'],
      ['amount', 'FLOAT'],
    ]);
    expect(await rowsOf('detected')).toHaveLength(3);
  });

  it('loads Parquet made by DuckDB', async () => {
    const file = join(workDir, 'rows.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT range AS id, 'n' || range AS name, range * 1.5 AS amount FROM range(1000)) TO '${file}' (FORMAT parquet)`,
    );
    connection.closeSync();
    instance.closeSync();
    await context.storage.bucket('lake').upload(file, { destination: 'parquet/rows.parquet' });
    const [job] = await context.bigquery.createJob({
      configuration: {
        load: {
          sourceUris: ['gs://lake/parquet/rows.parquet'],
          sourceFormat: 'PARQUET',
          destinationTable: { projectId, datasetId: 'ld', tableId: 'from_parquet' },
        },
      },
    });
    await job.promise();
    const [rows] = await context.bigquery.query(
      `SELECT COUNT(*) AS n, SUM(id) AS total FROM ld.from_parquet`,
    );
    expect(rows).toEqual([{ n: 1000, total: 499500 }]);
  });

  it('loads newline-delimited JSON uploaded with the job (multipart upload)', async () => {
    const file = join(workDir, 'upload.json');
    await writeFile(file, '{"id": 1, "name": "up"}\n{"id": 2, "name": "loaded"}\n');
    const [job] = await context.bigquery
      .dataset('ld')
      .table('uploaded')
      .load(file, {
        sourceFormat: 'NEWLINE_DELIMITED_JSON',
        schema: {
          fields: [
            { name: 'id', type: 'INTEGER' },
            { name: 'name', type: 'STRING' },
          ],
        },
      });
    expect(job.status?.errorResult).toBeUndefined();
    expect(await rowsOf('uploaded')).toEqual([
      { id: 1, name: 'up' },
      { id: 2, name: 'loaded' },
    ]);
  });

  it('leaves the table as it was when a load fails', async () => {
    await context.storage
      .bucket('lake')
      .file('bad/rows.csv')
      .save('id,name,amount\n5,e,5.5\nnot-a-number,f,6\n');
    const error = await failure(
      context.bigquery
        .dataset('ld')
        .table('from_csv')
        .load(context.storage.bucket('lake').file('bad/rows.csv'), {
          sourceFormat: 'CSV',
          skipLeadingRows: 1,
          writeDisposition: 'WRITE_TRUNCATE',
        }),
    );
    expect(error.errors?.[0]?.reason ?? (error as { reason?: string }).reason).toBe('invalid');
    expect((await rowsOf('from_csv')).map((row) => row.id)).toEqual([1, 2, 3, 4]);
  });

  it('loads quoted newlines, and refuses AVRO clearly where DuckDB cannot read it', async () => {
    const bucket = context.storage.bucket('lake');
    await bucket.file('quoted/rows.csv').save('id,name\n1,"two\nlines"\n');
    const [job] = await context.bigquery.createJob({
      configuration: {
        load: {
          sourceUris: ['gs://lake/quoted/rows.csv'],
          destinationTable: { projectId, datasetId: 'ld', tableId: 'quoted' },
          skipLeadingRows: 1,
          allowQuotedNewlines: true,
          schema: {
            fields: [
              { name: 'id', type: 'INTEGER' },
              { name: 'name', type: 'STRING' },
            ],
          },
        },
      },
    });
    await job.promise();
    expect(await rowsOf('quoted')).toEqual([{ id: 1, name: 'two\nlines' }]);
    await bucket.file('avro/rows.avro').save(Buffer.from('Obj\u0001 not really avro'));
    const avro = await failure(
      context.bigquery.createJob({
        configuration: {
          load: {
            sourceUris: ['gs://lake/avro/rows.avro'],
            sourceFormat: 'AVRO',
            destinationTable: { projectId, datasetId: 'ld', tableId: 'avro' },
          },
        },
      }),
    );
    // Where the avro extension is installed, DuckDB reads the file and finds it is not Avro.
    expect(avro.errors?.[0]?.reason).toBe('invalid');
    expect(avro.message).toMatch(/avro/i);
  });

  it('reports a URI that matches nothing as notFound', async () => {
    const error = await failure(
      context.bigquery.createJob({
        configuration: {
          load: {
            sourceUris: ['gs://lake/nothing/*.csv'],
            destinationTable: { projectId, datasetId: 'ld', tableId: 'none' },
            autodetect: true,
          },
        },
      }),
    );
    expect(error.errors?.[0]?.reason).toBe('notFound');
    expect(error.message).toContain('gs://lake/nothing/*.csv');
  });
});

describe('external tables', () => {
  it('reads CSV objects at query time through CREATE EXTERNAL TABLE', async () => {
    await context.bigquery.query(`
      CREATE OR REPLACE EXTERNAL TABLE \`${projectId}.ld.ext\` (id INT64, name STRING, amount FLOAT64)
      OPTIONS (format = 'CSV', uris = ['gs://lake/csv/*.csv'], skip_leading_rows = 1)`);
    const [rows] = await context.bigquery.query(`SELECT COUNT(*) AS n FROM \`${projectId}.ld.ext\``);
    expect(rows).toEqual([{ n: 4 }]);
    await context.storage.bucket('lake').file('csv/part-3.csv').save('id,name,amount\n9,later,9.5\n');
    const [again] = await context.bigquery.query(`SELECT COUNT(*) AS n FROM \`${projectId}.ld.ext\``);
    expect(again).toEqual([{ n: 5 }]);
    const [metadata] = (await context.bigquery.dataset('ld').table('ext').getMetadata()) as unknown as [
      { type: string },
    ];
    expect(metadata.type).toBe('EXTERNAL');
  });
});

describe('copy jobs', () => {
  it('copies a table, refusing a non-empty destination by default', async () => {
    const source = context.bigquery.dataset('ld').table('uploaded');
    const [job] = await source.createCopyJob(context.bigquery.dataset('ld').table('copied'));
    await job.promise();
    expect(await rowsOf('copied')).toHaveLength(2);
    const error = await failure(source.copy(context.bigquery.dataset('ld').table('copied')));
    expect(error.errors?.[0]?.reason ?? (error as { reason?: string }).reason).toBe('duplicate');
    await source.copy(context.bigquery.dataset('ld').table('copied'), { writeDisposition: 'WRITE_APPEND' });
    expect(await rowsOf('copied')).toHaveLength(4);
  });
});

describe('extract jobs', () => {
  it('extracts CSV with a sharded name, JSON and Parquet to gs://', async () => {
    const table = context.bigquery.dataset('ld').table('uploaded');
    const bucket = context.storage.bucket('lake');
    const [csvJob] = await table.createExtractJob(bucket.file('out/rows-*.csv'));
    await csvJob.promise();
    const [csvText] = await bucket.file('out/rows-000000000000.csv').download();
    expect(csvText.toString()).toBe('id,name\n1,up\n2,loaded\n');
    await table.extract(bucket.file('out/rows.json'), { format: 'JSON' });
    const [jsonText] = await bucket.file('out/rows.json').download();
    expect(
      jsonText
        .toString()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      { id: '1', name: 'up' },
      { id: '2', name: 'loaded' },
    ]);
    await table.extract(bucket.file('out/rows.parquet'), { format: 'PARQUET' });
    const [back] = await context.bigquery.createJob({
      configuration: {
        load: {
          sourceUris: ['gs://lake/out/rows.parquet'],
          sourceFormat: 'PARQUET',
          destinationTable: { projectId, datasetId: 'ld', tableId: 'round_trip' },
        },
      },
    });
    await back.promise();
    expect(await rowsOf('round_trip')).toEqual([
      { id: 1, name: 'up' },
      { id: 2, name: 'loaded' },
    ]);
  });

  it('writes TIMESTAMP and BYTES in CSV as BigQuery exports them', async () => {
    await context.bigquery.query(
      `CREATE TABLE \`${projectId}.ld.typed\` AS SELECT TIMESTAMP '2024-01-02 03:04:05.25 UTC' AS ts, TIMESTAMP '2024-01-02 03:04:00 UTC' AS whole, b'hi' AS raw`,
    );
    const bucket = context.storage.bucket('lake');
    await context.bigquery.dataset('ld').table('typed').extract(bucket.file('out/typed.csv'));
    const [text] = await bucket.file('out/typed.csv').download();
    expect(text.toString()).toBe('ts,whole,raw\n2024-01-02 03:04:05.25 UTC,2024-01-02 03:04:00 UTC,aGk=\n');
  });

  it('refuses an unknown bucket with notFound', async () => {
    const error = await failure(
      context.bigquery
        .dataset('ld')
        .table('uploaded')
        .extract(context.storage.bucket('no-bucket').file('x.csv')),
    );
    expect(error.errors?.[0]?.reason ?? (error as { reason?: string }).reason).toBe('notFound');
  });
});
