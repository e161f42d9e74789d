/**
 * The BigQuery resource tasks against the emulator: CreateDataset with each `ifExists`,
 * DeleteDataset, CreateTable, TableMetadata, DeleteTable, Copy and ExtractToGcs, and their
 * errors (an unknown dataset, a dataset that exists).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, statesOf } from '../../../engine/support/runtime.js';
import { BQ, PROJECT, startBigQueryHarness } from './support.js';
import type { BigQueryHarness } from './support.js';

let h: BigQueryHarness;

beforeAll(async () => {
  h = await startBigQueryHarness();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

// `description` is every task's documentation too; a task that declares it (as here) gets it.
const createDataset = (id: string, ifExists: string, friendlyName: string) => `  - id: ${id}
    type: ${BQ}.CreateDataset
    name: warehouse
    ifExists: ${ifExists}
    friendlyName: ${friendlyName}
    description: "{{ '${friendlyName}' | upper }} warehouse"
`;

describe('bigquery.CreateDataset and DeleteDataset', () => {
  it('creates a dataset, then ERROR fails, SKIP keeps it, UPDATE updates it', async () => {
    const created = await h.rt.run(h.flow(createDataset('create', 'ERROR', 'first')));
    expect(statesOf(created), await h.errors(created.id)).toEqual({ create: 'SUCCESS' });
    expect(outputsOf(created, 'create')).toMatchObject({
      dataset: 'warehouse',
      project: PROJECT,
      friendlyName: 'first',
    });

    const again = await h.rt.run(h.flow(createDataset('again', 'ERROR', 'second')));
    expect(statesOf(again)).toEqual({ again: 'FAILED' });
    expect(await h.errors(again.id)).toContain(
      `The dataset ${PROJECT}.warehouse already exists; set \`ifExists: SKIP\``,
    );

    const skipped = await h.rt.run(h.flow(createDataset('skip', 'SKIP', 'third')));
    expect(statesOf(skipped), await h.errors(skipped.id)).toEqual({ skip: 'SUCCESS' });
    expect(outputsOf(skipped, 'skip')).toMatchObject({ dataset: 'warehouse', friendlyName: 'first' });

    const updated = await h.rt.run(h.flow(createDataset('update', 'UPDATE', 'fourth')));
    expect(statesOf(updated), await h.errors(updated.id)).toEqual({ update: 'SUCCESS' });
    expect(outputsOf(updated, 'update')).toMatchObject({ dataset: 'warehouse', friendlyName: 'fourth' });
    const [metadata] = (await h.bigquery.dataset('warehouse').getMetadata()) as unknown as [
      { friendlyName?: string; description?: string },
    ];
    expect(metadata.friendlyName).toBe('fourth');
    expect(metadata.description).toBe('FOURTH warehouse');
  });

  it('deletes a dataset with its tables only when deleteContents is true', async () => {
    await h.bigquery.createDataset('scratch');
    await h.bigquery
      .dataset('scratch')
      .createTable('t', { schema: { fields: [{ name: 'x', type: 'INT64' }] } });
    const refused = await h.rt.run(
      h.flow(`  - id: drop
    type: ${BQ}.DeleteDataset
    name: scratch`),
    );
    expect(statesOf(refused)).toEqual({ drop: 'FAILED' });
    expect(await h.errors(refused.id)).toMatch(/scratch/);

    const dropped = await h.rt.run(
      h.flow(`  - id: drop
    type: ${BQ}.DeleteDataset
    name: scratch
    deleteContents: true`),
    );
    expect(statesOf(dropped), await h.errors(dropped.id)).toEqual({ drop: 'SUCCESS' });
    const [exists] = await h.bigquery.dataset('scratch').exists();
    expect(exists).toBe(false);
  });
});

describe('bigquery tables', () => {
  it('creates a table, reads its metadata, copies and extracts it, then deletes it', async () => {
    await h.bigquery.createDataset('shop');
    await h.storage.createBucket('exports');
    const ended = await h.rt.run(
      h.flow(`  - id: create
    type: ${BQ}.CreateTable
    dataset: shop
    table: items
    friendlyName: Items for sale
    tableDefinition:
      type: TABLE
      schema:
        fields:
          - name: id
            type: INT64
            mode: REQUIRED
          - name: name
            type: STRING
  - id: fill
    type: ${BQ}.Query
    sql: INSERT INTO shop.items (id, name) VALUES (1, 'pen'), (2, 'ink')
  - id: metadata
    type: ${BQ}.TableMetadata
    dataset: shop
    table: items
  - id: copy
    type: ${BQ}.Copy
    sourceTables:
      - shop.items
    destinationTable: shop.items_copy
  - id: copied
    type: ${BQ}.Query
    sql: SELECT COUNT(*) AS n FROM shop.items_copy
    fetchType: FETCH_ONE
  - id: extract
    type: ${BQ}.ExtractToGcs
    sourceTable: shop.items
    destinationUris:
      - gs://exports/items.csv
    format: CSV
  - id: delete
    type: ${BQ}.DeleteTable
    dataset: shop
    table: items
  - id: gone
    type: ${BQ}.TableMetadata
    dataset: shop
    table: items
    ifNotExists: SKIP`),
    );
    expect(statesOf(ended), await h.errors(ended.id)).toEqual({
      create: 'SUCCESS',
      fill: 'SUCCESS',
      metadata: 'SUCCESS',
      copy: 'SUCCESS',
      copied: 'SUCCESS',
      extract: 'SUCCESS',
      delete: 'SUCCESS',
      gone: 'SUCCESS',
    });
    expect(outputsOf(ended, 'create')).toMatchObject({
      projectId: PROJECT,
      datasetId: 'shop',
      table: 'items',
      friendlyName: 'Items for sale',
      definition: { type: 'TABLE', schema: { fields: [{ name: 'id' }, { name: 'name' }] } },
    });
    expect(outputsOf(ended, 'metadata')).toMatchObject({ table: 'items', numRows: 2 });
    expect(outputsOf(ended, 'copied')!.row).toEqual({ n: 2 });
    expect(outputsOf(ended, 'extract')).toMatchObject({
      sourceTable: `${PROJECT}.shop.items`,
      destinationUris: ['gs://exports/items.csv'],
    });
    const [csv] = await h.storage.bucket('exports').file('items.csv').download();
    expect(csv.toString().trim().split('\n').sort()).toEqual(['1,pen', '2,ink', 'id,name']);
    expect(outputsOf(ended, 'gone') ?? {}).not.toHaveProperty('table');
    const [exists] = await h.bigquery.dataset('shop').table('items').exists();
    expect(exists).toBe(false);
  });

  it('names an unknown dataset, and a table that exists, in clear errors', async () => {
    const unknown = await h.rt.run(
      h.flow(`  - id: create
    type: ${BQ}.CreateTable
    dataset: no_such_dataset
    table: t
    tableDefinition:
      schema:
        fields:
          - name: x
            type: INT64`),
    );
    expect(statesOf(unknown)).toEqual({ create: 'FAILED' });
    const errors = await h.errors(unknown.id);
    expect(errors).toContain('notFound');
    expect(errors).toContain('no_such_dataset');

    await h.bigquery.createDataset('dup');
    await h.bigquery.dataset('dup').createTable('t', { schema: { fields: [{ name: 'x', type: 'INT64' }] } });
    const duplicate = await h.rt.run(
      h.flow(`  - id: create
    type: ${BQ}.CreateTable
    dataset: dup
    table: t`),
    );
    expect(statesOf(duplicate)).toEqual({ create: 'FAILED' });
    expect(await h.errors(duplicate.id)).toContain(`The table ${PROJECT}.dup.t already exists`);
  });
});
