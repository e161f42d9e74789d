/**
 * BigQuery queries translated and run on DuckDB, each with the rows BigQuery gives: literals and
 * their types, operators, casts, string, math, date/time, array and aggregate functions, and the
 * clauses of SELECT over two small tables (`proj.ds.trips`, `proj.ds.zones`) made with BigQuery DDL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness } from './harness.js';
import type { Harness } from './harness.js';

interface Case {
  bq: string;
  rows: unknown[][];
  /** BigQuery's types of the result columns (REST names), when the case is about them. */
  types?: string[];
  columns?: string[];
}

const SETUP = `
CREATE TABLE \`proj.ds.trips\` (
  id INT64, vendor STRING, pickup TIMESTAMP, distance FLOAT64, fare NUMERIC, tags ARRAY<STRING>,
  info STRUCT<zone STRING, borough STRING>, paid BOOL, day DATE
);
INSERT INTO \`proj.ds.trips\` (id, vendor, pickup, distance, fare, tags, info, paid, day) VALUES
  (1, 'a', TIMESTAMP '2024-01-01 10:15:30', 1.5, NUMERIC '10.50', ['x', 'y'], STRUCT('Z1' AS zone, 'Manhattan' AS borough), TRUE, DATE '2024-01-01'),
  (2, "b", '2024-01-02 23:59:59.123456', 2.0, 7.25, ['y'], STRUCT('Z2', 'Queens'), FALSE, '2024-01-02'),
  (3, 'a', TIMESTAMP '2024-02-15 00:00:00', NULL, 20, [], ('Z1', 'Manhattan'), NULL, DATE '2024-02-15'),
  (4, NULL, TIMESTAMP '2024-03-31 12:00:00', 10.25, NULL, ['z', 'x', 'y'], NULL, TRUE, NULL);
CREATE TABLE ds.zones (zone STRING NOT NULL, name STRING);
INSERT ds.zones VALUES ('Z1', 'One'), ('Z2', 'Two'), ('Z3', 'Three');
`;

const LITERALS: Case[] = [
  { bq: 'SELECT 1', rows: [[1]], types: ['INTEGER'], columns: ['f0_'] },
  { bq: 'SELECT 2147483647 + 1', rows: [[2147483648]] },
  {
    bq: `SELECT "double-quoted", 'single'`,
    rows: [['double-quoted', 'single']],
    types: ['STRING', 'STRING'],
  },
  { bq: 'SELECT """triple "quoted" text"""', rows: [['triple "quoted" text']] },
  { bq: String.raw`SELECT r"a\nb", "a\tb", 'it\'s'`, rows: [['a\\nb', 'a\tb', "it's"]] },
  { bq: 'SELECT b"abc"', rows: [['0x616263']], types: ['BYTES'] },
  { bq: 'SELECT 1.5, 1e3', rows: [[1.5, 1000]], types: ['FLOAT', 'FLOAT'] },
  { bq: 'SELECT 0x1F', rows: [[31]] },
  { bq: 'SELECT TRUE, FALSE, NULL', rows: [[true, false, null]], types: ['BOOLEAN', 'BOOLEAN', 'INTEGER'] },
  { bq: "SELECT DATE '2024-02-29'", rows: [['2024-02-29']], types: ['DATE'] },
  {
    bq: "SELECT TIMESTAMP '2024-01-01 12:00:00+02'",
    rows: [['2024-01-01 10:00:00+00']],
    types: ['TIMESTAMP'],
  },
  { bq: "SELECT TIMESTAMP '2024-01-01 12:00:00 UTC'", rows: [['2024-01-01 12:00:00+00']] },
  { bq: "SELECT DATETIME '2024-01-01 12:30:00'", rows: [['2024-01-01 12:30:00']], types: ['DATETIME'] },
  { bq: "SELECT NUMERIC '1.25'", rows: [['1.250000000']], types: ['NUMERIC'] },
  { bq: 'SELECT [1, 2, 3]', rows: [[[1, 2, 3]]], types: ['INTEGER'] },
  { bq: "SELECT ARRAY<STRING>['a']", rows: [[['a']]] },
  { bq: "SELECT STRUCT(1 AS a, 'x' AS b)", rows: [[{ a: 1, b: 'x' }]], types: ['RECORD'] },
  { bq: "SELECT STRUCT<x INT64, y STRING>(1, 'z')", rows: [[{ x: 1, y: 'z' }]] },
  { bq: 'SELECT 1 AS `select`, 2 AS `my col`', rows: [[1, 2]], columns: ['select', 'my col'] },
  { bq: 'SELECT 1 AS a, 2 AS b, FROM UNNEST([0])', rows: [[1, 2]], columns: ['a', 'b'] },
  { bq: 'SELECT 1 -- a comment\n# another\n/* and a block */ + 1', rows: [[2]] },
];

const OPERATORS: Case[] = [
  { bq: 'SELECT 7 / 2', rows: [[3.5]], types: ['FLOAT'] },
  { bq: 'SELECT 5 ^ 3, 5 & 3, 5 | 3, 1 << 4, 256 >> 4, ~0', rows: [[6, 1, 7, 16, 16, -1]] },
  { bq: 'SELECT -7 + 2 * 3, (1 + 2) * 3', rows: [[-1, 9]] },
  { bq: "SELECT 'a' || 'b' || 'c'", rows: [['abc']] },
  { bq: 'SELECT 1 = 1 AND NOT 2 < 1 OR FALSE, 1 != 2, 1 <> 1', rows: [[true, true, false]] },
  { bq: 'SELECT 3 BETWEEN 1 AND 5, 3 NOT BETWEEN 1 AND 2', rows: [[true, true]] },
  { bq: 'SELECT 2 IN (1, 2), 4 NOT IN (1, 2), NULL IN (1)', rows: [[true, true, null]] },
  {
    bq: String.raw`SELECT 'a_c' LIKE 'a\\_c', 'abc' LIKE 'a\\_c', 'abc' LIKE 'a%', 'abc' NOT LIKE '_b_'`,
    rows: [[true, false, true, false]],
  },
  {
    bq: 'SELECT NULL IS NULL, 1 IS NOT NULL, TRUE IS TRUE, NULL IS NOT FALSE, NULL IS UNKNOWN',
    rows: [[true, true, true, true, true]],
  },
  { bq: 'SELECT 1 IS DISTINCT FROM NULL, NULL IS NOT DISTINCT FROM NULL', rows: [[true, true]] },
  { bq: "SELECT CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END", rows: [['two']] },
  { bq: "SELECT CASE WHEN 1 > 2 THEN 'x' END", rows: [[null]] },
  { bq: 'SELECT 10 / 4 * 2', rows: [[5]] },
];

