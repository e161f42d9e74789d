/** The jdbc plugins: `io.kestra.plugin.jdbc.<db>.*`, and the course notes' `databases.sql.Query`.
 *
 * Each task imports its `run/` module (and with it the database driver) when it first runs:
 * DuckDB, mysql2 and pg cost ~200 ms of import, paid at start by every process otherwise.
 */
import type { PluginDefinition } from '../api.js';
import PostgresQuery from './postgresql/Query.js';
import PostgresQueries from './postgresql/Queries.js';
import PostgresCopyIn from './postgresql/CopyIn.js';
import PostgresCopyOut from './postgresql/CopyOut.js';
import MysqlQuery from './mysql/Query.js';
import MysqlQueries from './mysql/Queries.js';
import SqliteQuery from './sqlite/Query.js';
import SqliteQueries from './sqlite/Queries.js';
import DuckdbQuery from './duckdb/Query.js';
import DuckdbQueries from './duckdb/Queries.js';
import DatabasesSqlQuery from './DatabasesSqlQuery.js';

export const JDBC_PLUGINS: readonly PluginDefinition[] = [
  PostgresQuery,
  PostgresQueries,
  PostgresCopyIn,
  PostgresCopyOut,
  MysqlQuery,
  MysqlQueries,
  SqliteQuery,
  SqliteQueries,
  DuckdbQuery,
  DuckdbQueries,
  DatabasesSqlQuery,
];
