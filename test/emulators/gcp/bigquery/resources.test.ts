/**
 * Datasets, tables, insertAll and tabledata.list through the official BigQuery client against the
 * emulator, with BigQuery's error shapes (404 notFound, 409 duplicate, 400 invalid).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigQueryTest } from './support.js';
import type { BigQueryTestContext } from './support.js';

let context: BigQueryTestContext;

beforeAll(async () => {
  context = await startBigQueryTest();
});

afterAll(async () => {
  await context?.emulator.close();
});

interface ApiError {
  code?: number;
  errors?: { reason?: string; message?: string }[];
  message?: string;
}

/** The fields of dataset and table resources the tests read. */
interface Resource {
  location?: string;
  description?: string;
  labels?: Record<string, string>;
  numRows?: string;
  schema: { fields: { name: string }[] };
  [key: string]: unknown;
}

/** A resource's metadata, typed for the tests (the client declares it `any`). */
async function metadataOf(target: { getMetadata(): Promise<unknown> }): Promise<Resource> {
  const [metadata] = (await target.getMetadata()) as [Resource];
  return metadata;
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('datasets', () => {
  it('creates, reads, lists, patches and deletes a dataset', async () => {
    const { bigquery } = context;
    const [dataset] = await bigquery.createDataset('crud_ds', { location: 'EU', description: 'first' });
    expect(dataset.id).toBe('crud_ds');
    const metadata = await metadataOf(bigquery.dataset('crud_ds'));
    expect(metadata).toMatchObject({
      location: 'EU',
      description: 'first',
      datasetReference: { datasetId: 'crud_ds' },
    });
    await bigquery.dataset('crud_ds').setMetadata({ description: 'second', labels: { team: 'data' } });
    const patched = await metadataOf(bigquery.dataset('crud_ds'));
    expect(patched).toMatchObject({ description: 'second', labels: { team: 'data' }, location: 'EU' });
    const [datasets] = await bigquery.getDatasets();
    expect(datasets.map((item) => item.id)).toContain('crud_ds');
    const [exists] = await bigquery.dataset('crud_ds').exists();
    expect(exists).toBe(true);
    await bigquery.dataset('crud_ds').delete();
    const [gone] = await bigquery.dataset('crud_ds').exists();
    expect(gone).toBe(false);
  });

  it('answers duplicate, notFound and resourceInUse as BigQuery does', async () => {
    const { bigquery } = context;
    await bigquery.createDataset('dup_ds');
    const duplicate = await apiError(bigquery.createDataset('dup_ds'));
    expect(duplicate.code).toBe(409);
    expect(duplicate.errors?.[0]?.reason).toBe('duplicate');
    const missing = await apiError(bigquery.dataset('no_such_ds').getMetadata());
    expect(missing.code).toBe(404);
    expect(missing.errors?.[0]?.reason).toBe('notFound');
    expect(missing.message).toContain('Not found: Dataset windhover-test:no_such_ds');
    await bigquery.dataset('dup_ds').createTable('t', { schema: 'a:STRING' });
    const inUse = await apiError(bigquery.dataset('dup_ds').delete());
    expect(inUse.code).toBe(400);
    expect(inUse.errors?.[0]?.reason).toBe('resourceInUse');
    await bigquery.dataset('dup_ds').delete({ force: true });
    const [gone] = await bigquery.dataset('dup_ds').exists();
    expect(gone).toBe(false);
  });
});

describe('tables', () => {
  it('creates a table with a schema, partitioning and clustering, patches and deletes it', async () => {
    const { bigquery } = context;
    const [dataset] = await bigquery.createDataset('tables_ds');
    const schema = [
      { name: 'id', type: 'INT64', mode: 'REQUIRED' },
      { name: 'name', type: 'STRING', description: 'who' },
      { name: 'at', type: 'TIMESTAMP' },
    ];
    const [table] = await dataset.createTable('people', {
      schema,
      timePartitioning: { type: 'DAY', field: 'at' },
      clustering: { fields: ['name'] },
    });
    const metadata = await metadataOf(table);
    expect(metadata.schema.fields).toEqual([
      { name: 'id', type: 'INTEGER', mode: 'REQUIRED' },
      { name: 'name', type: 'STRING', mode: 'NULLABLE', description: 'who' },
      { name: 'at', type: 'TIMESTAMP', mode: 'NULLABLE' },
    ]);
    expect(metadata).toMatchObject({
      timePartitioning: { type: 'DAY', field: 'at' },
      clustering: { fields: ['name'] },
      numRows: '0',
      type: 'TABLE',
    });
    await table.setMetadata({
      description: 'the people',
      schema: { fields: [...schema, { name: 'extra', type: 'BOOL' }] },
    });
    const patched = await metadataOf(table);
    expect(patched.description).toBe('the people');
    expect(patched.schema.fields.map((field) => field.name)).toEqual(['id', 'name', 'at', 'extra']);
    const [tables] = await dataset.getTables();
    expect(tables.map((item) => item.id)).toEqual(['people']);
    const duplicate = await apiError(dataset.createTable('people', { schema }));
    expect(duplicate.code).toBe(409);
    await table.delete();
    const missing = await apiError(table.getMetadata());
    expect(missing.code).toBe(404);
    expect(missing.message).toContain('Not found: Table windhover-test:tables_ds.people');
  });

  it('refuses a bad schema with 400 invalid', async () => {
    const { bigquery } = context;
    const dataset = bigquery.dataset('tables_ds');
    const error = await apiError(
      dataset.createTable('bad', { schema: { fields: [{ name: 'x', type: 'NOPE' }] } }),
    );
    expect(error.code).toBe(400);
    expect(error.errors?.[0]?.reason).toBe('invalid');
    expect(error.message).toContain('unknown type NOPE');
  });
});

describe('insertAll and tabledata.list', () => {
  it('inserts rows and reads them back typed, a page at a time', async () => {
    const { bigquery } = context;
    const [dataset] = await bigquery.createDataset('rows_ds');
    const [table] = await dataset.createTable('events', {
      schema: {
        fields: [
          { name: 'id', type: 'INTEGER' },
          { name: 'label', type: 'STRING' },
          { name: 'score', type: 'FLOAT' },
          { name: 'ok', type: 'BOOLEAN' },
          { name: 'at', type: 'TIMESTAMP' },
          { name: 'day', type: 'DATE' },
          { name: 'raw', type: 'BYTES' },
          { name: 'tags', type: 'STRING', mode: 'REPEATED' },
          {
            name: 'place',
            type: 'RECORD',
            fields: [
              { name: 'city', type: 'STRING' },
              { name: 'zip', type: 'INTEGER' },
            ],
          },
        ],
      },
    });
    const rows = Array.from({ length: 25 }, (_, index) => ({
      id: index,
      label: `row ${index}`,
      score: index / 2,
      ok: index % 2 === 0,
      at: '2024-01-02T03:04:05.123456Z',
      day: '2024-01-02',
      raw: Buffer.from(`bytes ${index}`).toString('base64'),
      tags: ['a', String(index)],
      place: { city: 'Oslo', zip: 150 + index },
    }));
    await table.insert(rows);
    const [all] = await table.getRows();
    expect(all).toHaveLength(25);
    const first = all[0] as Record<string, unknown>;
    expect(first.id).toBe(0);
    expect(first.label).toBe('row 0');
    expect(first.ok).toBe(true);
    expect((first.at as { value: string }).value).toMatch(/^2024-01-02T03:04:05\.123456(000)?Z$/);
    expect((first.day as { value: string }).value).toBe('2024-01-02');
    expect(Buffer.from(first.raw as Buffer).toString()).toBe('bytes 0');
    expect(first.tags).toEqual(['a', '0']);
    expect(first.place).toEqual({ city: 'Oslo', zip: 150 });

    const [page, next] = await table.getRows({ maxResults: 10, autoPaginate: false });
    expect(page).toHaveLength(10);
    expect(next).toBeTruthy();
    const [page2] = await table.getRows({ ...(next as object), autoPaginate: false });
    expect((page2[0] as { id: number }).id).toBe(10);
    const metadata = await metadataOf(table);
    expect(metadata.numRows).toBe('25');
  });

  it('reports bad rows per row and writes nothing without skipInvalidRows', async () => {
    const { bigquery } = context;
    const [table] = await bigquery.dataset('rows_ds').createTable('strict', {
      schema: { fields: [{ name: 'n', type: 'INTEGER', mode: 'REQUIRED' }] },
    });
    const error = (await apiError(table.insert([{ n: 1 }, { n: 'x' }, { m: 2 }]))) as unknown as {
      name?: string;
      errors?: { row: unknown; errors: { reason: string; message: string }[] }[];
    };
    expect(error.name).toBe('PartialFailureError');
    const reasons = (error.errors ?? []).map((entry) => entry.errors[0]?.reason);
    expect(reasons).toEqual(['stopped', 'invalid', 'invalid']);
    const [rows] = await table.getRows();
    expect(rows).toHaveLength(0);
  });
});