const CASTS: Case[] = [
  {
    bq: 'SELECT CAST(1.0 AS STRING), CAST(2.5 AS STRING), CAST(10 AS STRING), CAST(-0.125 AS STRING)',
    rows: [['1', '2.5', '10', '-0.125']],
  },
  { bq: "SELECT CAST(NUMERIC '1.50' AS STRING), CAST(NUMERIC '100' AS STRING)", rows: [['1.5', '100']] },
  {
    bq: 'SELECT CAST(2.5 AS INT64), CAST(-2.5 AS INT64), CAST(3.4 AS INT64)',
    rows: [[3, -3, 3]],
    types: ['INTEGER', 'INTEGER', 'INTEGER'],
  },
  { bq: "SELECT CAST('42' AS INT64) + 1, CAST('42' AS INTEGER)", rows: [[43, 42]] },
  { bq: "SELECT SAFE_CAST('abc' AS INT64), SAFE_CAST('12' AS INT64)", rows: [[null, 12]] },
  { bq: "SELECT CAST(TIMESTAMP '2024-01-01 00:00:00' AS STRING)", rows: [['2024-01-01 00:00:00+00']] },
  {
    bq: "SELECT CAST('2024-03-01' AS DATE), CAST(DATE '2024-03-01' AS STRING)",
    rows: [['2024-03-01', '2024-03-01']],
  },
  { bq: `SELECT CAST(b"hi" AS STRING), CAST("hi" AS BYTES)`, rows: [['hi', '0x6869']] },
  { bq: "SELECT CAST(TRUE AS STRING), CAST('true' AS BOOL), CAST(0 AS BOOL)", rows: [['true', true, false]] },
  { bq: 'SELECT CAST(1 AS FLOAT64)', rows: [[1]], types: ['FLOAT'] },
  {
    bq: "SELECT CAST('1.5' AS NUMERIC), CAST('2.25' AS BIGNUMERIC)",
    rows: [['1.500000000', '2.250000000']],
    types: ['NUMERIC', 'NUMERIC'],
  },
  { bq: "SELECT SAFE_CAST('2024-13-01' AS DATE)", rows: [[null]] },
  {
    bq: "SELECT CAST('2024-05-06 07:08:09' AS TIMESTAMP), CAST('2024-05-06 07:08:09' AS DATETIME)",
    rows: [['2024-05-06 07:08:09+00', '2024-05-06 07:08:09']],
    types: ['TIMESTAMP', 'DATETIME'],
  },
  { bq: "SELECT CAST(['1', '2'] AS ARRAY<INT64>)", rows: [[[1, 2]]] },
  { bq: 'SELECT CAST(12.345 AS NUMERIC(5, 2))', rows: [['12.35']] },
  {
    bq: "SELECT CAST(REGEXP_REPLACE('a00', '0+$', '') AS STRING), CAST(CAST(CAST(2.50 AS STRING) AS FLOAT64) AS STRING)",
    rows: [['a', '2.5']],
  },
];

const STRINGS: Case[] = [
  { bq: "SELECT CONCAT('a', 'b', 'c'), CONCAT('a', NULL), CONCAT('solo')", rows: [['abc', null, 'solo']] },
  {
    bq: "SELECT CONCAT('Summer ', 1923), CONCAT('x', 1.0, '|', 2.5), CONCAT(DATE '2024-01-02', ' ', TRUE)",
    rows: [['Summer 1923', 'x1|2.5', '2024-01-02 true']],
  },
  {
    bq: "SELECT TO_HEX(CONCAT(b'\\x01', FROM_HEX('02'))), CONCAT(vendor, '-', id, '-', distance) FROM trips WHERE id = 2",
    rows: [['0102', 'b-2-2']],
  },
  {
    bq: "SELECT LOWER('AbC'), UPPER('AbC'), LENGTH('héllo'), BYTE_LENGTH('héllo'), CHAR_LENGTH('abc')",
    rows: [['abc', 'ABC', 5, 6, 3]],
  },
  { bq: "SELECT LENGTH(b'abc')", rows: [[3]] },
  {
    bq: "SELECT SUBSTR('abcdef', 2, 3), SUBSTR('abcdef', -2), SUBSTR('abcdef', 0, 2), SUBSTRING('abcdef', 5)",
    rows: [['bcd', 'ef', 'ab', 'ef']],
  },
  {
    bq: "SELECT TRIM('  x  '), LTRIM('xxy', 'x'), RTRIM('yxx', 'x'), TRIM('--a--', '-')",
    rows: [['x', 'y', 'y', 'a']],
  },
  { bq: "SELECT REPLACE('a-b-c', '-', '+')", rows: [['a+b+c']] },
  {
    bq: String.raw`SELECT REGEXP_CONTAINS('foo123', r'\d+'), REGEXP_CONTAINS('foo', r'^\d+$')`,
    rows: [[true, false]],
  },
  {
    bq: String.raw`SELECT REGEXP_EXTRACT('foo123bar', r'\d+'), REGEXP_EXTRACT('user@example.com', r'@(.+)$'), REGEXP_EXTRACT('abc', r'\d')`,
    rows: [['123', 'example.com', null]],
  },
  {
    bq: String.raw`SELECT REGEXP_REPLACE('a1b22', r'\d', 'X'), REGEXP_REPLACE('john smith', r'(\w+) (\w+)', r'\2 \1')`,
    rows: [['aXbXX', 'smith john']],
  },
  { bq: String.raw`SELECT REGEXP_EXTRACT_ALL('a1b2c3', r'\d')`, rows: [[['1', '2', '3']]] },
  { bq: "SELECT SPLIT('a,b,c'), SPLIT('a b', ' '), SPLIT('')", rows: [[['a', 'b', 'c'], ['a', 'b'], []]] },
  {
    bq: "SELECT STARTS_WITH('hello', 'he'), ENDS_WITH('hello', 'lo'), STRPOS('hello', 'l'), INSTR('hello', 'z')",
    rows: [[true, true, 3, 0]],
  },
  {
    bq: "SELECT LPAD('7', 3, '0'), RPAD('ab', 4), LEFT('abc', 2), RIGHT('abc', 2), LPAD('abcdef', 3)",
    rows: [['007', 'ab  ', 'ab', 'bc', 'abc']],
  },
  { bq: "SELECT REPEAT('ab', 3), REVERSE('abc')", rows: [['ababab', 'cba']] },
  { bq: "SELECT TO_HEX(MD5('abc'))", rows: [['900150983cd24fb0d6963f7d28e17f72']] },
  {
    bq: "SELECT TO_HEX(SHA256('abc'))",
    rows: [['ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad']],
  },
  { bq: "SELECT TO_HEX(SHA1('abc'))", rows: [['a9993e364706816aba3e25717850c26c9cd0d89d']] },
  { bq: "SELECT MD5('abc')", rows: [['0x900150983cd24fb0d6963f7d28e17f72']], types: ['BYTES'] },
  { bq: 'SELECT LENGTH(GENERATE_UUID()), GENERATE_UUID() = GENERATE_UUID()', rows: [[36, false]] },
  { bq: String.raw`SELECT TO_HEX(b'\x01\xff'), FROM_HEX('0aff')`, rows: [['01ff', '0x0aff']] },
  { bq: "SELECT INITCAP('hello world')", rows: [['Hello World']] },
  {
    bq: String.raw`SELECT ASCII('abc'), CHR(65), TRANSLATE('abc', 'ab', 'xy'), EDIT_DISTANCE('kitten', 'sitting'), REGEXP_SUBSTR('ab12', r'\d+')`,
    rows: [[97, 'A', 'xyc', 3, '12']],
  },
  { bq: "SELECT TO_BASE64(b'hi'), FROM_BASE64('aGk=')", rows: [['aGk=', '0x6869']] },
  {
    bq: "SELECT MD5(CONCAT(COALESCE(CAST(1 AS STRING), ''), COALESCE(CAST(NULL AS STRING), '')))",
    rows: [['0xc4ca4238a0b923820dcc509a6f75849b']],
  },
];

