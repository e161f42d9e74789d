/**
 * What the translator refuses: syntax errors, unknown functions and types, and BigQuery
 * constructs outside the emulator's subset, each a BigQuerySqlError with BigQuery's reason,
 * a message naming the construct and the line and column where it was written. Never a wrong answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateScript } from '../../../../../src/emulators/gcp/bigquery/sql/translate.js';
import { createHarness, translationError } from './harness.js';
import type { Harness } from './harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await createHarness();
});

afterAll(() => harness.close());

const NOT_SUPPORTED = "Windhover's emulator does not support";

/** [BigQuery SQL, the whole message (with its ` at [line:column]`)] */
const REFUSED: [string, string][] = [
  ['SELECT FOO(1)', 'Function not found: FOO at [1:8]'],
  ['SELECT 1,\n  bar(2)', 'Function not found: bar at [2:3]'],
  ['SELECT mydataset.myfunc(1)', 'Function not found: mydataset.myfunc at [1:8]'],
  ['SELECT 1 +', 'Syntax error: Unexpected end of input at [1:11]'],
  ['SELECT FROM t', 'Syntax error: Unexpected keyword FROM at [1:8]'],
  ['SELECT 1 2.5', 'Syntax error: Expected end of input but got floating point literal "2.5" at [1:10]'],
  ['SELECT a FROM t GROUP a', 'Syntax error: Expected end of input but got keyword GROUP at [1:17]'],
  [
    'SELECT a FROM t LEFT t2 ON TRUE',
    'Syntax error: Expected keyword JOIN but got identifier "t2" at [1:22]',
  ],
  ['SELECT CASE WHEN TRUE THEN 1', 'Syntax error: Expected keyword END but got end of input at [1:29]'],
  ['SELECT (1, 2', 'Syntax error: Expected ")" but got end of input at [1:13]'],
  ['SELECT * FROM', 'Syntax error: Expected a table name but got end of input at [1:14]'],
  ['SELECT 1 2', 'Syntax error: Expected end of input but got integer literal "2" at [1:10]'],
  ['SELECT 1abc', 'Syntax error: Missing whitespace between literal and alias at [1:9]'],
  ["SELECT 'abc", 'Syntax error: Unclosed string literal at [1:8]'],
  ['SELECT `abc', 'Syntax error: Unclosed identifier at [1:8]'],
  ['SELECT 1 /* open', 'Syntax error: Unclosed comment at [1:10]'],
  ['SELECT $x', 'Syntax error: Illegal input character "$" at [1:8]'],
  ['SELECT 1 FROM t WHERE', 'Syntax error: Unexpected end of input at [1:22]'],
  ['SELECT CAST(1 AS WHATEVER)', 'Type not found: WHATEVER at [1:18]'],
  ['SELECT 1; SELECT', 'Syntax error: Unexpected end of input at [1:17]'],
  ['SELECT 1 SELECT 2', 'Syntax error: Expected end of input but got keyword SELECT at [1:10]'],
  ['DECLARE x INT64', `${NOT_SUPPORTED} \`DECLARE\` statements at [1:1]`],
  ['EXPORT DATA OPTIONS(uri="gs://b/*.csv") AS SELECT 1', `${NOT_SUPPORTED} \`EXPORT\` statements at [1:1]`],
  ['CREATE FUNCTION f() AS (1)', `${NOT_SUPPORTED} \`CREATE FUNCTION\` at [1:8]`],
  ['CREATE TEMP TABLE x (a INT64)', `${NOT_SUPPORTED} temporary tables and functions at [1:8]`],
  ['CREATE TABLE ds.x LIKE ds.y', `${NOT_SUPPORTED} \`CREATE TABLE … LIKE\` at [1:19]`],
  ['DROP SCHEMA ds', `${NOT_SUPPORTED} \`DROP SCHEMA\` at [1:6]`],
  ['SELECT @param', `${NOT_SUPPORTED} query parameters at [1:8]`],
  ['SELECT 1 FROM t WHERE x = ?', `${NOT_SUPPORTED} query parameters at [1:27]`],
  ['SELECT @@project_id', `${NOT_SUPPORTED} system variables (\`@@…\`) at [1:8]`],
  ['SELECT AS STRUCT * FROM t', `${NOT_SUPPORTED} \`*\` in SELECT AS STRUCT at [1:18]`],
  ['SELECT AS VALUE 1, 2', 'SELECT AS VALUE query must have exactly one column at [1:1]'],
  [
    'SELECT AS TABLE 1',
    'Syntax error: Expected keyword STRUCT or VALUE but got identifier "TABLE" at [1:11]',
  ],
  ['SELECT * FROM trips TABLESAMPLE SYSTEM (10 PERCENT)', `${NOT_SUPPORTED} \`TABLESAMPLE\` at [1:21]`],
  ['SELECT * FROM trips PIVOT(SUM(n) FOR k IN ("a"))', `${NOT_SUPPORTED} \`PIVOT\` at [1:21]`],
  [
    "SELECT * FROM trips FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01'",
    `${NOT_SUPPORTED} \`FOR SYSTEM_TIME AS OF\` at [1:21]`,
  ],
  [
    'SELECT * FROM ML.PREDICT(MODEL m, TABLE t)',
    "Windhover's emulator does not support table-valued functions at [1:15]",
  ],
  ['SELECT * FROM a NATURAL JOIN b', `${NOT_SUPPORTED} \`NATURAL JOIN\` at [1:17]`],
  ['SELECT 1 INTERSECT ALL SELECT 1', 'INTERSECT ALL is not supported at [1:10]'],
  [
    'SELECT 1 UNION SELECT 2',
    'Syntax error: Expected keyword ALL or DISTINCT but got keyword SELECT at [1:16]',
  ],
  ["SELECT FARM_FINGERPRINT('a')", `${NOT_SUPPORTED} the function FARM_FINGERPRINT at [1:8]`],
  ['SELECT TO_JSON_STRING(STRUCT(1 AS a))', `${NOT_SUPPORTED} the function TO_JSON_STRING at [1:8]`],
  ["SELECT FORMAT('%t', 1)", `${NOT_SUPPORTED} the FORMAT element %t at [1:15]`],
  [
    'SELECT ROW_NUMBER() FROM trips',
    'Analytic function ROW_NUMBER cannot be called without an OVER clause at [1:8]',
  ],
  [
    'SELECT PERCENTILE_CONT(x, 0.5) FROM t',
    'Analytic function PERCENTILE_CONT cannot be called without an OVER clause at [1:8]',
  ],
  [
    'SELECT APPROX_QUANTILES(x, n) FROM t',
    'APPROX_QUANTILES takes a positive integer literal number of quantiles at [1:28]',
  ],
  ['SELECT UPPER(DISTINCT "a")', 'UPPER is not an aggregate function at [1:8]'],
  [
    "SELECT SUBSTR('a')",
    'No matching signature for function SUBSTR: expected 2 to 3 arguments, got 1 at [1:8]',
  ],
  [
    "SELECT DATE_ADD(DATE '2024-01-01', INTERVAL 1 HOUR)",
    'Unsupported date part HOUR for DATE_ADD at [1:47]',
  ],
  ["SELECT DATE_ADD(DATE '2024-01-01', 1)", 'DATE_ADD takes an INTERVAL as its second argument at [1:36]'],
  [
    "SELECT TIMESTAMP_DIFF(TIMESTAMP '2024-01-01', TIMESTAMP '2023-01-01', MONTH)",
    'Unsupported date part MONTH for TIMESTAMP_DIFF at [1:71]',
  ],
  [
    "SELECT DATE_TRUNC(DATE '2024-01-01', FORTNIGHT)",
    'A valid date part name is required but found FORTNIGHT at [1:8]',
  ],
  ["SELECT FORMAT_DATE('%Ez', DATE '2024-01-01')", `${NOT_SUPPORTED} the format element %Ez at [1:20]`],
  ["SELECT FORMAT_DATE('%P', DATE '2024-01-01')", `${NOT_SUPPORTED} the format element %P at [1:20]`],
  [
    "SELECT FORMAT_DATE(fmt, DATE '2024-01-01') FROM t",
    `${NOT_SUPPORTED} a FORMAT_DATE format that is not a string literal at [1:20]`,
  ],
  [
    "SELECT REGEXP_EXTRACT('ab', r'(a)(b)')",
    'Regular expressions passed into extraction functions must not have more than 1 capturing group at [1:29]',
  ],
  ['SELECT CAST(1 AS STRING FORMAT "9")', `${NOT_SUPPORTED} \`CAST … FORMAT\` at [1:25]`],
  ['SELECT * FROM UNNEST([1], [2])', `${NOT_SUPPORTED} UNNEST of several arrays at [1:25]`],
  [
    'UPDATE ds.t SET a = 1',
    'Syntax error: Expected keyword WHERE (BigQuery requires a WHERE clause in UPDATE) but got end of input at [1:22]',
  ],
  [
    'DELETE FROM ds.t',
    'Syntax error: Expected keyword WHERE (BigQuery requires a WHERE clause in DELETE) but got end of input at [1:17]',
  ],
  ['UPDATE ds.t SET s.a = 1 WHERE TRUE', `${NOT_SUPPORTED} updating a field of a STRUCT column at [1:17]`],
  [
    'MERGE ds.t T USING ds.s S ON T.a = S.a WHEN MATCHED THEN INSERT ROW',
    'Syntax error: WHEN MATCHED cannot INSERT at [1:58]',
  ],
  [
    'MERGE ds.t T USING ds.s S ON T.a = S.a WHEN NOT MATCHED BY SOURCE THEN INSERT ROW',
    'Syntax error: WHEN NOT MATCHED BY SOURCE cannot INSERT at [1:72]',
  ],
  ['INSERT ds.t (a) VALUES (DEFAULT)', `${NOT_SUPPORTED} \`DEFAULT\` as a value at [1:25]`],
  [
    'CREATE OR REPLACE TABLE IF NOT EXISTS ds.t (a INT64)',
    'CREATE statements cannot have both OR REPLACE and IF NOT EXISTS at [1:1]',
  ],
  ['CREATE TABLE ds.t (a INT64, A STRING)', 'Duplicate column name A at [1:29]'],
  [
    'CREATE TABLE ds.t',
    'Syntax error: Expected a column list or AS followed by a query but got end of input at [1:18]',
  ],
  [
    'CREATE TABLE ds.t (a INT64, PRIMARY KEY (a) NOT ENFORCED)',
    `${NOT_SUPPORTED} table constraints (PRIMARY KEY, FOREIGN KEY) at [1:29]`,
  ],
  [
    'CREATE TABLE ds.t (a INT64) PARTITION BY MOD(a, 2)',
    `${NOT_SUPPORTED} this PARTITION BY expression (use a DATE/TIMESTAMP column, DATE(col), *_TRUNC(col, part) or RANGE_BUCKET) at [1:42]`,
  ],
  [
    'CREATE TABLE ds.t (a INT64) OPTIONS (description = CONCAT("a", "b"))',
    `${NOT_SUPPORTED} an OPTIONS value that is not a literal at [1:52]`,
  ],
  [
    "CREATE EXTERNAL TABLE ds.e OPTIONS (format = 'AVRO', uris = ['gs://b/x.avro'])",
    `${NOT_SUPPORTED} the external table format AVRO (CSV, PARQUET and NEWLINE_DELIMITED_JSON are) at [1:37]`,
  ],
  [
    "CREATE EXTERNAL TABLE ds.e OPTIONS (format = 'CSV', uris = ['/local/x.csv'])",
    'Invalid URI /local/x.csv: external tables read gs:// URIs at [1:53]',
  ],
  [
    "CREATE EXTERNAL TABLE ds.e OPTIONS (uris = ['gs://b/x.csv'])",
    'CREATE EXTERNAL TABLE needs the option format at [1:1]',
  ],
  [
    "CREATE EXTERNAL TABLE ds.e OPTIONS (format = 'CSV')",
    'CREATE EXTERNAL TABLE needs the option uris, a list of gs:// URIs at [1:1]',
  ],
  ['SELECT * FROM a.b.c.d', 'Invalid table name: a.b.c.d at [1:15]'],
  [
    "SELECT table_name FROM `nytaxi.INFORMATION_SCHEMA.PARTITIONS` WHERE table_name = 'x'",
    `${NOT_SUPPORTED} INFORMATION_SCHEMA views at [1:24]`,
  ],
  [
    'CREATE OR REPLACE MODEL ds.m OPTIONS(model_type="linear_reg") AS SELECT 1 AS label',
    `${NOT_SUPPORTED} \`CREATE MODEL\` at [1:19]`,
  ],
  ['SELECT 1 FROM trips t, zones t', 'Duplicate table alias t in the same FROM clause at [1:30]'],
  ['WITH a AS (SELECT 1), a AS (SELECT 2) SELECT * FROM a', 'Duplicate alias a for WITH subquery at [1:23]'],
  ['SELECT 99999999999999999999', 'Invalid integer literal: 99999999999999999999 at [1:8]'],
  ['SELECT x FROM t WHERE x LIKE ANY ("a")', `${NOT_SUPPORTED} \`LIKE ANY\`/\`LIKE ALL\` at [1:30]`],
  [
    'SELECT ARRAY_AGG(x HAVING MAX y) FROM t',
    `${NOT_SUPPORTED} \`HAVING MAX\`/\`HAVING MIN\` in aggregates at [1:20]`,
  ],
  ["SELECT RANGE(DATE '2024-01-01', NULL)", 'Function not found: RANGE at [1:8]'],
];

