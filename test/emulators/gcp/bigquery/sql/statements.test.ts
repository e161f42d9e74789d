/**
 * BigQuery DDL and DML translated: what each statement becomes (kind, target, schema,
 * partitioning, clustering, options, external table description) and, run on DuckDB, what the
 * tables hold afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateScript } from '../../../../../src/emulators/gcp/bigquery/sql/translate.js';
import { createHarness } from './harness.js';
import type { Harness } from './harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await createHarness();
});

afterAll(() => harness.close());

const rows = async (sql: string) => (await harness.run(sql)).rows;
const translate = (sql: string) => translateScript(sql, harness.ctx);

describe('DML', () => {
  it('INSERT with and without a column list, with VALUES and with a query', async () => {
    await harness.run(`
      CREATE TABLE ds.items (id INT64, name STRING, price NUMERIC, added DATE);
      INSERT INTO ds.items (id, name, price, added) VALUES (1, "pen", 1.5, '2024-01-01'), (2, 'ink', 3, DATE '2024-01-02');
      INSERT ds.items VALUES (3, 'pad', NULL, NULL);
      INSERT INTO \`proj.ds.items\` (id, name) SELECT id + 10, CONCAT(name, '!') FROM ds.items WHERE id = 1;
    `);
    expect(await rows('SELECT id, name, CAST(price AS STRING), added FROM ds.items ORDER BY id')).toEqual([
      [1, 'pen', '1.5', '2024-01-01'],
      [2, 'ink', '3', '2024-01-02'],
      [3, 'pad', null, null],
      [11, 'pen!', null, null],
    ]);
    expect(translate('INSERT ds.items (id) VALUES (9)')[0]).toMatchObject({
      kind: 'dml',
      operation: 'INSERT',
      target: { projectId: 'proj', datasetId: 'ds', tableId: 'items' },
    });
  });

  it('UPDATE with an alias, with FROM, and with the target named in SET', async () => {
    await harness.run(`
      UPDATE ds.items i SET price = price * 2 WHERE i.id = 1;
      UPDATE ds.items SET name = UPPER(name), items.added = '2024-05-05' WHERE id = 3;
      UPDATE ds.items t SET price = s.p FROM (SELECT 2 AS id, 9.75 AS p) s WHERE t.id = s.id;
    `);
    expect(
      await rows('SELECT id, name, CAST(price AS STRING), added FROM ds.items WHERE id <= 3 ORDER BY id'),
    ).toEqual([
      [1, 'pen', '3', '2024-01-01'],
      [2, 'ink', '9.75', '2024-01-02'],
      [3, 'PAD', null, '2024-05-05'],
    ]);
    expect(translate('UPDATE ds.items SET id = 1 WHERE TRUE')[0]).toMatchObject({
      kind: 'dml',
      operation: 'UPDATE',
    });
  });

  it('DELETE with a condition and a subquery, and TRUNCATE TABLE', async () => {
    await harness.run('DELETE FROM ds.items WHERE id > 10');
    await harness.run('DELETE ds.items x WHERE x.id IN (SELECT MIN(id) FROM ds.items)');
    expect(await rows('SELECT id FROM ds.items ORDER BY id')).toEqual([[2], [3]]);
    expect(translate('TRUNCATE TABLE ds.items')[0]).toMatchObject({ kind: 'dml', operation: 'DELETE' });
    await harness.run('TRUNCATE TABLE ds.items');
    expect(await rows('SELECT COUNT(*) FROM ds.items')).toEqual([[0]]);
  });

  it('MERGE with WHEN MATCHED UPDATE, WHEN NOT MATCHED INSERT and WHEN NOT MATCHED BY SOURCE DELETE', async () => {
    await harness.run(`
      CREATE TABLE ds.stock (sku STRING, qty INT64);
      INSERT ds.stock VALUES ('a', 1), ('b', 2), ('c', 3);
      CREATE TABLE ds.delivery (sku STRING, qty INT64);
      INSERT ds.delivery VALUES ('b', 10), ('d', 4);
      MERGE ds.stock T USING ds.delivery S ON T.sku = S.sku
      WHEN MATCHED THEN UPDATE SET qty = T.qty + S.qty
      WHEN NOT MATCHED BY TARGET THEN INSERT (sku, qty) VALUES (S.sku, S.qty)
      WHEN NOT MATCHED BY SOURCE AND T.qty < 2 THEN DELETE;
    `);
    expect(await rows('SELECT sku, qty FROM ds.stock ORDER BY sku')).toEqual([
      ['b', 12],
      ['c', 3],
      ['d', 4],
    ]);
  });

  it('MERGE from a subquery, with conditions on the clauses and a DELETE when matched', async () => {
    await harness.run(`
      MERGE INTO ds.stock USING (SELECT 'c' AS sku, 0 AS qty UNION ALL SELECT 'e', 5) AS src ON stock.sku = src.sku
      WHEN MATCHED AND src.qty = 0 THEN DELETE
      WHEN NOT MATCHED AND src.qty > 1 THEN INSERT VALUES (src.sku, src.qty * 2);
    `);
    expect(await rows('SELECT sku, qty FROM ds.stock ORDER BY sku')).toEqual([
      ['b', 12],
      ['d', 4],
      ['e', 10],
    ]);
    await harness.run(
      "MERGE ds.stock USING (SELECT 'f' AS s, 1 AS q) n ON stock.sku = n.s WHEN NOT MATCHED THEN INSERT ROW",
    );
    expect(await rows("SELECT qty FROM ds.stock WHERE sku = 'f'")).toEqual([[1]]);
    await harness.run("DELETE ds.stock WHERE sku = 'f'");
    expect(
      translate(
        'MERGE ds.stock T USING ds.delivery S ON FALSE WHEN NOT MATCHED THEN INSERT (sku) VALUES (S.sku)',
      )[0],
    ).toMatchObject({
      kind: 'dml',
      operation: 'MERGE',
      target: { tableId: 'stock' },
    });
  });
});

describe('DDL', () => {
  it('CREATE TABLE with a column list and AS SELECT: a CREATE then an INSERT', async () => {
    const [statement] = translate(
      'CREATE TABLE ds.copy (sku STRING, qty INT64) AS SELECT sku, qty FROM ds.stock',
    );
    expect(statement).toMatchObject({
      kind: 'createTable',
      asSelect: true,
      ifNotExists: false,
      orReplace: false,
    });
    if (statement?.kind !== 'createTable') throw new Error('createTable expected');
    expect(statement.sql).toHaveLength(2);
    await harness.run('CREATE TABLE ds.copy (sku STRING, qty INT64) AS SELECT sku, qty FROM ds.stock');
    expect(await rows('SELECT COUNT(*), SUM(qty) FROM ds.copy')).toEqual([[3, 26]]);
  });

  it('CREATE OR REPLACE TABLE … AS SELECT replaces the table, without a schema (the new table has its columns)', async () => {
    const [statement] = translate(
      'CREATE OR REPLACE TABLE ds.copy AS SELECT sku FROM ds.stock WHERE qty > 5',
    );
    expect(statement).toMatchObject({ kind: 'createTable', orReplace: true, asSelect: true });
    expect(statement && 'schema' in statement ? statement.schema : undefined).toBeUndefined();
    await harness.run('CREATE OR REPLACE TABLE ds.copy AS SELECT sku FROM ds.stock WHERE qty > 5');
    expect(await rows('SELECT * FROM ds.copy ORDER BY sku')).toEqual([['b'], ['e']]);
  });

  it('CREATE TABLE IF NOT EXISTS leaves an existing table alone', async () => {
    await harness.run('CREATE TABLE IF NOT EXISTS ds.copy (other INT64)');
    expect((await harness.run('SELECT * FROM ds.copy')).columns).toEqual(['sku']);
  });

  it('keeps the schema: modes, descriptions, nested and parameterized types', () => {
    const [statement] = translate(`
      CREATE TABLE ds.shapes (
        id INT64 NOT NULL OPTIONS(description = "the key"),
        amount NUMERIC(10, 2),
        code STRING(20),
        tags ARRAY<STRING>,
        points ARRAY<STRUCT<x FLOAT64, y FLOAT64>>,
        owner STRUCT<name STRING, since DATE>,
        flag BOOL, happened DATETIME, raw BYTES, big BIGNUMERIC, t TIME, j JSON
      )`);
    if (statement?.kind !== 'createTable') throw new Error('createTable expected');
    expect(statement.schema).toEqual([
      { name: 'id', type: 'INTEGER', mode: 'REQUIRED', description: 'the key' },
      { name: 'amount', type: 'NUMERIC', mode: 'NULLABLE', precision: '10', scale: '2' },
      { name: 'code', type: 'STRING', mode: 'NULLABLE', maxLength: '20' },
      { name: 'tags', type: 'STRING', mode: 'REPEATED' },
      {
        name: 'points',
        type: 'RECORD',
        mode: 'REPEATED',
        fields: [
          { name: 'x', type: 'FLOAT', mode: 'NULLABLE' },
          { name: 'y', type: 'FLOAT', mode: 'NULLABLE' },
        ],
      },
      {
        name: 'owner',
        type: 'RECORD',
        mode: 'NULLABLE',
        fields: [
          { name: 'name', type: 'STRING', mode: 'NULLABLE' },
          { name: 'since', type: 'DATE', mode: 'NULLABLE' },
        ],
      },
      { name: 'flag', type: 'BOOLEAN', mode: 'NULLABLE' },
      { name: 'happened', type: 'DATETIME', mode: 'NULLABLE' },
      { name: 'raw', type: 'BYTES', mode: 'NULLABLE' },
      { name: 'big', type: 'BIGNUMERIC', mode: 'NULLABLE' },
      { name: 't', type: 'TIME', mode: 'NULLABLE' },
      { name: 'j', type: 'JSON', mode: 'NULLABLE' },
    ]);
  });

  it('creates nested columns DuckDB can fill', async () => {
    await harness.run(`
      CREATE TABLE ds.nested (id INT64, points ARRAY<STRUCT<x FLOAT64, y FLOAT64>>, owner STRUCT<name STRING, since DATE>);
      INSERT ds.nested VALUES (1, [STRUCT(1.0 AS x, 2.0 AS y), STRUCT(3.0 AS x, 4.0 AS y)], STRUCT('ann' AS name, DATE '2020-01-01' AS since));
    `);
    expect(await rows('SELECT owner.name, p.y FROM ds.nested, UNNEST(points) AS p ORDER BY p.y')).toEqual([
      ['ann', 2],
      ['ann', 4],
    ]);
  });

  it('keeps partitioning, clustering and table options as metadata', () => {
    const [statement] = translate(`
      CREATE OR REPLACE TABLE ds.events (ts TIMESTAMP, kind STRING, n INT64)
      PARTITION BY TIMESTAMP_TRUNC(ts, MONTH)
      CLUSTER BY kind, n
      OPTIONS (description = 'events', labels = [("team", "data"), ("env", "dev")], friendly_name = "Events", expiration_timestamp = TIMESTAMP '2030-01-01 00:00:00 UTC')`);
    expect(statement).toMatchObject({
      kind: 'createTable',
      partitioning: { timePartitioning: { type: 'MONTH', field: 'ts' } },
      clustering: ['kind', 'n'],
      options: {
        description: 'events',
        labels: { team: 'data', env: 'dev' },
        friendly_name: 'Events',
        expiration_timestamp: '2030-01-01 00:00:00 UTC',
      },
    });
  });

  it.each([
    ['PARTITION BY day', { timePartitioning: { type: 'DAY', field: 'day' } }],
    ['PARTITION BY DATE(ts)', { timePartitioning: { type: 'DAY', field: 'ts' } }],
    ['PARTITION BY DATE_TRUNC(day, YEAR)', { timePartitioning: { type: 'YEAR', field: 'day' } }],
    ['PARTITION BY TIMESTAMP_TRUNC(ts, HOUR)', { timePartitioning: { type: 'HOUR', field: 'ts' } }],
    ['PARTITION BY _PARTITIONDATE', { timePartitioning: { type: 'DAY' } }],
    [
      'PARTITION BY RANGE_BUCKET(n, GENERATE_ARRAY(0, 100, 10))',
      { rangePartitioning: { field: 'n', range: { start: '0', end: '100', interval: '10' } } },
    ],
  ])('%s', (clause, partitioning) => {
    const [statement] = translate(`CREATE TABLE ds.p (ts TIMESTAMP, day DATE, n INT64) ${clause}`);
    expect(statement).toMatchObject({ kind: 'createTable', partitioning });
  });

  it('CREATE OR REPLACE TABLE … PARTITION BY … CLUSTER BY … AS SELECT (the data-warehouse module)', async () => {
    const sql =
      'CREATE OR REPLACE TABLE ds.stock_partitioned PARTITION BY DATE(at_time) CLUSTER BY sku AS SELECT sku, qty, TIMESTAMP_SECONDS(qty * 86400) AS at_time FROM ds.stock';
    expect(translate(sql)[0]).toMatchObject({
      kind: 'createTable',
      orReplace: true,
      asSelect: true,
      partitioning: { timePartitioning: { type: 'DAY', field: 'at_time' } },
      clustering: ['sku'],
    });
    await harness.run(sql);
    expect(await rows('SELECT sku, DATE(at_time) FROM ds.stock_partitioned ORDER BY sku')).toEqual([
      ['b', '1970-01-13'],
      ['d', '1970-01-05'],
      ['e', '1970-01-11'],
    ]);
  });

  it('the SQL dbt writes for a BigQuery model (the analytics-engineering module)', async () => {
    await harness.run(`
      create or replace table \`proj\`.\`ds\`.\`stg_trips\`
      OPTIONS()
      as (
        with tripdata as (
          select *, row_number() over(partition by vendorid, pickup order by payment_type) as rn
          from (select 1 as vendorid, timestamp '2024-01-01 10:00:00' as pickup, 1 as payment_type, '12.5' as fare
                union all select 1, timestamp '2024-01-01 10:00:00', 2, '3'
                union all select 2, timestamp '2024-01-02 11:00:00', 5, null)
        )
        select
          to_hex(md5(cast(coalesce(cast(vendorid as string), '_dbt_utils_surrogate_key_null_') || '-' || coalesce(cast(pickup as string), '_dbt_utils_surrogate_key_null_') as string))) as tripid,
          safe_cast(vendorid as integer) as vendorid,
          cast(pickup as timestamp) as pickup_datetime,
          cast(fare as numeric) as fare_amount,
          case safe_cast(payment_type as integer)
            when 1 then 'Credit card' when 2 then 'Cash' when 3 then 'No charge' when 4 then 'Dispute' when 5 then 'Unknown' when 6 then 'Voided trip'
            else 'EMPTY'
          end as payment_type_description
        from tripdata
        where rn = 1
      );
    `);
    expect(
      await rows(
        'select vendorid, payment_type_description, cast(fare_amount as string), length(tripid) from `proj`.`ds`.`stg_trips` order by vendorid',
      ),
    ).toEqual([
      [1, 'Credit card', '12.5', 32],
      [2, 'Unknown', null, 32],
    ]);
  });

  it('CREATE VIEW, then a query through it', async () => {
    const [statement] = translate(
      "CREATE OR REPLACE VIEW ds.big_stock OPTIONS(description = 'big') AS SELECT sku FROM ds.stock WHERE qty >= 10",
    );
    expect(statement).toMatchObject({
      kind: 'createView',
      orReplace: true,
      target: { tableId: 'big_stock' },
      options: { description: 'big' },
    });
    await harness.run('CREATE OR REPLACE VIEW ds.big_stock AS SELECT sku FROM ds.stock WHERE qty >= 10');
    expect(await rows('SELECT sku FROM ds.big_stock ORDER BY sku')).toEqual([['b'], ['e']]);
  });

  it('DROP TABLE [IF EXISTS] names its target, in another project too', () => {
    expect(translate('DROP TABLE IF EXISTS `other.ds2.gone`')).toEqual([
      {
        kind: 'dropTable',
        target: { projectId: 'other', datasetId: 'ds2', tableId: 'gone' },
        ifExists: true,
      },
    ]);
    expect(translate('DROP TABLE ds.gone')).toEqual([
      { kind: 'dropTable', target: { projectId: 'proj', datasetId: 'ds', tableId: 'gone' }, ifExists: false },
    ]);
  });

  it('CREATE EXTERNAL TABLE: JSON is newline-delimited JSON, wildcards and options are kept, no schema when none is declared', () => {
    expect(
      translate(
        "CREATE EXTERNAL TABLE ds.logs OPTIONS (format = 'JSON', uris = ['gs://b/logs/*.json.gz'], compression = 'GZIP', ignore_unknown_values = true)",
      ),
    ).toEqual([
      {
        kind: 'createExternalTable',
        target: { projectId: 'proj', datasetId: 'ds', tableId: 'logs' },
        orReplace: false,
        ifNotExists: false,
        format: 'NEWLINE_DELIMITED_JSON',
        uris: ['gs://b/logs/*.json.gz'],
        options: { compression: 'GZIP', ignore_unknown_values: true },
      },
    ]);
    expect(
      translate(
        "CREATE EXTERNAL TABLE IF NOT EXISTS ds.pq OPTIONS (format = 'PARQUET', uris = ['gs://b/a.parquet', 'gs://b/b.parquet'])",
      )[0],
    ).toMatchObject({ format: 'PARQUET', ifNotExists: true, uris: ['gs://b/a.parquet', 'gs://b/b.parquet'] });
    expect(
      translate(
        "CREATE OR REPLACE EXTERNAL TABLE ds.c (a STRING, b INT64) OPTIONS (format = 'csv', uris = ['gs://b/c.csv'], field_delimiter = ';', skip_leading_rows = 2, allow_quoted_newlines = TRUE)",
      )[0],
    ).toMatchObject({
      format: 'CSV',
      schema: [
        { name: 'a', type: 'STRING', mode: 'NULLABLE' },
        { name: 'b', type: 'INTEGER', mode: 'NULLABLE' },
      ],
      options: { field_delimiter: ';', skip_leading_rows: 2, allow_quoted_newlines: true },
    });
  });

  it('a script is its statements in order, separated by semicolons, comments anywhere', () => {
    const statements = translate(`
      -- set up
      CREATE TABLE IF NOT EXISTS ds.s (a INT64);
      INSERT ds.s VALUES (1); /* then read */
      SELECT * FROM ds.s;
    `);
    expect(statements.map((s) => s.kind)).toEqual(['createTable', 'dml', 'query']);
  });
});