const CONDITIONALS_AND_MATH: Case[] = [
  {
    bq: "SELECT COALESCE(NULL, NULL, 3), IFNULL(NULL, 'x'), NULLIF(1, 1), NULLIF(1, 2)",
    rows: [[3, 'x', null, 1]],
  },
  { bq: "SELECT IF(1 < 2, 'yes', 'no'), IF(NULL, 1, 2)", rows: [['yes', 2]] },
  { bq: 'SELECT ROUND(2.5), ROUND(-2.5), ROUND(3.14159, 2)', rows: [[3, -3, 3.14]] },
  { bq: 'SELECT ABS(-3), MOD(10, 3), MOD(-10, 3), DIV(7, 2), DIV(-7, 2)', rows: [[3, 1, -1, 3, -3]] },
  { bq: 'SELECT SAFE_DIVIDE(1, 0), SAFE_DIVIDE(6, 3)', rows: [[null, 2]] },
  { bq: 'SELECT CEIL(1.2), FLOOR(-1.2), SQRT(16), POW(2, 10), POWER(3, 2)', rows: [[2, -2, 4, 1024, 9]] },
  {
    bq: 'SELECT GREATEST(1, 5, 3), LEAST(1, NULL), LEAST(4, 2), LOG(8, 2), LN(1), LOG10(100)',
    rows: [[5, null, 2, 3, 0, 2]],
  },
  { bq: 'SELECT SIGN(-5), TRUNC(2.7), EXP(0)', rows: [[-1, 2, 1]] },
  { bq: "SELECT SAFE.SUBSTR('abc', 1, 1), SAFE.LOG(-1, 2)", rows: [['a', null]] },
  { bq: 'SELECT RAND() < 1', rows: [[true]] },
  { bq: "SELECT IS_NAN(CAST('NaN' AS FLOAT64)), IS_INF(CAST('inf' AS FLOAT64))", rows: [[true, true]] },
  {
    bq: 'SELECT ROUND(SIN(0) + COS(0) + TAN(0), 6), ROUND(ATAN2(1, 1) * 4, 6), ROUND(CBRT(27), 6), BIT_COUNT(7), ROUND(ASIN(1) + ACOS(1) + ATAN(0), 4)',
    rows: [[1, 3.141593, 3, 3, 1.5708]],
  },
  {
    bq: 'SELECT RANGE_BUCKET(20, [0, 10, 20, 30]), RANGE_BUCKET(-1, [0, 10]), RANGE_BUCKET(NULL, [0])',
    rows: [[3, 0, null]],
  },
  {
    bq: "SELECT SAFE.FLOAT64('1.5'), SAFE.FLOAT64('x'), INT64(JSON '3'), BOOL(JSON 'true')",
    rows: [[1.5, null, 3, true]],
  },
  {
    bq: `SELECT JSON_VALUE('{"a":{"b":"x"}}', '$.a.b'), JSON_VALUE('{"a":{"b":1}}', '$.a'), JSON_EXTRACT_SCALAR('{"n":5}', '$.n'), JSON_QUERY('{"a":{"b":1}}', '$.a')`,
    rows: [['x', null, '5', '{"b":1}']],
  },
  { bq: `SELECT JSON_VALUE(PARSE_JSON('{"k":[10,20]}'), '$.k[1]')`, rows: [['20']] },
  { bq: "SELECT FORMAT('%d-%s-%.2f', 1, 'x', 2.5), FORMAT('%05d|%%', 42)", rows: [['1-x-2.50', '00042|%']] },
];

