/**
 * Robustness of the translator over token soup: random sequences of BigQuery words, literals and
 * operators after a statement's start either translate or are refused with a BigQuerySqlError
 * (never another exception), and every query they translate to is SQL DuckDB's parser accepts.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { expect, it } from 'vitest';
import {
  BigQuerySqlError,
  translateScript,
} from '../../../../../src/emulators/gcp/bigquery/sql/translate.js';
import type { TranslateContext } from '../../../../../src/emulators/gcp/bigquery/sql/translate.js';

const ctx: TranslateContext = {
  defaultProjectId: 'p',
  defaultDatasetId: 'd',
  tableSource: () => '"p.d"."t"',
  tableName: () => '"p.d"."t"',
};

const WORDS = (
  'SELECT FROM WHERE a b t `p.d.t` 1 2.5 \'s\' "d" ( ) , . * + - / = < > AND OR NOT IN UNNEST [ ] AS GROUP BY ORDER ' +
  'LIMIT JOIN ON LEFT CASE WHEN THEN ELSE END CAST STRING INT64 COUNT SUM OVER PARTITION WITH UNION ALL DISTINCT ' +
  'EXCEPT REPLACE STRUCT ARRAY DATE INTERVAL DAY EXTRACT IS NULL BETWEEN LIKE IF EXISTS ; INSERT INTO VALUES UPDATE ' +
  'SET DELETE MERGE USING MATCHED CREATE TABLE OPTIONS DATE_TRUNC MONTH TIMESTAMP r"x" b"y" @p QUALIFY WINDOW ROWS PRECEDING'
).split(' ');

const STARTS = [
  'SELECT ',
  'SELECT a FROM t WHERE ',
  'SELECT * FROM t ',
  'WITH x AS (SELECT 1) SELECT ',
  'INSERT t ',
  'MERGE t USING s ON ',
  'CREATE TABLE t ',
];

it('refuses token soup with BigQuerySqlError only, and what it translates DuckDB parses', async () => {
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const queries: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    let sql = STARTS[random(STARTS.length)]!;
    for (let k = random(12); k >= 0; k--) sql += `${WORDS[random(WORDS.length)]} `;
    try {
      for (const statement of translateScript(sql, ctx))
        if (statement.kind === 'query') queries.push(statement.sql);
    } catch (error) {
      if (!(error instanceof BigQuerySqlError))
        throw new Error(`${JSON.stringify(sql)}: ${String(error)}`, { cause: error });
    }
  }
  expect(queries.length).toBeGreaterThan(100);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const unparsable: string[] = [];
  for (const query of queries) {
    const reader = await connection.runAndReadAll(
      `SELECT json_serialize_sql('${query.replace(/'/g, "''")}')`,
    );
    const parsed = JSON.parse(String(reader.getRows()[0]![0])) as { error?: boolean; error_message?: string };
    if (parsed.error) unparsable.push(`${query}: ${parsed.error_message}`);
  }
  connection.closeSync();
  instance.closeSync();
  expect(unparsable).toEqual([]);
});
