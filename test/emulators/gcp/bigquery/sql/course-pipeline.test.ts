/**
 * The course's GCP taxi pipeline (the statements of examples/gcp/06_gcp_taxi.yaml for a yellow
 * month, templating resolved), translated and run on DuckDB: the partitioned target table, the
 * external table over the month's CSV, the CREATE TABLE AS SELECT with MD5 row ids, and the MERGE
 * that keeps re-runs from duplicating rows.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranslatedStatement } from '../../../../../src/emulators/gcp/bigquery/sql/translate.js';
import { translateScript } from '../../../../../src/emulators/gcp/bigquery/sql/translate.js';
import { createHarness } from './harness.js';
import type { Harness } from './harness.js';

const CREATE_YELLOW = `
CREATE TABLE IF NOT EXISTS \`proj.ds.yellow_tripdata\`
(
    unique_row_id BYTES OPTIONS (description = 'A unique identifier for the trip: a hash of its key attributes.'),
    filename STRING OPTIONS (description = 'The file the trip was loaded from.'),
    VendorID STRING OPTIONS (description = 'Code of the provider that sent the record: 1= Creative Mobile Technologies, LLC; 2= VeriFone Inc.'),
    tpep_pickup_datetime TIMESTAMP OPTIONS (description = 'When the meter was engaged'),
    tpep_dropoff_datetime TIMESTAMP OPTIONS (description = 'When the meter was disengaged'),
    passenger_count INTEGER OPTIONS (description = 'Number of passengers, as entered by the driver.'),
    trip_distance NUMERIC OPTIONS (description = 'Trip distance in miles, from the taximeter.'),
    RatecodeID STRING OPTIONS (description = 'Rate code at the end of the trip: 1= Standard rate 2=JFK 3=Newark 4=Nassau or Westchester 5=Negotiated fare 6=Group ride'),
    store_and_fwd_flag STRING OPTIONS (description = 'Whether the record was held in vehicle memory before it was sent, aka "store and forward," because the vehicle had no connection. TRUE = store and forward trip, FALSE = not a store and forward trip'),
    PULocationID STRING OPTIONS (description = 'TLC Taxi Zone where the meter was engaged'),
    DOLocationID STRING OPTIONS (description = 'TLC Taxi Zone where the meter was disengaged'),
    payment_type INTEGER OPTIONS (description = 'How the passenger paid: 1= Credit card 2= Cash 3= No charge 4= Dispute 5= Unknown 6= Voided trip'),
    fare_amount NUMERIC OPTIONS (description = 'Time-and-distance fare computed by the meter'),
    extra NUMERIC OPTIONS (description = 'Extras and surcharges: the $0.50 and $1 rush hour and overnight charges'),
    mta_tax NUMERIC OPTIONS (description = '$0.50 MTA tax, triggered by the metered rate in use'),
    tip_amount NUMERIC OPTIONS (description = 'Tip amount: credit card tips only, cash tips are not included.'),
    tolls_amount NUMERIC OPTIONS (description = 'All tolls paid in the trip.'),
    improvement_surcharge NUMERIC OPTIONS (description = '$0.30 improvement surcharge on hailed trips at the flag drop, levied since 2015.'),
    total_amount NUMERIC OPTIONS (description = 'Total charged to passengers, cash tips excluded.'),
    congestion_surcharge NUMERIC OPTIONS (description = 'Congestion surcharge for trips in congested zones')
)
PARTITION BY DATE(tpep_pickup_datetime);
`;

const CREATE_EXTERNAL = `
CREATE OR REPLACE EXTERNAL TABLE \`proj.ds.yellow_tripdata_2019_01_ext\`
(
    VendorID STRING OPTIONS (description = 'Code of the provider that sent the record: 1= Creative Mobile Technologies, LLC; 2= VeriFone Inc.'),
    tpep_pickup_datetime TIMESTAMP OPTIONS (description = 'When the meter was engaged'),
    tpep_dropoff_datetime TIMESTAMP OPTIONS (description = 'When the meter was disengaged'),
    passenger_count INTEGER OPTIONS (description = 'Number of passengers, as entered by the driver.'),
    trip_distance NUMERIC OPTIONS (description = 'Trip distance in miles, from the taximeter.'),
    RatecodeID STRING OPTIONS (description = 'Rate code at the end of the trip: 1= Standard rate 2=JFK 3=Newark 4=Nassau or Westchester 5=Negotiated fare 6=Group ride'),
    store_and_fwd_flag STRING OPTIONS (description = 'Whether the record was held in vehicle memory before it was sent, aka "store and forward," because the vehicle had no connection. TRUE = store and forward trip, FALSE = not a store and forward trip'),
    PULocationID STRING OPTIONS (description = 'TLC Taxi Zone where the meter was engaged'),
    DOLocationID STRING OPTIONS (description = 'TLC Taxi Zone where the meter was disengaged'),
    payment_type INTEGER OPTIONS (description = 'How the passenger paid: 1= Credit card 2= Cash 3= No charge 4= Dispute 5= Unknown 6= Voided trip'),
    fare_amount NUMERIC OPTIONS (description = 'Time-and-distance fare computed by the meter'),
    extra NUMERIC OPTIONS (description = 'Extras and surcharges: the $0.50 and $1 rush hour and overnight charges'),
    mta_tax NUMERIC OPTIONS (description = '$0.50 MTA tax, triggered by the metered rate in use'),
    tip_amount NUMERIC OPTIONS (description = 'Tip amount: credit card tips only, cash tips are not included.'),
    tolls_amount NUMERIC OPTIONS (description = 'All tolls paid in the trip.'),
    improvement_surcharge NUMERIC OPTIONS (description = '$0.30 improvement surcharge on hailed trips at the flag drop, levied since 2015.'),
    total_amount NUMERIC OPTIONS (description = 'Total charged to passengers, cash tips excluded.'),
    congestion_surcharge NUMERIC OPTIONS (description = 'Congestion surcharge for trips in congested zones')
)
OPTIONS (
    format = 'CSV',
    uris = ['gs://bucket/yellow_tripdata_2019-01.csv'],
    skip_leading_rows = 1,
    ignore_unknown_values = TRUE
);
`;

const CREATE_TMP = `
CREATE OR REPLACE TABLE \`proj.ds.yellow_tripdata_2019_01\`
AS
SELECT
  MD5(CONCAT(
    COALESCE(CAST(VendorID AS STRING), ""),
    COALESCE(CAST(tpep_pickup_datetime AS STRING), ""),
    COALESCE(CAST(tpep_dropoff_datetime AS STRING), ""),
    COALESCE(CAST(PULocationID AS STRING), ""),
    COALESCE(CAST(DOLocationID AS STRING), "")
  )) AS unique_row_id,
  "yellow_tripdata_2019-01.csv" AS filename,
  *
FROM \`proj.ds.yellow_tripdata_2019_01_ext\`;
`;

const MERGE = `
MERGE INTO \`proj.ds.yellow_tripdata\` T
USING \`proj.ds.yellow_tripdata_2019_01\` S
ON T.unique_row_id = S.unique_row_id
WHEN NOT MATCHED THEN
  INSERT (unique_row_id, filename, VendorID, tpep_pickup_datetime, tpep_dropoff_datetime, passenger_count, trip_distance, RatecodeID, store_and_fwd_flag, PULocationID, DOLocationID, payment_type, fare_amount, extra, mta_tax, tip_amount, tolls_amount, improvement_surcharge, total_amount, congestion_surcharge)
  VALUES (S.unique_row_id, S.filename, S.VendorID, S.tpep_pickup_datetime, S.tpep_dropoff_datetime, S.passenger_count, S.trip_distance, S.RatecodeID, S.store_and_fwd_flag, S.PULocationID, S.DOLocationID, S.payment_type, S.fare_amount, S.extra, S.mta_tax, S.tip_amount, S.tolls_amount, S.improvement_surcharge, S.total_amount, S.congestion_surcharge);
`;

const HEADER =
  'VendorID,tpep_pickup_datetime,tpep_dropoff_datetime,passenger_count,trip_distance,RatecodeID,store_and_fwd_flag,PULocationID,DOLocationID,payment_type,fare_amount,extra,mta_tax,tip_amount,tolls_amount,improvement_surcharge,total_amount,congestion_surcharge';

function csvRows(count: number): string {
  const lines = [HEADER];
  for (let i = 0; i < count; i++) {
    const minute = String(i % 60).padStart(2, '0');
    const hour = String(Math.floor(i / 60) % 24).padStart(2, '0');
    lines.push(
      `${(i % 2) + 1},2019-01-01 ${hour}:${minute}:00,2019-01-01 ${hour}:${minute}:30,1,${(i / 10).toFixed(2)},1,N,${100 + (i % 7)},${200 + i},1,${(5 + i / 4).toFixed(2)},0.5,0.5,1,0,0.3,7.3,`,
    );
  }
  return lines.join('\n') + '\n';
}

let harness: Harness;
let dir: string;

beforeAll(async () => {
  harness = await createHarness();
  dir = mkdtempSync(join(tmpdir(), 'windhover-bq-sql-'));
  writeFileSync(join(dir, 'month.csv'), csvRows(50));
});

afterAll(() => {
  harness.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the emulator does with an external table: a read expression over its objects, typed by its schema. */