const DATES: Case[] = [
  {
    bq: 'SELECT CURRENT_DATE() = DATE(CURRENT_TIMESTAMP()), CURRENT_DATE = CURRENT_DATE()',
    rows: [[true, true]],
  },
  {
    bq: "SELECT CURRENT_TIMESTAMP() > TIMESTAMP '2020-01-01', CURRENT_DATETIME() > DATETIME '2020-01-01 00:00:00'",
    rows: [[true, true]],
    types: ['BOOLEAN', 'BOOLEAN'],
  },
  {
    bq: "SELECT DATE(TIMESTAMP '2024-01-01 23:30:00'), DATE(2024, 2, 29), DATE(TIMESTAMP '2024-01-02 01:30:00', 'America/New_York')",
    rows: [['2024-01-01', '2024-02-29', '2024-01-01']],
  },
  {
    bq: "SELECT TIMESTAMP('2024-05-01 10:00:00'), TIMESTAMP('2024-05-01 10:00:00', 'Europe/Paris'), TIMESTAMP(DATE '2024-05-01')",
    rows: [['2024-05-01 10:00:00+00', '2024-05-01 08:00:00+00', '2024-05-01 00:00:00+00']],
  },
  {
    bq: "SELECT DATETIME(2024, 1, 2, 3, 4, 5), DATETIME(TIMESTAMP '2024-01-01 12:00:00', 'Asia/Tokyo'), DATETIME(DATE '2024-01-01')",
    rows: [['2024-01-02 03:04:05', '2024-01-01 21:00:00', '2024-01-01 00:00:00']],
  },
  {
    bq: "SELECT TIMESTAMP_TRUNC(TIMESTAMP '2024-03-15 10:45:12', HOUR), TIMESTAMP_TRUNC(TIMESTAMP '2024-03-15 10:45:12', MONTH)",
    rows: [['2024-03-15 10:00:00+00', '2024-03-01 00:00:00+00']],
    types: ['TIMESTAMP', 'TIMESTAMP'],
  },
  {
    bq: "SELECT TIMESTAMP_TRUNC(TIMESTAMP '2024-03-15 10:45:12', DAY, 'America/Los_Angeles')",
    rows: [['2024-03-15 07:00:00+00']],
  },
  {
    bq: "SELECT DATE_TRUNC(DATE '2024-03-15', MONTH), DATE_TRUNC(DATE '2024-03-15', YEAR), DATE_TRUNC(DATE '2024-03-15', QUARTER)",
    rows: [['2024-03-01', '2024-01-01', '2024-01-01']],
    types: ['DATE', 'DATE', 'DATE'],
  },
  {
    bq: "SELECT DATE_TRUNC(DATE '2024-03-13', WEEK), DATE_TRUNC(DATE '2024-03-13', WEEK(MONDAY)), DATE_TRUNC(DATE '2024-03-13', ISOWEEK), DATE_TRUNC(DATE '2024-03-10', WEEK)",
    rows: [['2024-03-10', '2024-03-11', '2024-03-11', '2024-03-10']],
  },
  {
    bq: "SELECT DATETIME_TRUNC(DATETIME '2024-03-15 10:45:12', MINUTE)",
    rows: [['2024-03-15 10:45:00']],
    types: ['DATETIME'],
  },
  {
    bq: "SELECT EXTRACT(YEAR FROM DATE '2024-03-15'), EXTRACT(MONTH FROM DATE '2024-03-15'), EXTRACT(DAY FROM DATE '2024-03-15')",
    rows: [[2024, 3, 15]],
    types: ['INTEGER', 'INTEGER', 'INTEGER'],
  },
  {
    bq: "SELECT EXTRACT(DAYOFWEEK FROM DATE '2024-03-10'), EXTRACT(DAYOFYEAR FROM DATE '2024-02-01'), EXTRACT(QUARTER FROM DATE '2024-08-01')",
    rows: [[1, 32, 3]],
  },
  {
    bq: "SELECT EXTRACT(HOUR FROM TIMESTAMP '2024-01-01 13:14:15.678'), EXTRACT(MINUTE FROM TIMESTAMP '2024-01-01 13:14:15.678'), EXTRACT(SECOND FROM TIMESTAMP '2024-01-01 13:14:15.678'), EXTRACT(MILLISECOND FROM TIMESTAMP '2024-01-01 13:14:15.678')",
    rows: [[13, 14, 15, 678]],
  },
  {
    bq: "SELECT EXTRACT(HOUR FROM TIMESTAMP '2024-01-01 13:00:00' AT TIME ZONE 'Asia/Kolkata')",
    rows: [[18]],
  },
  {
    bq: "SELECT EXTRACT(DATE FROM TIMESTAMP '2024-01-01 13:00:00'), EXTRACT(ISOWEEK FROM DATE '2024-01-01'), EXTRACT(WEEK FROM DATE '2024-01-07'), EXTRACT(WEEK FROM DATE '2024-01-06')",
    rows: [['2024-01-01', 1, 1, 0]],
  },
  {
    bq: "SELECT DATE_ADD(DATE '2024-01-31', INTERVAL 1 MONTH), DATE_SUB(DATE '2024-03-01', INTERVAL 1 DAY), DATE_ADD(DATE '2024-01-01', INTERVAL 2 WEEK)",
    rows: [['2024-02-29', '2024-02-29', '2024-01-15']],
    types: ['DATE', 'DATE', 'DATE'],
  },
  {
    bq: "SELECT DATE_ADD(DATE '2024-01-01', INTERVAL 1 QUARTER), DATE_ADD(DATE '2024-02-29', INTERVAL 1 YEAR), DATE_SUB(DATE '2024-01-01', INTERVAL -3 DAY)",
    rows: [['2024-04-01', '2025-02-28', '2024-01-04']],
  },
  {
    bq: "SELECT TIMESTAMP_ADD(TIMESTAMP '2024-01-01 00:00:00', INTERVAL 90 MINUTE), TIMESTAMP_SUB(TIMESTAMP '2024-01-01 00:00:00', INTERVAL 1 SECOND)",
    rows: [['2024-01-01 01:30:00+00', '2023-12-31 23:59:59+00']],
  },
  {
    bq: "SELECT DATETIME_ADD(DATETIME '2024-01-31 10:00:00', INTERVAL 1 MONTH), DATETIME_SUB(DATETIME '2024-01-01 00:00:00', INTERVAL 30 MINUTE)",
    rows: [['2024-02-29 10:00:00', '2023-12-31 23:30:00']],
  },
  {
    bq: "SELECT DATE_DIFF(DATE '2024-03-01', DATE '2024-02-01', DAY), DATE_DIFF(DATE '2024-01-01', DATE '2023-12-31', YEAR), DATE_DIFF(DATE '2024-03-10', DATE '2024-03-09', WEEK)",
    rows: [[29, 1, 1]],
  },
  {
    bq: "SELECT DATE_DIFF(DATE '2024-03-11', DATE '2024-03-10', ISOWEEK), DATE_DIFF(DATE '2024-03-11', DATE '2024-03-10', WEEK), DATE_DIFF(DATE '2024-01-01', DATE '2024-03-01', MONTH)",
    rows: [[1, 0, -2]],
  },
  {
    bq: "SELECT TIMESTAMP_DIFF(TIMESTAMP '2024-01-02 00:00:00', TIMESTAMP '2024-01-01 12:30:00', HOUR), TIMESTAMP_DIFF(TIMESTAMP '2024-01-01 00:01:00', TIMESTAMP '2024-01-01 00:00:30', MINUTE)",
    rows: [[11, 0]],
  },
  {
    bq: "SELECT DATETIME_DIFF(DATETIME '2024-01-01 00:00:00', DATETIME '2023-12-31 23:59:59', DAY)",
    rows: [[1]],
  },
  {
    bq: "SELECT FORMAT_DATE('%Y/%m/%d', DATE '2024-03-05'), FORMAT_DATE('%A %e %B', DATE '2024-03-05')",
    rows: [['2024/03/05', 'Tuesday  5 March']],
  },
  {
    bq: "SELECT FORMAT_TIMESTAMP('%Y-%m-%d %H:%M:%S %Z', TIMESTAMP '2024-03-05 06:07:08'), FORMAT_TIMESTAMP('%z', TIMESTAMP '2024-03-05 06:07:08')",
    rows: [['2024-03-05 06:07:08 UTC', '+0000']],
  },
  {
    bq: "SELECT FORMAT_TIMESTAMP('%F %T', TIMESTAMP '2024-03-05 06:07:08', 'Asia/Tokyo')",
    rows: [['2024-03-05 15:07:08']],
  },
  {
    bq: "SELECT FORMAT_TIMESTAMP('%E3S|%E6S|%E*S|%E*S', TIMESTAMP '2024-03-05 06:07:08.5'), FORMAT_TIMESTAMP('%E*S', TIMESTAMP '2024-03-05 06:07:10')",
    rows: [['08.500|08.500000|08.5|08.5', '10']],
  },
  {
    bq: "SELECT FORMAT_DATETIME('%b %d, %Y %I:%M %p', DATETIME '2024-12-25 18:30:00')",
    rows: [['Dec 25, 2024 06:30 PM']],
  },
  {
    bq: "SELECT FORMAT_DATE('%Q %j %u %C %y %D %x', DATE '2024-12-31')",
    rows: [['4 366 2 20 24 12/31/24 12/31/24']],
  },
  {
    bq: "SELECT FORMAT_TIMESTAMP('%s %R %k|%l%%', TIMESTAMP '2024-01-01 05:06:00')",
    rows: [['1704085560 05:06  5| 5%']],
  },
  {
    bq: "SELECT PARSE_DATE('%Y%m%d', '20240315'), PARSE_DATE('%d/%m/%Y', '15/03/2024'), PARSE_DATE('%F', '2024-03-15')",
    rows: [['2024-03-15', '2024-03-15', '2024-03-15']],
    types: ['DATE', 'DATE', 'DATE'],
  },
  {
    bq: "SELECT PARSE_TIMESTAMP('%Y-%m-%d %H:%M:%S', '2024-03-15 10:20:30')",
    rows: [['2024-03-15 10:20:30+00']],
    types: ['TIMESTAMP'],
  },
  {
    bq: "SELECT PARSE_TIMESTAMP('%Y-%m-%d %H:%M', '2024-03-15 10:20', 'America/New_York')",
    rows: [['2024-03-15 14:20:00+00']],
  },
  {
    bq: "SELECT PARSE_DATETIME('%F %T', '2024-03-15 10:20:30')",
    rows: [['2024-03-15 10:20:30']],
    types: ['DATETIME'],
  },
  {
    bq: "SELECT UNIX_SECONDS(TIMESTAMP '2024-01-01 00:00:00'), TIMESTAMP_SECONDS(1704067200), UNIX_MILLIS(TIMESTAMP '1970-01-01 00:00:01.5'), UNIX_MICROS(TIMESTAMP '1970-01-01 00:00:01')",
    rows: [[1704067200, '2024-01-01 00:00:00+00', 1500, 1000000]],
  },
  {
    bq: 'SELECT TIMESTAMP_MILLIS(1500), TIMESTAMP_MICROS(1)',
    rows: [['1970-01-01 00:00:01.5+00', '1970-01-01 00:00:00.000001+00']],
  },
  {
    bq: "SELECT LAST_DAY(DATE '2024-02-10'), UNIX_DATE(DATE '1970-01-10'), DATE_FROM_UNIX_DATE(31)",
    rows: [['2024-02-29', 9, '1970-02-01']],
  },
  { bq: "SELECT DATE '2024-01-01' + INTERVAL 1 DAY", rows: [['2024-01-02 00:00:00']], types: ['DATETIME'] },
  {
    bq: "SELECT CURRENT_DATE() - 1 < CURRENT_DATE(), DATE '2024-01-01' + 2, DATE '2024-03-01' - 1",
    rows: [[true, '2024-01-03', '2024-02-29']],
    types: ['BOOLEAN', 'DATE', 'DATE'],
  },
  {
    bq: "SELECT GENERATE_DATE_ARRAY(DATE '2024-01-30', DATE '2024-02-02'), GENERATE_DATE_ARRAY('2024-01-01', '2024-03-01', INTERVAL 1 MONTH)",
    rows: [
      [
        ['2024-01-30', '2024-01-31', '2024-02-01', '2024-02-02'],
        ['2024-01-01', '2024-02-01', '2024-03-01'],
      ],
    ],
  },
];

