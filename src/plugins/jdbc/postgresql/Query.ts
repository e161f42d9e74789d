import type { TaskPlugin } from '../../api.js';
import { defineJdbcQuery } from '../common.js';

const definition = defineJdbcQuery({
  db: 'postgresql',
  task: 'Query',
  title: 'Run a PostgreSQL query',
  description:
    'Runs one SQL statement against PostgreSQL and, depending on `fetchType`, outputs the first row, all rows, or a file of rows.',
  examples: [
    {
      title: 'Fetch rows and use them in the next task',
      code: `id: postgres_query
namespace: company.team
tasks:
  - id: fetch
    type: io.kestra.plugin.jdbc.postgresql.Query
    url: jdbc:postgresql://localhost:5432/shop
    username: "{{ secret('POSTGRES_USERNAME') }}"
    password: "{{ secret('POSTGRES_PASSWORD') }}"
    sql: SELECT id, name FROM customers WHERE created_at >= :since
    parameters:
      since: "2024-01-01"
    fetchType: FETCH
  - id: count
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.fetch.size }} new customers"`,
    },
  ],
});

const plugin: TaskPlugin = {
  ...definition,
  run: async (ctx, props) => (await import('./run/query.js')).runPgQueries(ctx, props, false),
};

export default plugin;
