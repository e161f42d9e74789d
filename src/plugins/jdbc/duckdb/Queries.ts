import type { TaskPlugin } from '../../api.js';
import { defineJdbcQuery } from '../common.js';

const definition = defineJdbcQuery({
  db: 'duckdb',
  task: 'Queries',
  title: 'Run several DuckDB statements',
  description:
    'Runs SQL statements separated by `;` in DuckDB, in memory unless `url` or `databaseUri` names a database file; files written to `outputFiles` are stored.',
  examples: [
    {
      title: 'Turn a CSV file into a filtered CSV file',
      code: `id: duckdb_queries
namespace: company.team
inputs:
  - id: orders
    type: FILE
tasks:
  - id: filter
    type: io.kestra.plugin.jdbc.duckdb.Queries
    url: "jdbc:duckdb:"
    inputFiles:
      data.csv: "{{ inputs.orders }}"
    outputFiles:
      - out
    sql: |
      CREATE TABLE orders AS SELECT * FROM read_csv_auto('data.csv', header=True);
      COPY (SELECT * FROM orders WHERE total > 100) TO '{{ outputFiles.out }}' (HEADER, DELIMITER ',');`,
    },
  ],
});

const plugin: TaskPlugin = {
  ...definition,
  run: async (ctx, props) => (await import('./run/query.js')).runDuckdbQueries(ctx, props, true),
};

export default plugin;