const MORE: Case[] = [
  { bq: 'SELECT COUNT(*) FROM my-project-1.ds.t', rows: [[0]] },
  {
    bq: "SELECT DATE_TRUNC(DATE '2024-06-15', ISOYEAR), DATE_TRUNC(DATE '2021-01-02', ISOYEAR), DATE_DIFF(DATE '2021-01-04', DATE '2021-01-02', ISOYEAR)",
    rows: [['2024-01-01', '2019-12-30', 1]],
  },
  {
    bq: "SELECT DATETIME(DATE '2024-01-01', TIME '10:00:00'), TIME(10, 5, 30), TIME(TIMESTAMP '2024-01-01 10:00:00', 'Asia/Tokyo'), EXTRACT(MINUTE FROM TIME '10:05:30')",
    rows: [['2024-01-01 10:00:00', '10:05:30', '19:00:00', 5]],
    types: ['DATETIME', 'TIME', 'TIME', 'INTEGER'],
  },
  {
    bq: "SELECT FORMAT_TIME('%H:%M', TIME '10:05:30'), PARSE_TIME('%H:%M', '07:45'), TIME_TRUNC(TIME '10:05:30', HOUR), TIME_ADD(TIME '23:30:00', INTERVAL 45 MINUTE), TIME_SUB(TIME '00:10:00', INTERVAL 20 MINUTE), TIME_DIFF(TIME '10:00:00', TIME '08:30:00', MINUTE)",
    rows: [['10:05', '07:45:00', '10:00:00', '00:15:00', '23:50:00', 90]],
    types: ['STRING', 'TIME', 'TIME', 'TIME', 'TIME', 'INTEGER'],
  },
  {
    bq: "SELECT LAST_DAY(DATE '2024-02-10', YEAR), LAST_DAY(DATE '2024-02-10', QUARTER)",
    rows: [['2024-12-31', '2024-03-31']],
  },
  {
    bq: 'SELECT SAFE_ADD(1, 2), SAFE_SUBTRACT(5, 7), SAFE_MULTIPLY(9223372036854775807, 2), SAFE_NEGATE(3)',
    rows: [[3, -2, null, -3]],
  },
  {
    bq: "SELECT CURRENT_TIMESTAMP > TIMESTAMP '2020-01-01', TIMESTAMP '2024-01-01 00:00:00' + INTERVAL 1 HOUR",
    rows: [[true, '2024-01-01 01:00:00+00']],
  },
  {
    bq: "SELECT TIMESTAMP_TRUNC(TIMESTAMP '2024-03-14 10:00:00', WEEK), TIMESTAMP_TRUNC(TIMESTAMP '2024-03-14 10:00:00', ISOWEEK), TIMESTAMP_TRUNC(TIMESTAMP '2024-03-14 10:00:00', WEEK(WEDNESDAY))",
    rows: [['2024-03-10 00:00:00+00', '2024-03-11 00:00:00+00', '2024-03-13 00:00:00+00']],
  },
  {
    bq: 'SELECT id, NTH_VALUE(id, 2) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), CUME_DIST() OVER (ORDER BY id) FROM trips ORDER BY id LIMIT 2',
    rows: [
      [1, 2, 0.25],
      [2, 2, 0.5],
    ],
  },
  {
    bq: 'SELECT id, SUM(id) OVER (ORDER BY id RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM trips ORDER BY id',
    rows: [
      [1, 1],
      [2, 3],
      [3, 5],
      [4, 7],
    ],
  },
  {
    bq: 'SELECT BIT_OR(id), BIT_AND(id), BIT_XOR(id), ROUND(CORR(id, id), 6), COVAR_POP(id, id) FROM trips',
    rows: [[7, 0, 4, 1, 1.25]],
  },
  {
    bq: 'SELECT vendor, paid, COUNT(*) FROM trips WHERE id < 3 GROUP BY CUBE (vendor, paid) ORDER BY vendor, paid',
    rows: [
      [null, null, 2],
      [null, false, 1],
      [null, true, 1],
      ['a', null, 1],
      ['a', true, 1],
      ['b', null, 1],
      ['b', false, 1],
    ],
  },
  {
    bq: 'SELECT ARRAY(SELECT AS_TEXT FROM (SELECT CAST(id AS STRING) AS AS_TEXT FROM trips WHERE id > 2 ORDER BY id))',
    rows: [[['3', '4']]],
  },
  {
    bq: 'SELECT id, (SELECT COUNT(*) FROM UNNEST(t.tags) AS x WHERE x > "x") AS after_x FROM trips t ORDER BY id',
    rows: [
      [1, 1],
      [2, 1],
      [3, 0],
      [4, 2],
    ],
  },
];

