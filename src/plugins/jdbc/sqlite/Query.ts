import type { TaskPlugin } from '../../api.js';
import { defineJdbcQuery } from '../common.js';

const definition = defineJdbcQuery({
  db: 'sqlite',
  task: 'Query',
  title: 'Run a SQLite query',
  description:
    'Runs one SQL statement against a SQLite database file; `sqliteFile` brings an existing database from internal storage.',
  examples: [
    {
      title: 'Query a database file produced earlier',
      code: `id: sqlite_query
namespace: company.team
inputs:
  - id: database
    type: FILE
tasks:
  - id: top_cities
    type: io.kestra.plugin.jdbc.sqlite.Query
    url: jdbc:sqlite:cities.db
    sqliteFile: "{{ inputs.database }}"
    sql: SELECT name, population FROM cities ORDER BY population DESC LIMIT 10
    fetchType: FETCH`,
    },
  ],
});

const plugin: TaskPlugin = {
  ...definition,
  run: async (ctx, props) => (await import('./run/query.js')).runSqliteQueries(ctx, props, false),
};

export default plugin;
