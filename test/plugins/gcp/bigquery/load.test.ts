/**
 * bigquery.LoadFromGcs and bigquery.Load against the emulator: CSV with a header line skipped
 * (`skipLeadingRows`, the course-notes alias `LoadFromGCS` with `dataset`/`table`), Parquet, a
 * file of internal storage streamed to a load job, and bad input (a missing object, not gs://).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, statesOf } from '../../../engine/support/runtime.js';
import { BQ, PROJECT, startBigQueryHarness } from './support.js';
import type { BigQueryHarness } from './support.js';

let h: BigQueryHarness;
const dir = mkdtempSync(join(tmpdir(), 'wh-bq-load-'));

const TRIPS_CSV = `vendor,distance,fare
1,1.5,7.25
2,0.8,5.00
1,12.1,40.10
`;

/** A small Parquet file written by DuckDB. */
async function parquetFile(): Promise<string> {
  const path = join(dir, 'zones.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(
      `COPY (SELECT * FROM (VALUES (1, 'Newark', 'EWR'), (2, 'Jamaica Bay', 'Queens'), (3, 'Allerton', 'Bronx')) t(zone_id, zone, borough)) TO '${path}' (FORMAT PARQUET)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return path;
}

async function count(table: string): Promise<number> {
  const [rows] = await h.bigquery.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number((rows as Array<{ n: number }>)[0]!.n);
}

beforeAll(async () => {
  h = await startBigQueryHarness();
  await h.bigquery.createDataset('raw');
  const [bucket] = await h.storage.createBucket('landing');
  await bucket.file('trips/2024-01.csv').save(TRIPS_CSV);
  await bucket.upload(await parquetFile(), { destination: 'zones/zones.parquet' });
}, 60_000);

afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('bigquery.LoadFromGcs', () => {
  it('loads a CSV file, skipping its header line, with a schema (course-notes form)', async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: load
    type: io.kestra.plugin.gcp.bigquery.LoadFromGCS
    dataset: raw
    table: trips
    from: gs://landing/trips/2024-01.csv
    format: CSV
    csvOptions:
      skipLeadingRows: 1
    schema:
      fields:
        - name: vendor
          type: INT64
        - name: distance
          type: FLOAT64
        - name: fare
          type: NUMERIC
    writeDisposition: WRITE_TRUNCATE`),
    );
    expect(statesOf(ended), await h.errors(ended.id)).toEqual({ load: 'SUCCESS' });
    const outputs = outputsOf(ended, 'load')!;
    expect(outputs.jobId).toMatch(/\S/);
    expect(outputs).toMatchObject({ destinationTable: `${PROJECT}.raw.trips`, rows: 3 });
    const [rows] = await h.bigquery.query('SELECT vendor, distance FROM raw.trips ORDER BY distance');
    expect(rows).toEqual([
      { vendor: 2, distance: 0.8 },
      { vendor: 1, distance: 1.5 },
      { vendor: 1, distance: 12.1 },
    ]);
  });

  it('appends with WRITE_APPEND and loads Parquet with its own schema', async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: zones
    type: ${BQ}.LoadFromGcs
    from:
      - gs://landing/zones/zones.parquet
    destinationTable: raw.zones
    format: PARQUET
  - id: zones_again
    type: ${BQ}.LoadFromGcs
    from:
      - gs://landing/zones/*.parquet
    destinationTable: ${PROJECT}.raw.zones
    format: PARQUET
    writeDisposition: WRITE_APPEND
  - id: listed
    type: io.kestra.plugin.core.output.OutputValues
    values:
      uris:
        - gs://landing/zones/zones.parquet
  - id: from_expression
    type: ${BQ}.LoadFromGcs
    from: "{{ outputs.listed.values.uris }}"
    destinationTable: raw.zones
    format: PARQUET
    writeDisposition: WRITE_APPEND`),
    );
    expect(statesOf(ended), await h.errors(ended.id)).toEqual({
      zones: 'SUCCESS',
      zones_again: 'SUCCESS',
      listed: 'SUCCESS',
      from_expression: 'SUCCESS',
    });
    expect(outputsOf(ended, 'zones')!.rows).toBe(3);
    expect(await count('raw.zones')).toBe(9);
    const [rows] = await h.bigquery.query('SELECT zone FROM raw.zones WHERE zone_id = 2 LIMIT 1');
    expect(rows).toEqual([{ zone: 'Jamaica Bay' }]);
  });

  it('fails clearly on a missing object, and on a source that is not gs://', async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: missing
    type: ${BQ}.LoadFromGcs
    from: ["{{ 'gs://landing/nothing/here.csv' }}"]
    destinationTable: raw.nothing
    format: CSV
    csvOptions: {}
    autodetect: true`),
    );
    expect(statesOf(ended)).toEqual({ missing: 'FAILED' });
    expect(await h.errors(ended.id)).toMatch(/notFound|not found/i);

    const local = await h.rt.run(
      h.flow(`  - id: local
    type: ${BQ}.LoadFromGcs
    from: ["{{ '/tmp/trips.csv' }}"]
    destinationTable: raw.nothing
    format: CSV
    csvOptions: {}`),
    );
    expect(statesOf(local)).toEqual({ local: 'FAILED' });
    expect(await h.errors(local.id)).toContain('`/tmp/trips.csv` is not a Cloud Storage URI');
  });
});

describe('bigquery.Load', () => {
  it('streams a file of internal storage into a load job', async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: file
    type: io.kestra.plugin.core.storage.Write
    content: |
      {"id": 1, "name": "ada"}
      {"id": 2, "name": "bob"}
    extension: .json
  - id: load
    type: ${BQ}.Load
    from: "{{ outputs.file.uri }}"
    destinationTable: raw.people
    format: JSON
    autodetect: true`),
    );
    expect(statesOf(ended), await h.errors(ended.id)).toEqual({ file: 'SUCCESS', load: 'SUCCESS' });
    expect(outputsOf(ended, 'load')).toMatchObject({ destinationTable: `${PROJECT}.raw.people`, rows: 2 });
    expect(await count('raw.people')).toBe(2);
  });

  it('fails on an empty file unless failedOnEmpty is false', async () => {
    const emptyFile = (failedOnEmpty: boolean) =>
      h.flow(`  - id: file
    type: io.kestra.plugin.core.storage.Write
    content: ""
    extension: .csv
  - id: load
    type: ${BQ}.Load
    from: "{{ outputs.file.uri }}"
    destinationTable: raw.empty
    format: CSV
    csvOptions: {}
    failedOnEmpty: ${failedOnEmpty}`);
    const strict = await h.rt.run(emptyFile(true));
    expect(statesOf(strict)).toEqual({ file: 'SUCCESS', load: 'FAILED' });
    expect(await h.errors(strict.id)).toContain('is empty; set `failedOnEmpty: false`');
    const lenient = await h.rt.run(emptyFile(false));
    expect(statesOf(lenient), await h.errors(lenient.id)).toEqual({ file: 'SUCCESS', load: 'SUCCESS' });
    expect(outputsOf(lenient, 'load')).toMatchObject({ rows: 0 });
  });
});