const ARRAYS: Case[] = [
  {
    bq: 'SELECT GENERATE_ARRAY(1, 10, 3), GENERATE_ARRAY(3, 1, -1)',
    rows: [
      [
        [1, 4, 7, 10],
        [3, 2, 1],
      ],
    ],
  },
  {
    bq: "SELECT GENERATE_TIMESTAMP_ARRAY('2024-01-01 00:00:00', '2024-01-01 01:00:00', INTERVAL 30 MINUTE)",
    rows: [[['2024-01-01 00:00:00+00', '2024-01-01 00:30:00+00', '2024-01-01 01:00:00+00']]],
  },
  {
    bq: 'SELECT ARRAY_LENGTH([1, 2, 3]), [10, 20, 30][OFFSET(1)], [10, 20, 30][ORDINAL(1)], [10, 20][SAFE_OFFSET(5)], [10, 20][SAFE_OFFSET(-1)]',
    rows: [[3, 20, 10, null, null]],
  },
  { bq: 'SELECT [10, 20, 30][1], ARRAY_LENGTH([])', rows: [[20, 0]] },
  { bq: "SELECT [STRUCT(1 AS a, 'x' AS b)][OFFSET(0)].b, (STRUCT(2 AS n)).n", rows: [['x', 2]] },
  {
    bq: "SELECT ARRAY_TO_STRING(['a', 'b'], '-'), ARRAY_TO_STRING(['a', NULL], ',', 'null'), ARRAY_CONCAT([1], [2, 3]), ARRAY_REVERSE([1, 2])",
    rows: [['a-b', 'a,null', [1, 2, 3], [2, 1]]],
  },
  { bq: 'SELECT x FROM UNNEST([3, 1, 2]) AS x ORDER BY x', rows: [[1], [2], [3]] },
  {
    bq: "SELECT x, off FROM UNNEST(['a', 'b']) AS x WITH OFFSET AS off ORDER BY off",
    rows: [
      ['a', 0],
      ['b', 1],
    ],
  },
  {
    bq: 'SELECT 2 IN UNNEST([1, 2, 3]), 5 IN UNNEST([1, 2]), 5 NOT IN UNNEST([1, 2])',
    rows: [[true, false, true]],
  },
  { bq: 'SELECT ARRAY(SELECT x * 2 FROM UNNEST([3, 1, 2]) AS x ORDER BY x)', rows: [[[2, 4, 6]]] },
  { bq: 'SELECT s.a FROM UNNEST([STRUCT(1 AS a), STRUCT(2 AS a)]) AS s ORDER BY s.a DESC', rows: [[2], [1]] },
  { bq: 'SELECT ARRAY_LENGTH(tags) FROM trips ORDER BY id', rows: [[2], [1], [0], [3]] },
  {
    bq: 'SELECT ARRAY(SELECT AS STRUCT id, UPPER(vendor) AS v FROM trips WHERE id < 3 ORDER BY id)',
    rows: [
      [
        [
          { id: 1, v: 'A' },
          { id: 2, v: 'B' },
        ],
      ],
    ],
  },
  { bq: 'SELECT AS VALUE STRUCT(1 AS a)', rows: [[{ a: 1 }]] },
  {
    bq: "SELECT * FROM UNNEST([STRUCT(1 AS a, 'x' AS b), STRUCT(2 AS a, 'y' AS b)]) ORDER BY a",
    rows: [
      [1, 'x'],
      [2, 'y'],
    ],
    columns: ['a', 'b'],
  },
  {
    bq: 'SELECT s.y, s FROM UNNEST(ARRAY<STRUCT<x INT64, y STRING>>[(1, "p")]) AS s',
    rows: [['p', { x: 1, y: 'p' }]],
  },
];