function registerExternal(statement: TranslatedStatement): void {
  if (statement.kind !== 'createExternalTable') throw new Error('not an external table');
  const types: Record<string, string> = {
    STRING: 'VARCHAR',
    TIMESTAMP: 'TIMESTAMPTZ',
    INTEGER: 'BIGINT',
    NUMERIC: 'DECIMAL(38, 9)',
  };
  const columns = (statement.schema ?? [])
    .map((field) => `'${field.name}': '${types[field.type] ?? 'VARCHAR'}'`)
    .join(', ');
  harness.external.set(
    statement.target.tableId,
    `(SELECT * FROM read_csv('${join(dir, 'month.csv')}', header = true, columns = {${columns}}))`,
  );
}

describe('the course pipeline (yellow taxi month)', () => {
  it('creates the partitioned target table with its schema and descriptions', async () => {
    const [statement] = translateScript(CREATE_YELLOW, harness.ctx);
    expect(statement).toMatchObject({
      kind: 'createTable',
      target: { projectId: 'proj', datasetId: 'ds', tableId: 'yellow_tripdata' },
      ifNotExists: true,
      orReplace: false,
      asSelect: false,
      partitioning: { timePartitioning: { type: 'DAY', field: 'tpep_pickup_datetime' } },
    });
    if (statement?.kind !== 'createTable') throw new Error('createTable expected');
    expect(statement.schema?.[0]).toEqual({
      name: 'unique_row_id',
      type: 'BYTES',
      mode: 'NULLABLE',
      description: 'A unique identifier for the trip: a hash of its key attributes.',
    });
    expect(statement.schema?.map((f) => f.type)).toContain('NUMERIC');
    expect(statement.schema?.find((f) => f.name === 'passenger_count')?.type).toBe('INTEGER');
    await harness.run(CREATE_YELLOW);
    const { rows } = await harness.run('SELECT COUNT(*) FROM `proj.ds.yellow_tripdata`');
    expect(rows).toEqual([[0]]);
  });

  it('describes the external table over the month CSV', () => {
    const [statement] = translateScript(CREATE_EXTERNAL, harness.ctx);
    expect(statement).toMatchObject({
      kind: 'createExternalTable',
      target: { projectId: 'proj', datasetId: 'ds', tableId: 'yellow_tripdata_2019_01_ext' },
      orReplace: true,
      ifNotExists: false,
      format: 'CSV',
      uris: ['gs://bucket/yellow_tripdata_2019-01.csv'],
      options: { skip_leading_rows: 1, ignore_unknown_values: true },
    });
    if (statement?.kind !== 'createExternalTable') throw new Error('createExternalTable expected');
    expect(statement.schema).toHaveLength(18);
    registerExternal(statement);
  });

  it('builds the month table with MD5 row ids (BYTES, 16 bytes, distinct) and the file name', async () => {
    await harness.run(CREATE_TMP);
    const { rows, columns, types } = await harness.run(
      'SELECT COUNT(*), COUNT(DISTINCT unique_row_id), ANY_VALUE(filename), MIN(BYTE_LENGTH(unique_row_id)) FROM `proj.ds.yellow_tripdata_2019_01`',
    );
    expect(rows).toEqual([[50, 50, 'yellow_tripdata_2019-01.csv', 16]]);
    expect(columns).toEqual(['f0_', 'f1_', 'f2_', 'f3_']);
    expect(types).toEqual(['INTEGER', 'INTEGER', 'STRING', 'INTEGER']);
    const first = await harness.run(
      'SELECT TO_HEX(unique_row_id), TO_HEX(MD5(CONCAT("1", "2019-01-01 00:00:00+00", "2019-01-01 00:00:30+00", "100", "200"))) FROM `proj.ds.yellow_tripdata_2019_01` WHERE DOLocationID = "200"',
    );
    expect(first.rows[0]![0]).toBe(first.rows[0]![1]);
    const schema = await harness.run('SELECT * FROM `proj.ds.yellow_tripdata_2019_01` LIMIT 1');
    expect(schema.columns.slice(0, 3)).toEqual(['unique_row_id', 'filename', 'VendorID']);
    expect(schema.types.slice(0, 4)).toEqual(['BYTES', 'STRING', 'STRING', 'TIMESTAMP']);
  });

  it('merges the month into the target, and a second run adds nothing', async () => {
    const [merge] = translateScript(MERGE, harness.ctx);
    expect(merge).toMatchObject({ kind: 'dml', operation: 'MERGE', target: { tableId: 'yellow_tripdata' } });
    await harness.run(MERGE);
    await harness.run(MERGE);
    const { rows } = await harness.run(
      'SELECT COUNT(*), COUNT(DISTINCT unique_row_id), SUM(trip_distance) FROM `proj.ds.yellow_tripdata`',
    );
    expect(rows).toEqual([[50, 50, '122.500000000']]);
  });
});
