import type { TaskPlugin } from '../../api.js';
import { defineJdbcQuery } from '../common.js';

const definition = defineJdbcQuery({
  db: 'postgresql',
  task: 'Queries',
  title: 'Run several PostgreSQL statements',
  description:
    'Runs SQL statements separated by `;` against PostgreSQL, in one transaction by default; each statement that returns rows adds an entry to `outputs`.',
  examples: [
    {
      title: 'Create a table and fill it',
      code: `- id: init_products
  type: io.kestra.plugin.jdbc.postgresql.Queries
  url: "jdbc:postgresql://{{ secret('POSTGRES_HOST') }}:5432/postgres"
  username: "{{ secret('POSTGRES_USERNAME') }}"
  password: "{{ secret('POSTGRES_PASSWORD') }}"
  sql: |
    CREATE TABLE IF NOT EXISTS products (id SERIAL PRIMARY KEY, name varchar(100));
    INSERT INTO products VALUES (1, 'kettle') ON CONFLICT (id) DO NOTHING;
    SELECT count(*) AS total FROM products;
  fetchType: FETCH_ONE`,
    },
  ],
});

const plugin: TaskPlugin = {
  ...definition,
  run: async (ctx, props) => (await import('./run/query.js')).runPgQueries(ctx, props, true),
};

export default plugin;
