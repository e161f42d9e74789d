import type { TaskPlugin } from '../../api.js';
import { defineJdbcQuery } from '../common.js';

const definition = defineJdbcQuery({
  db: 'duckdb',
  task: 'Query',
  title: 'Run a DuckDB query',
  description:
    'Runs one SQL statement in DuckDB, in memory unless `url` or `databaseUri` names a database file. `inputFiles` and `outputFiles` move files in and out.',
  examples: [
    {
      title: 'Summarise a CSV file',
      code: `id: duckdb_query
namespace: company.team
inputs:
  - id: orders
    type: FILE
tasks:
  - id: summary
    type: io.kestra.plugin.jdbc.duckdb.Query
    inputFiles:
      orders.csv: "{{ inputs.orders }}"
    sql: SELECT customer_name, sum(total) AS spent FROM read_csv_auto('orders.csv') GROUP BY 1
    fetchType: STORE`,
    },
  ],
});

const plugin: TaskPlugin = {
  ...definition,
  run: async (ctx, props) => (await import('./run/query.js')).runDuckdbQueries(ctx, props, false),
};

export default plugin;