const CLAUSES: Case[] = [
  {
    bq: 'SELECT vendor, COUNT(*) AS n FROM `proj.ds.trips` GROUP BY vendor ORDER BY vendor',
    rows: [
      [null, 1],
      ['a', 2],
      ['b', 1],
    ],
    columns: ['vendor', 'n'],
  },
  {
    bq: 'SELECT vendor, COUNT(*) FROM ds.trips GROUP BY 1 ORDER BY 2 DESC, 1',
    rows: [
      ['a', 2],
      [null, 1],
      ['b', 1],
    ],
  },
  {
    bq: 'SELECT COUNT(DISTINCT vendor), COUNT(vendor), COUNT(*) FROM trips',
    rows: [[2, 3, 4]],
    types: ['INTEGER', 'INTEGER', 'INTEGER'],
  },
  {
    bq: 'SELECT SUM(id), AVG(id), MIN(day), MAX(pickup) FROM trips',
    rows: [[10, 2.5, '2024-01-01', '2024-03-31 12:00:00+00']],
    types: ['INTEGER', 'FLOAT', 'DATE', 'TIMESTAMP'],
  },
  {
    bq: 'SELECT * EXCEPT(tags, info, pickup, distance, fare, paid, day) FROM trips ORDER BY id',
    rows: [
      [1, 'a'],
      [2, 'b'],
      [3, 'a'],
      [4, null],
    ],
  },
  {
    bq: 'SELECT * EXCEPT(tags, info, pickup, distance, fare, paid, day) REPLACE (UPPER(vendor) AS vendor) FROM trips WHERE id < 3 ORDER BY id',
    rows: [
      [1, 'A'],
      [2, 'B'],
    ],
  },
  {
    bq: 'SELECT t.id, t.info.zone, info.borough FROM trips AS t WHERE t.id = 1',
    rows: [[1, 'Z1', 'Manhattan']],
    columns: ['id', 'zone', 'borough'],
  },
  { bq: 'SELECT trips.id FROM `proj`.`ds`.`trips` WHERE trips.id = 2', rows: [[2]] },
  { bq: 'SELECT id FROM `proj.ds`.trips WHERE id = 2', rows: [[2]] },
  { bq: 'SELECT id FROM trips WHERE paid ORDER BY id DESC LIMIT 1', rows: [[4]] },
  { bq: 'SELECT id FROM trips ORDER BY distance DESC LIMIT 2 OFFSET 1', rows: [[2], [1]] },
  { bq: 'SELECT id FROM trips ORDER BY distance', rows: [[3], [1], [2], [4]] },
  { bq: 'SELECT id FROM trips ORDER BY distance ASC NULLS LAST', rows: [[1], [2], [4], [3]] },
  {
    bq: 'SELECT vendor, SUM(fare) AS total FROM trips GROUP BY vendor HAVING total > 10 ORDER BY vendor',
    rows: [['a', '30.500000000']],
    types: ['STRING', 'NUMERIC'],
  },
  { bq: 'SELECT DISTINCT vendor FROM trips WHERE vendor IS NOT NULL ORDER BY 1', rows: [['a'], ['b']] },
  {
    bq: "SELECT DISTINCT(vendor) FROM trips WHERE DATE(pickup) BETWEEN '2024-01-01' AND '2024-01-31' ORDER BY vendor",
    rows: [['a'], ['b']],
    columns: ['vendor'],
  },
  {
    bq: 'WITH a AS (SELECT id FROM trips WHERE id > 2), b AS (SELECT id * 10 AS x FROM a) SELECT x FROM b ORDER BY x',
    rows: [[30], [40]],
  },
  { bq: 'WITH trips AS (SELECT 99 AS id) SELECT id FROM trips', rows: [[99]] },
  {
    bq: 'WITH RECURSIVE n AS (SELECT 1 AS x UNION ALL SELECT x + 1 FROM n WHERE x < 3) SELECT x FROM n ORDER BY x',
    rows: [[1], [2], [3]],
  },
  {
    bq: 'SELECT t FROM (SELECT id, vendor FROM trips WHERE id = 1) AS t',
    rows: [[{ id: 1, vendor: 'a' }]],
    types: ['RECORD'],
  },
  {
    bq: 'SELECT id, tag FROM trips, UNNEST(tags) AS tag WHERE id = 4 ORDER BY tag',
    rows: [
      [4, 'x'],
      [4, 'y'],
      [4, 'z'],
    ],
  },
  {
    bq: 'SELECT id, tag FROM trips CROSS JOIN UNNEST(tags) AS tag WHERE id < 3 ORDER BY id, tag',
    rows: [
      [1, 'x'],
      [1, 'y'],
      [2, 'y'],
    ],
  },
  { bq: 'SELECT id, tag FROM trips LEFT JOIN UNNEST(tags) AS tag WHERE id = 3', rows: [[3, null]] },
  { bq: 'SELECT t.id, tag FROM trips t, t.tags AS tag WHERE t.id = 2', rows: [[2, 'y']] },
  {
    bq: "SELECT id, pos FROM trips, UNNEST(tags) AS tag WITH OFFSET AS pos WHERE tag = 'y' ORDER BY id",
    rows: [
      [1, 1],
      [2, 0],
      [4, 2],
    ],
  },
  {
    bq: 'SELECT t.id, z.name FROM trips t JOIN zones z ON t.info.zone = z.zone ORDER BY t.id',
    rows: [
      [1, 'One'],
      [2, 'Two'],
      [3, 'One'],
    ],
  },
  {
    bq: 'SELECT t.id, z.name FROM trips t LEFT JOIN zones z ON t.info.zone = z.zone ORDER BY t.id',
    rows: [
      [1, 'One'],
      [2, 'Two'],
      [3, 'One'],
      [4, null],
    ],
  },
  {
    bq: 'SELECT z.zone, COUNT(t.id) FROM zones z LEFT OUTER JOIN trips t ON t.info.zone = z.zone GROUP BY z.zone ORDER BY z.zone',
    rows: [
      ['Z1', 2],
      ['Z2', 1],
      ['Z3', 0],
    ],
  },
  {
    bq: "SELECT zone, name FROM zones FULL JOIN (SELECT 'Z9' AS zone) USING (zone) ORDER BY zone",
    rows: [
      ['Z1', 'One'],
      ['Z2', 'Two'],
      ['Z3', 'Three'],
      ['Z9', null],
    ],
  },
  { bq: "SELECT z.name FROM zones z RIGHT JOIN (SELECT 'Z2' AS zone) s ON s.zone = z.zone", rows: [['Two']] },
  { bq: 'SELECT COUNT(*) FROM trips, zones', rows: [[12]] },
  { bq: 'SELECT id FROM trips WHERE id IN (SELECT 2 UNION ALL SELECT 3) ORDER BY id', rows: [[2], [3]] },
  {
    bq: "SELECT id FROM trips t WHERE EXISTS (SELECT 1 FROM zones z WHERE z.zone = t.info.zone AND z.name = 'Two')",
    rows: [[2]],
  },
  { bq: 'SELECT (SELECT MAX(id) FROM trips) AS m', rows: [[4]] },
  { bq: 'SELECT n FROM (SELECT id AS n FROM trips) WHERE n > 3', rows: [[4]] },
  { bq: 'SELECT 1 AS x UNION ALL SELECT 1 UNION ALL SELECT 2 ORDER BY x', rows: [[1], [1], [2]] },
  { bq: 'SELECT 1 AS x UNION DISTINCT SELECT 1 UNION DISTINCT SELECT 2 ORDER BY x', rows: [[1], [2]] },
  {
    bq: 'SELECT x FROM UNNEST([1, 2, 3]) AS x INTERSECT DISTINCT SELECT x FROM UNNEST([2, 3, 4]) AS x ORDER BY x',
    rows: [[2], [3]],
  },
  { bq: 'SELECT x FROM UNNEST([1, 2, 3]) AS x EXCEPT DISTINCT SELECT 2 ORDER BY 1', rows: [[1], [3]] },
  { bq: '(SELECT 1 AS x) UNION ALL (SELECT 2) ORDER BY x DESC LIMIT 1', rows: [[2]] },
  {
    bq: 'SELECT EXTRACT(MONTH FROM pickup) AS m, COUNT(*) FROM trips GROUP BY m ORDER BY m',
    rows: [
      [1, 2],
      [2, 1],
      [3, 1],
    ],
  },
  {
    bq: "SELECT FORMAT_TIMESTAMP('%Y-%m', pickup) AS ym, ROUND(SUM(distance), 2) FROM trips GROUP BY ym ORDER BY ym",
    rows: [
      ['2024-01', 3.5],
      ['2024-02', null],
      ['2024-03', 10.25],
    ],
  },
  {
    bq: "SELECT DATE(pickup) AS d FROM trips WHERE pickup >= '2024-02-01' ORDER BY d",
    rows: [['2024-02-15'], ['2024-03-31']],
  },
  {
    bq: "SELECT id FROM trips WHERE day BETWEEN '2024-01-01' AND '2024-01-31' ORDER BY id",
    rows: [[1], [2]],
  },
  { bq: "SELECT id FROM trips WHERE vendor LIKE 'a%' AND id > 1", rows: [[3]] },
  {
    bq: "SELECT date, COUNT(*) AS trip_count, AVG(fare) AS avg_fare FROM (SELECT day AS date, fare FROM trips) WHERE date >= '2024-02-01' GROUP BY date",
    rows: [['2024-02-15', 1, 20]],
  },
  { bq: "SELECT id FROM trips WHERE DATE(pickup) = DATE '2024-01-03' - 1", rows: [[2]] },
  {
    bq: "SELECT *, CAST(fare AS FLOAT64) AS fare2, CURRENT_TIMESTAMP() > '2020-01-01' AS recent FROM (SELECT id, fare FROM trips WHERE fare > 10) ORDER BY id",
    rows: [
      [1, '10.500000000', 10.5, true],
      [3, '20.000000000', 20, true],
    ],
    columns: ['id', 'fare', 'fare2', 'recent'],
  },
  { bq: 'SELECT COUNT(*), SUM(id) FROM trips WHERE FALSE', rows: [[0, null]] },
  {
    bq: 'SELECT CAST(fare AS STRING), CAST(distance AS STRING) FROM trips WHERE id = 2',
    rows: [['7.25', '2']],
  },
  {
    bq: 'SELECT vendor, COUNT(*) FROM trips GROUP BY ALL ORDER BY vendor',
    rows: [
      [null, 1],
      ['a', 2],
      ['b', 1],
    ],
  },
  {
    bq: 'SELECT vendor, COUNT(*) FROM trips WHERE vendor IS NOT NULL GROUP BY ROLLUP(vendor) ORDER BY vendor',
    rows: [
      [null, 3],
      ['a', 2],
      ['b', 1],
    ],
  },
  {
    bq: 'SELECT vendor, paid, COUNT(*) FROM trips WHERE vendor IS NOT NULL GROUP BY GROUPING SETS ((vendor), (paid)) ORDER BY vendor, paid',
    rows: [
      [null, null, 1],
      [null, false, 1],
      [null, true, 1],
      ['a', null, 2],
      ['b', null, 1],
    ],
  },
];