describe('refused constructs', () => {
  it.each(REFUSED)('%s', (sql, message) => {
    const error = translationError(harness, sql);
    expect(error.reason).toBe('invalidQuery');
    expect(error.message).toBe(message);
    const position = /at \[(\d+):(\d+)\]$/.exec(message)!;
    expect([error.line, error.column]).toEqual([Number(position[1]), Number(position[2])]);
  });
});

describe('errors of the tables named', () => {
  it('a table without a dataset when there is no default dataset', () => {
    const ctx = { ...harness.ctx, defaultDatasetId: undefined };
    expect(() => translateScript('SELECT 1 FROM\n  trips', ctx)).toThrow(
      'Table "trips" must be qualified with a dataset (e.g. dataset.table). at [2:3]',
    );
  });

  it("the context's notFound, placed where the table is named", () => {
    const error = translationError(harness, 'SELECT *\nFROM ds.missing_one');
    expect(error.reason).toBe('notFound');
    expect(error.message).toBe('Not found: Table proj:ds.missing_one at [2:6]');
  });
});

describe('errors BigQuery raises when the query runs', () => {
  it('division by zero is an error, not NULL or Infinity', async () => {
    await expect(harness.run('SELECT 1 / 0')).rejects.toThrow(/division by zero/);
    await expect(harness.run('SELECT MOD(5, 0)')).rejects.toThrow(/division by zero/);
    expect((await harness.run('SELECT SAFE_DIVIDE(1, 0), 1 / 2')).rows).toEqual([[null, 0.5]]);
  });

  it('FLOAT64(), INT64() and BOOL() take JSON only, with SAFE. too (the course notes write SAFE.FLOAT64 on a number)', async () => {
    const refused = /No matching signature for function FLOAT64: its argument must be JSON.* at \[1:16\]/;
    await expect(harness.run('SELECT 1 AS x, FLOAT64(2.5)')).rejects.toThrow(refused);
    await expect(harness.run("SELECT 1 AS x, SAFE.FLOAT64(CAST('2.5' AS FLOAT64))")).rejects.toThrow(
      /function FLOAT64: its argument must be JSON/,
    );
    await expect(harness.run('SELECT INT64(3)')).rejects.toThrow(/function INT64: its argument must be JSON/);
    expect(
      (await harness.run("SELECT FLOAT64(JSON '2.5'), SAFE.FLOAT64('x'), INT64(JSON '3')")).rows,
    ).toEqual([[2.5, null, 3]]);
  });
});
