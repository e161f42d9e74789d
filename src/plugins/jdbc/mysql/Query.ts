import type { TaskPlugin } from '../../api.js';
import { defineJdbcQuery } from '../common.js';
import { lateSql } from './late-sql.js';

const definition = defineJdbcQuery({
  db: 'mysql',
  task: 'Query',
  title: 'Run a MySQL query',
  description:
    'Runs one SQL statement against MySQL (or MariaDB) and, depending on `fetchType`, outputs the first row, all rows, or a file of rows. `inputFile` feeds `LOAD DATA LOCAL INFILE`.',
  examples: [
    {
      title: 'Fetch one row',
      code: `- id: latest_order
  type: io.kestra.plugin.jdbc.mysql.Query
  url: jdbc:mysql://localhost:3306/shop
  username: "{{ secret('MYSQL_USERNAME') }}"
  password: "{{ secret('MYSQL_PASSWORD') }}"
  sql: SELECT * FROM orders ORDER BY created_at DESC LIMIT 1
  fetchType: FETCH_ONE`,
    },
  ],
});

const plugin: TaskPlugin = {
  ...definition,
  properties: { ...definition.properties, sql: lateSql },
  run: async (ctx, props) =>
    (await import('./run/query.js')).runMysqlQueries(ctx, props, false, { renderSql: true }),
};

export default plugin;
