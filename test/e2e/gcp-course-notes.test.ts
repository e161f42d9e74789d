/**
 * Every flow of the course notes (../shared/seed, section 10 "Integrating GCP Resources", the
 * complete GCP flows and the plugin fragments; kept unchanged in test/fixtures/course*) that uses
 * GCP, run as written against the GCP emulator, given what each expects: the KV values the notes
 * list (`gcp_project_id`, `gcp_location`, `gcp_bucket_name`, `gcp_dataset`) and the Terraform-made
 * dataset with the tables a flow reads. None of these flows names credentials: against an
 * emulator the tasks need none.
 *
 * Three of them cannot succeed as written on Kestra with a real GCP project either, and here
 * they fail the same way, with an error that says why: gcp_integrated_pipeline renders a
 * variable it never declares, complete_gcp_etl's first step downloads from api.example.com, and
 * taxi_data_daily_pipeline's second step is Python importing google-cloud-bigquery (and its
 * first step, which runs, is checked). With its one missing variable declared,
 * gcp_integrated_pipeline runs end to end (upload, LoadFromGCS of a wildcard, CREATE TABLE AS).
 * The notes' local files (`/local/...`) are made only where the test may (root, no `/local`).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../emulators/gcp/support.js';
import type { TestEmulator } from '../emulators/gcp/support.js';
import { outputsOf, startTestRuntime, statesOf } from '../engine/support/runtime.js';
import type { TestRuntime } from '../engine/support/runtime.js';
import { emulatorBigQuery, emulatorStorage, queryRows } from './support/official-clients.js';

/** The example values of the notes' "Kestra Values for GCP Configuration". */
const KV = {
  gcp_project_id: 'your-project-id',
  gcp_location: 'us-central1',
  gcp_bucket_name: 'my-data-bucket',
  gcp_dataset: 'analytics_warehouse',
};
const PROJECT = KV.gcp_project_id;
const DATASET = KV.gcp_dataset;
const TAXI_DATASET = 'taxi_warehouse';

/**
 * The notes upload from `/local/...`: the test makes that folder only where it may and where it
 * does not exist (as root, in CI), and removes it after.
 */
const mayMakeLocalFolder = process.getuid?.() === 0 && !existsSync('/local');

const fixture = (path: string) => readFileSync(`test/fixtures/${path}`, 'utf8');

let emulator: TestEmulator;
let rt: TestRuntime;

beforeAll(async () => {
  emulator = await startTestEmulator();
  rt = await startTestRuntime({
    env: {
      PATH: process.env.PATH,
      STORAGE_EMULATOR_HOST: emulator.url,
      BIGQUERY_EMULATOR_HOST: emulator.url,
      // The notes upload from /local/…: a folder the worker must be told flows may read.
      WINDHOVER_LOCAL_FILES_ALLOWED_PATHS: '/local',
    },
  });
  for (const [key, value] of Object.entries(KV))
    await rt.store.kvPut({ namespace: 'data_engineering.gcp', key, type: 'STRING', value });
  // The daily pipeline's namespace has values of its own (KV is per namespace): its own dataset.
  for (const [key, value] of Object.entries({ ...KV, gcp_dataset: TAXI_DATASET }))
    await rt.store.kvPut({ namespace: 'data_engineering.etl.taxi', key, type: 'STRING', value });
  // What Terraform made in module 1: the dataset (each flow below says which tables it reads).
  await emulatorBigQuery(emulator.url, PROJECT).createDataset(DATASET, { location: KV.gcp_location });
}, 30_000);

afterAll(async () => {
  await rt?.dispose();
  await emulator?.close();
});

/** A table made through the official client, with rows. */
async function givenTable(
  dataset: string,
  table: string,
  schema: Array<{ name: string; type: string }>,
  rows: Array<Record<string, unknown>>,
): Promise<void> {
  const bigQuery = emulatorBigQuery(emulator.url, PROJECT);
  const [exists] = await bigQuery.dataset(dataset).exists();
  if (!exists) await bigQuery.createDataset(dataset);
  const [created] = await bigQuery.dataset(dataset).createTable(table, { schema: { fields: schema } });
  if (rows.length > 0) await created.insert(rows);
}

/** The error lines a task logged. */
async function errorsOf(executionId: string, taskId: string): Promise<string> {
  return (await rt.store.getLogs(executionId))
    .filter((l) => l.taskId === taskId && l.level === 'ERROR')
    .map((l) => l.message)
    .join('\n');
}