const AGGREGATES_AND_WINDOWS: Case[] = [
  { bq: 'SELECT ARRAY_AGG(id ORDER BY id DESC) FROM trips', rows: [[[4, 3, 2, 1]]] },
  { bq: 'SELECT ARRAY_AGG(vendor IGNORE NULLS ORDER BY vendor) FROM trips', rows: [[['a', 'a', 'b']]] },
  { bq: 'SELECT ARRAY_AGG(id ORDER BY id LIMIT 2) FROM trips', rows: [[[1, 2]]] },
  { bq: 'SELECT ARRAY_AGG(DISTINCT vendor IGNORE NULLS ORDER BY vendor) FROM trips', rows: [[['a', 'b']]] },
  {
    bq: "SELECT STRING_AGG(vendor, '|' ORDER BY vendor), STRING_AGG(DISTINCT vendor ORDER BY vendor) FROM trips",
    rows: [['a|a|b', 'a,b']],
  },
  {
    bq: "SELECT STRING_AGG(vendor, '' ORDER BY id DESC LIMIT 2), STRING_AGG(CAST(id AS STRING) ORDER BY id LIMIT 3) FROM trips",
    rows: [['ab', '1,2,3']],
  },
  { bq: 'SELECT COUNTIF(paid), LOGICAL_AND(paid), LOGICAL_OR(paid) FROM trips', rows: [[2, false, true]] },
  {
    bq: 'SELECT ANY_VALUE(vendor), MAX(vendor), MIN(tags[SAFE_OFFSET(0)]) FROM trips WHERE id = 2',
    rows: [['b', 'b', 'y']],
  },
  {
    bq: 'SELECT APPROX_COUNT_DISTINCT(vendor), STDDEV(id), VARIANCE(id) FROM trips',
    rows: [[2, 1.2909944487358056, 1.6666666666666667]],
  },
  {
    bq: "SELECT id, PERCENTILE_CONT(id, 0.5) OVER (), PERCENTILE_DISC(id, 0.5) OVER (PARTITION BY vendor) FROM trips WHERE vendor = 'a' ORDER BY id",
    rows: [
      [1, 2, 1],
      [3, 2, 1],
    ],
  },
  {
    bq: 'SELECT APPROX_QUANTILES(id, 2), APPROX_QUANTILES(id, 4)[OFFSET(4)] FROM trips',
    rows: [[[1, 2, 4], 4]],
  },
  {
    bq: 'SELECT id, ROW_NUMBER() OVER (ORDER BY id DESC) AS rn FROM trips ORDER BY id',
    rows: [
      [1, 4],
      [2, 3],
      [3, 2],
      [4, 1],
    ],
    types: ['INTEGER', 'INTEGER'],
  },
  {
    bq: "SELECT id, RANK() OVER (PARTITION BY vendor ORDER BY fare DESC) FROM trips WHERE vendor = 'a' ORDER BY id",
    rows: [
      [1, 2],
      [3, 1],
    ],
  },
  {
    bq: 'SELECT id, SUM(id) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM trips ORDER BY id',
    rows: [
      [1, 1],
      [2, 3],
      [3, 6],
      [4, 10],
    ],
  },
  {
    bq: 'SELECT id, AVG(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM trips ORDER BY id',
    rows: [
      [1, 1.5],
      [2, 2],
      [3, 3],
      [4, 3.5],
    ],
  },
  {
    bq: 'SELECT id, LAG(id) OVER (ORDER BY id), LEAD(id, 1, 0) OVER (ORDER BY id) FROM trips ORDER BY id',
    rows: [
      [1, null, 2],
      [2, 1, 3],
      [3, 2, 4],
      [4, 3, 0],
    ],
  },
  {
    bq: 'SELECT id, FIRST_VALUE(id) OVER w, LAST_VALUE(id) OVER w FROM trips WINDOW w AS (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) ORDER BY id LIMIT 1',
    rows: [[1, 1, 4]],
  },
  {
    bq: 'SELECT id, SUM(id) OVER (w ORDER BY id) FROM trips WINDOW w AS (PARTITION BY MOD(id, 2)) ORDER BY id',
    rows: [
      [1, 1],
      [2, 2],
      [3, 4],
      [4, 6],
    ],
  },
  {
    bq: 'SELECT CAST(SUM(distance) AS STRING), CAST(COUNT(*) AS STRING), CAST(MAX(fare) AS STRING) FROM trips',
    rows: [['13.75', '4', '20']],
  },
  {
    bq: 'SELECT CAST(vendor AS STRING) AS v, COUNT(*) FROM trips GROUP BY CAST(vendor AS STRING) ORDER BY v',
    rows: [
      [null, 1],
      ['a', 2],
      ['b', 1],
    ],
  },
  {
    bq: 'SELECT id, CAST(ROW_NUMBER() OVER (ORDER BY id DESC) AS STRING) FROM trips ORDER BY id LIMIT 1',
    rows: [[1, '4']],
  },
  {
    bq: 'SELECT id FROM trips QUALIFY ROW_NUMBER() OVER (PARTITION BY vendor ORDER BY id DESC) = 1 ORDER BY id',
    rows: [[2], [3], [4]],
  },
  {
    bq: 'SELECT vendor, DENSE_RANK() OVER (ORDER BY vendor) FROM trips WHERE vendor IS NOT NULL ORDER BY vendor',
    rows: [
      ['a', 1],
      ['a', 1],
      ['b', 2],
    ],
  },
  {
    bq: 'SELECT id, COUNT(*) OVER (PARTITION BY vendor) FROM trips ORDER BY id',
    rows: [
      [1, 2],
      [2, 1],
      [3, 2],
      [4, 1],
    ],
  },
  {
    bq: 'SELECT NTILE(2) OVER (ORDER BY id), PERCENT_RANK() OVER (ORDER BY id) FROM trips ORDER BY id',
    rows: [
      [1, 0],
      [1, 1 / 3],
      [2, 2 / 3],
      [2, 1],
    ],
  },
  {
    bq: 'SELECT id, FIRST_VALUE(distance IGNORE NULLS) OVER (ORDER BY id DESC ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM trips WHERE id IN (2, 3) ORDER BY id',
    rows: [
      [2, 2],
      [3, 2],
    ],
  },
];

const GROUPS: [string, Case[]][] = [
  ['literals and result types', LITERALS],
  ['operators', OPERATORS],
  ['CAST and SAFE_CAST', CASTS],
  ['string and bytes functions', STRINGS],
  ['conditionals and math', CONDITIONALS_AND_MATH],
  ['date and time functions', DATES],
  ['arrays and UNNEST', ARRAYS],
  ['more functions and clauses', MORE],
  ['SELECT clauses, joins and set operations', CLAUSES],
  ['aggregates and window functions', AGGREGATES_AND_WINDOWS],
];

let harness: Harness;

beforeAll(async () => {
  harness = await createHarness();
  await harness.run(SETUP);
});

afterAll(() => harness.close());

for (const [name, cases] of GROUPS) {
  describe(name, () => {
    for (const c of cases) {
      it(c.bq, async () => {
        const result = await harness.run(c.bq);
        expect(result.rows).toEqual(c.rows);
        if (c.types) expect(result.types).toEqual(c.types);
        if (c.columns) expect(result.columns).toEqual(c.columns);
      });
    }
  });
}