describe('the GCP flows of the course notes, as written, on the emulator', () => {
  it('gcp_workflow creates its bucket where the KV says and queries its dataset', async () => {
    await givenTable(
      DATASET,
      'my_table',
      [
        { name: 'id', type: 'INT64' },
        { name: 'name', type: 'STRING' },
      ],
      [
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
      ],
    );
    const execution = await rt.run(fixture('course/gcp_workflow.yaml'));
    expect(statesOf(execution), (await rt.logs(execution.id)).join('\n')).toEqual({
      create_bucket: 'SUCCESS',
      query_dataset: 'SUCCESS',
    });
    const [metadata] = await emulatorStorage(emulator.url, PROJECT).bucket(KV.gcp_bucket_name).getMetadata();
    expect(metadata.location?.toUpperCase()).toBe(KV.gcp_location.toUpperCase());
    expect(outputsOf(execution, 'query_dataset')?.jobId).toEqual(expect.any(String));
  });

  it('gcp_bigquery_job counts the rows of its table (concurrency limit 2)', async () => {
    await givenTable(
      DATASET,
      'large_table',
      [{ name: 'n', type: 'INT64' }],
      Array.from({ length: 50 }, (_, n) => ({ n })),
    );
    const execution = await rt.run(fixture('course/gcp_bigquery_job.yaml'));
    expect(statesOf(execution), (await rt.logs(execution.id)).join('\n')).toEqual({
      run_bigquery_job: 'SUCCESS',
    });
  });

  it('the BigQuery plugin fragment aggregates trips by date', async () => {
    await givenTable(
      DATASET,
      'trips',
      [
        { name: 'date', type: 'DATE' },
        { name: 'fare_amount', type: 'FLOAT64' },
      ],
      [
        { date: '2023-12-31', fare_amount: 5 },
        { date: '2024-01-01', fare_amount: 10 },
        { date: '2024-01-01', fare_amount: 20 },
      ],
    );
    const flow = `id: bigquery_plugin\nnamespace: data_engineering.gcp\n${fixture('course-fragments/bigquery_plugin.yaml')}`;
    const execution = await rt.run(flow);
    expect(statesOf(execution), (await rt.logs(execution.id)).join('\n')).toEqual({
      query_bigquery: 'SUCCESS',
    });
  });

  it.runIf(mayMakeLocalFolder)(
    'the Cloud Storage plugin fragment uploads its local file under the bucket of the KV',
    async () => {
      // The notes' file, where the notes put it (the folder is made for the test and removed).
      mkdirSync('/local/path', { recursive: true });
      try {
        writeFileSync('/local/path/file.parquet', 'PAR1 not really parquet PAR1');
        const flow = `id: cloud_storage_plugin\nnamespace: data_engineering.gcp\n${fixture('course-fragments/cloud_storage_plugin.yaml')}`;
        const execution = await rt.run(flow);
        expect(statesOf(execution), (await rt.logs(execution.id)).join('\n')).toEqual({
          upload_to_gcp: 'SUCCESS',
        });
        const [content] = await emulatorStorage(emulator.url, PROJECT)
          .bucket(KV.gcp_bucket_name)
          .file('processed/file.parquet')
          .download();
        expect(content.toString()).toBe('PAR1 not really parquet PAR1');
      } finally {
        rmSync('/local', { recursive: true, force: true });
      }
    },
  );

  it('gcp_integrated_pipeline stops at its upload: it renders vars.execution_date, which it never declares', async () => {
    const execution = await rt.run(fixture('course/gcp_integrated_pipeline.yaml'));
    expect(execution.state.current).toBe('FAILED');
    expect(statesOf(execution)).toEqual({ upload_to_storage: 'FAILED' });
    expect(await errorsOf(execution.id, 'upload_to_storage')).toMatch(/vars\.execution_date/);
    // Nothing was uploaded (the bucket is there when gcp_workflow ran first).
    const bucket = emulatorStorage(emulator.url, PROJECT).bucket(KV.gcp_bucket_name);
    const [exists] = await bucket.exists();
    const names = exists ? (await bucket.getFiles({ prefix: 'raw/' }))[0].map((f) => f.name) : [];
    expect(names).toEqual([]);
  });

  it.runIf(mayMakeLocalFolder)(
    'gcp_integrated_pipeline runs end to end once its one missing variable is declared',
    async () => {
      // What Terraform made: the bucket, and the raw table the load appends to.
      const bucket = emulatorStorage(emulator.url, PROJECT).bucket(KV.gcp_bucket_name);
      if (!(await bucket.exists())[0]) await bucket.create();
      await givenTable(
        DATASET,
        'taxi_trips_raw',
        [
          { name: 'pickup_time', type: 'TIMESTAMP' },
          { name: 'fare_amount', type: 'FLOAT64' },
          { name: 'distance', type: 'FLOAT64' },
          { name: 'passenger_count', type: 'INT64' },
        ],
        [],
      );
      const csv =
        'pickup_time,fare_amount,distance,passenger_count\n' +
        '2024-01-01 10:00:00,12.5,3.2,1\n2024-01-01 11:00:00,0,1.0,2\n2024-01-02 09:30:00,8.25,2.1,1\n';
      mkdirSync('/local/data', { recursive: true });
      try {
        writeFileSync('/local/data/taxi_trips.csv', csv);
        const flow = fixture('course/gcp_integrated_pipeline.yaml').replace(
          '\ntasks:',
          '\nvariables:\n  execution_date: "2024-01-01"\n\ntasks:',
        );
        const execution = await rt.run(flow);
        expect(statesOf(execution), (await rt.logs(execution.id)).join('\n')).toEqual({
          upload_to_storage: 'SUCCESS',
          load_to_bigquery: 'SUCCESS',
          transform_in_bigquery: 'SUCCESS',
        });
      } finally {
        rmSync('/local', { recursive: true, force: true });
      }
      // The wildcard gs://…/raw/taxi_trips/*/data.csv found the upload; the clean table keeps fares > 0.
      const rows = await queryRows<{ fare_amount: number; distance: number }>(
        emulator.url,
        PROJECT,
        `SELECT fare_amount, distance FROM \`${PROJECT}.${DATASET}.taxi_trips_clean\` ORDER BY pickup_time`,
      );
      expect(rows).toEqual([
        { fare_amount: 12.5, distance: 3.2 },
        { fare_amount: 8.25, distance: 2.1 },
      ]);
    },
  );

  it('complete_gcp_etl stops at its first step, which downloads from api.example.com', async () => {
    const execution = await rt.run(fixture('course/complete_gcp_etl.yaml'));
    expect(execution.state.current).toBe('FAILED');
    // dependsOn makes a DAG: nothing after the failed extract runs.
    expect(statesOf(execution)).toEqual({ extract_data: 'FAILED' });
    // Without the `requests` package the import fails; with it, the connection to api.example.com.
    expect(await errorsOf(execution.id, 'extract_data')).toMatch(/requests|api\.example\.com/);
  }, 30_000);

  it('taxi_data_daily_pipeline copies yesterday into its destination, then needs google-cloud-bigquery in Python', async () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await givenTable(
      'raw',
      'taxi_data',
      [
        { name: 'pickup_time', type: 'TIMESTAMP' },
        { name: 'fare_amount', type: 'NUMERIC' },
      ],
      [
        { pickup_time: `${yesterday} 08:00:00`, fare_amount: 12.5 },
        { pickup_time: `${yesterday} 23:59:00`, fare_amount: 0 },
        { pickup_time: '2020-01-01 08:00:00', fare_amount: 7 },
      ],
    );
    await emulatorBigQuery(emulator.url, PROJECT).createDataset(TAXI_DATASET);
    const execution = await rt.run(fixture('course/taxi_data_daily_pipeline.yaml'));
    expect(statesOf(execution), (await rt.logs(execution.id)).join('\n')).toEqual({
      extract_yesterday: 'SUCCESS',
      transform_data: 'FAILED',
    });
    // `destination: taxi_trips_raw` is a table of the flow's `dataset`.
    const [copied] = await queryRows<{ n: number }>(
      emulator.url,
      PROJECT,
      `SELECT COUNT(*) AS n FROM \`${PROJECT}.${TAXI_DATASET}.taxi_trips_raw\``,
    );
    expect(Number(copied!.n)).toBe(2);
    expect(await errorsOf(execution.id, 'transform_data')).toMatch(/No module named 'google'|google\.cloud/);
  }, 30_000);
});
